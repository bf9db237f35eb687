/// Decoding of ZIP entry names: UTF-8 when flagged (bit 11) or when the bytes are valid UTF-8, otherwise
/// code page 437 as the ZIP specification says (what Python's `zipfile` does), so that any byte sequence
/// gives a usable name. Backslashes become slashes.
enum ZipNames {
    static func decode(_ raw: [UInt8], flags: UInt16) -> String {
        let s: String
        if flags & 0x0800 != 0 || isValidUTF8(raw) {
            s = String(decoding: raw, as: UTF8.self)
        } else {
            var scalars = String.UnicodeScalarView()
            for b in raw {
                if b < 0x80 {
                    scalars.append(Unicode.Scalar(b))
                } else {
                    scalars.append(cp437High[Int(b - 0x80)])
                }
            }
            s = String(scalars)
        }
        return s.utf8.contains(UInt8(ascii: "\\")) ? s.replacingBackslashes() : s
    }

    static func isValidUTF8(_ raw: [UInt8]) -> Bool {
        var it = raw.makeIterator()
        var dec = UTF8()
        while true {
            switch dec.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The key for case-insensitive lookup: lower case, `/` for `\`, no leading `/`.
    static func key(_ name: String) -> String {
        var k = name.lowercased()
        if k.utf8.contains(UInt8(ascii: "\\")) { k = k.replacingBackslashes() }
        while k.hasPrefix("/") { k.removeFirst() }
        return k
    }

    static let cp437High: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}"
            .unicodeScalars)
}

extension String {
    func replacingBackslashes() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\\" ? "/" : $0 }))
    }
}
