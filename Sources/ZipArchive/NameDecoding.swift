/// Decoding of ZIP entry names: UTF-8 when flagged (bit 11) or when the bytes are valid UTF-8, otherwise
/// code page 437 as the ZIP specification says (what Python's `zipfile` does), so that any byte sequence
/// gives a usable name. Backslashes become slashes.
enum ZipNames {
    static func decode(_ raw: [UInt8], flags: UInt16) -> String {
        // ASCII without backslashes (nearly every part name): the same String, without the UTF-8 check.
        if raw.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") }) { return String(decoding: raw, as: UTF8.self) }
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
        if let k = asciiKey(name) { return k }
        return generalKey(name)
    }

    /// `key` on the bytes of an ASCII name (nil otherwise): the name itself when nothing changes.
    static func asciiKey(_ name: String) -> String? {
        var name = name
        var unchanged = false
        let key = name.withUTF8 { u -> String? in
            let n = u.count
            var changes = false
            for b in u {
                if b >= 0x80 { return nil }
                if (b >= 65 && b <= 90) || b == UInt8(ascii: "\\") { changes = true }
            }
            // Leading slashes, backslashes included (they become slashes first).
            var start = 0
            while start < n, u[start] == UInt8(ascii: "/") || u[start] == UInt8(ascii: "\\") { start += 1 }
            if !changes && start == 0 {
                unchanged = true
                return nil
            }
            return String(unsafeUninitializedCapacity: n - start) { buf in
                var j = 0
                for i in start..<n {
                    var b = u[i]
                    if b >= 65 && b <= 90 { b += 32 } else if b == UInt8(ascii: "\\") { b = UInt8(ascii: "/") }
                    buf[j] = b
                    j += 1
                }
                return j
            }
        }
        return unchanged ? name : key
    }

    static func generalKey(_ name: String) -> String {
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
