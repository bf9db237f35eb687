import SheetCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal byte-level tag scanner for template filling. It finds the markup of one part (start, end and
/// empty-element tags with their byte ranges and attributes) without building a tree or re-serialising
/// anything, so that a patch can replace exactly the bytes it means to and leave every other byte alone.
///
/// It is not a validating parser: the parts it patches have already been read by the XLSX reader (or are
/// checked by it after filling). Comments, CDATA sections, processing instructions and DOCTYPE are skipped.
struct FillTag {
    enum Kind { case start, end, empty }
    var kind: Kind
    /// Byte offset of `<`.
    var start: Int
    /// Byte offset just past `>`.
    var end: Int
    /// The qualified name (`x:c`) range.
    var nameStart: Int
    var nameEnd: Int
    /// Offset of the local name (after the prefix colon, if any).
    var localStart: Int
}

struct FillAttribute {
    /// Qualified name range.
    var nameStart: Int
    var nameEnd: Int
    /// Offset of the local name.
    var localStart: Int
    /// Value range (between the quotes), not unescaped.
    var valueStart: Int
    var valueEnd: Int
    /// Range of the whole attribute including the leading whitespace: `␠t="s"`.
    var fullStart: Int
    var fullEnd: Int
}

struct FillScanner {
    let bytes: [UInt8]
    var pos: Int

    init(_ bytes: [UInt8], from: Int = 0) {
        self.bytes = bytes
        self.pos = from
        // Skip a UTF-8 byte-order mark.
        if from == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
    }

    /// Throws `.unsupported` for a UTF-16 part (byte-order mark or `<\0`): the patcher works on UTF-8 bytes.
    static func requireUTF8(_ bytes: [UInt8]) throws {
        guard bytes.count >= 2 else { return }
        let b0 = bytes[0], b1 = bytes[1]
        if (b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE) || (b0 == 0 && b1 == 0x3C) || (b0 == 0x3C && b1 == 0) {
            throw JixiaoError(.unsupported, "the part is encoded in UTF-16; only UTF-8 parts can be filled")
        }
    }

    /// The next tag at or after `pos`, skipping text, comments, CDATA, PIs and DOCTYPE; nil at the end.
    /// Throws `corrupt` on an unterminated construct.
    ///
    /// Works on the bytes through a pointer: `memchr` finds each `<` (text between tags is never looked at
    /// byte by byte), and a tag's closing `>` is found jumping from quote to quote.
    mutating func next() throws -> FillTag? {
        var p = pos
        defer { pos = p }
        return try bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return nil }
            return try FillScanner.scanTag(base, buf.count, &p)
        }
    }

    /// `next()` over a pointer: the tag at or after `p` (which moves past it).
    @inline(__always)
    static func scanTag(_ base: UnsafePointer<UInt8>, _ n: Int, _ p: inout Int) throws -> FillTag? {
        while p < n {
            guard let lt = index(of: UInt8(ascii: "<"), base, from: p, to: n) else { p = n; return nil }
            guard lt + 1 < n else { throw corrupt("markup ends after '<'") }
            let b = base[lt + 1]
            if b == UInt8(ascii: "!") {
                if has("<!--", base, n, at: lt) {
                    guard let e = find("-->", base, n, from: lt + 4) else { throw corrupt("unterminated comment") }
                    p = e + 3
                } else if has("<![CDATA[", base, n, at: lt) {
                    guard let e = find("]]>", base, n, from: lt + 9) else { throw corrupt("unterminated CDATA") }
                    p = e + 3
                } else {
                    // A DOCTYPE (entities, external subsets) has no place in an OOXML part: refused, as the
                    // reader does.
                    throw JixiaoError(.unsafe, "XML with a DOCTYPE declaration is refused")
                }
                continue
            }
            if b == UInt8(ascii: "?") {
                guard let e = find("?>", base, n, from: lt + 2) else { throw corrupt("unterminated processing instruction") }
                p = e + 2
                continue
            }
            let isEnd = b == UInt8(ascii: "/")
            let nameStart = isEnd ? lt + 2 : lt + 1
            var i = nameStart
            var localStart = nameStart
            while i < n {
                let c = base[i]
                if isNameEnd(c) { break }
                if c == UInt8(ascii: ":") { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            guard nameEnd > nameStart else { throw corrupt("tag without a name") }
            // Find the closing '>' outside quoted attribute values, jumping from quote to quote.
            while i < n {
                let c = base[i]
                if c == UInt8(ascii: ">") { break }
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    guard let q = index(of: c, base, from: i + 1, to: n) else { i = n; break }
                    i = q + 1
                    continue
                }
                i += 1
            }
            guard i < n else { throw corrupt("unterminated tag") }
            let end = i + 1
            p = end
            let kind: FillTag.Kind = isEnd ? .end : (base[i - 1] == UInt8(ascii: "/") ? .empty : .start)
            return FillTag(kind: kind, start: lt, end: end, nameStart: nameStart, nameEnd: nameEnd, localStart: localStart)
        }
        return nil
    }

    /// `s` (ASCII) at `base[i...]`.
    static func has(_ s: StaticString, _ base: UnsafePointer<UInt8>, _ n: Int, at i: Int) -> Bool {
        let count = s.utf8CodeUnitCount
        guard i + count <= n else { return false }
        let u = s.utf8Start
        for k in 0..<count where base[i + k] != u[k] { return false }
        return true
    }

    /// The first `s` (ASCII, not empty) at or after `from`.
    static func find(_ s: StaticString, _ base: UnsafePointer<UInt8>, _ n: Int, from: Int) -> Int? {
        let first = s.utf8Start[0]
        var i = from
        while let hit = index(of: first, base, from: i, to: n) {
            if has(s, base, n, at: hit) { return hit }
            i = hit + 1
        }
        return nil
    }

    /// The first `b` in `base[from..<to]` (`memchr`).
    @inline(__always)
    static func index(of b: UInt8, _ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        // Tags often follow each other and quoted values are short: look at a few bytes before calling memchr.
        var i = from
        let near = min(to, from + 4)
        while i < near {
            if base[i] == b { return i }
            i += 1
        }
        guard i < to, let hit = memchr(base + i, Int32(b), to - i) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The attributes of a start or empty tag.
    func attributes(of tag: FillTag) -> [FillAttribute] {
        var out: [FillAttribute] = []
        out.reserveCapacity(8)
        forEachAttribute(of: tag) { out.append($0); return false }
        return out
    }

    /// Calls `body` with each attribute of a start or empty tag, in order, until it returns true (no array
    /// is built: the patcher asks for one or two attributes of most tags).
    @inline(__always)
    func forEachAttribute(of tag: FillTag, _ body: (FillAttribute) -> Bool) {
        bytes.withUnsafeBufferPointer { buf in
            guard let bytes = buf.baseAddress else { return }
            var i = tag.nameEnd
            let limit = tag.kind == .empty ? tag.end - 2 : tag.end - 1
            while i < limit {
                let fullStart = i
                while i < limit, FillScanner.isSpace(bytes[i]) { i += 1 }
                guard i < limit else { break }
                let ns = i
                var ls = i
                while i < limit, bytes[i] != UInt8(ascii: "="), !FillScanner.isSpace(bytes[i]) {
                    if bytes[i] == UInt8(ascii: ":") { ls = i + 1 }
                    i += 1
                }
                let ne = i
                while i < limit, bytes[i] != UInt8(ascii: "=") { i += 1 }
                i += 1
                while i < limit, FillScanner.isSpace(bytes[i]) { i += 1 }
                guard i < limit else { break }
                let q = bytes[i]
                guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { break }
                let vs = i + 1
                var j = vs
                while j < limit, bytes[j] != q { j += 1 }
                if body(FillAttribute(nameStart: ns, nameEnd: ne, localStart: ls, valueStart: vs, valueEnd: j,
                                      fullStart: fullStart, fullEnd: min(j + 1, limit))) { return }
                i = j + 1
            }
        }
    }

    /// The attribute whose qualified name is `name` (ASCII).
    func attribute(_ name: StaticString, in attrs: [FillAttribute]) -> FillAttribute? {
        attrs.first { equal(bytes, $0.nameStart, $0.nameEnd, name) }
    }

    /// The attribute of `tag` whose qualified name is `name` (ASCII); the same as
    /// `attribute(name, in: attributes(of: tag))` without building the list.
    func attribute(_ name: StaticString, of tag: FillTag) -> FillAttribute? {
        // The usual `<c r="A1" …`: the first attribute, one space before it, no spaces around `=`.
        if name.utf8CodeUnitCount == 1 {
            let hit: FillAttribute? = bytes.withUnsafeBufferPointer { buf in
                let limit = tag.kind == .empty ? tag.end - 2 : tag.end - 1
                let i = tag.nameEnd
                guard i + 4 < limit, buf[i] == 0x20, buf[i + 1] == name.utf8Start[0], buf[i + 2] == UInt8(ascii: "="),
                      buf[i + 3] == UInt8(ascii: "\""),
                      let close = FillScanner.index(of: UInt8(ascii: "\""), buf.baseAddress!, from: i + 4, to: limit)
                else { return nil }
                return FillAttribute(nameStart: i + 1, nameEnd: i + 2, localStart: i + 1, valueStart: i + 4, valueEnd: close,
                                     fullStart: i, fullEnd: close + 1)
            }
            if let hit { return hit }
        }
        var found: FillAttribute?
        forEachAttribute(of: tag) { a in
            if equal(bytes, a.nameStart, a.nameEnd, name) { found = a; return true }
            return false
        }
        return found
    }

    /// The attribute whose local name is `name` and that has a namespace prefix (e.g. `r:id`).
    func prefixedAttribute(local name: StaticString, in attrs: [FillAttribute]) -> FillAttribute? {
        attrs.first { $0.localStart > $0.nameStart && equal(bytes, $0.localStart, $0.nameEnd, name) }
    }

    func value(_ a: FillAttribute) -> String {
        FillXML.unescape(bytes[a.valueStart..<a.valueEnd])
    }

    func isLocal(_ tag: FillTag, _ name: StaticString) -> Bool {
        equal(bytes, tag.localStart, tag.nameEnd, name)
    }

    /// `x:` for a tag named `x:c`, empty without a prefix.
    func prefix(of tag: FillTag) -> [UInt8] {
        tag.localStart > tag.nameStart ? Array(bytes[tag.nameStart..<tag.localStart]) : []
    }

    /// `skipElement` for an element of a part that has been parsed as well-formed XML (a worksheet's `<row>`
    /// that the reader has read): its end tag is searched for (`quickEnd`) rather than reached tag by tag. On
    /// broken markup the two may stop at different tags; where the search cannot be sure it walks tag by tag.
    mutating func skipWellFormedElement(_ open: FillTag) throws -> FillTag {
        let found: FillTag? = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return nil }
            return FillScanner.quickEnd(of: open, base, buf.count, from: pos)
        }
        if let found {
            pos = found.end
            return found
        }
        return try skipElement(open)
    }

    /// Skips to the end tag that closes `open` (a start tag), returning it. Nested elements of the same
    /// name are counted.
    mutating func skipElement(_ open: FillTag) throws -> FillTag {
        var p = pos
        defer { pos = p }
        let found: FillTag? = try bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return nil }
            var depth = 0
            while let t = try FillScanner.scanTag(base, buf.count, &p) {
                switch t.kind {
                case .start: depth += 1
                case .empty: break
                case .end:
                    if depth == 0 { return t }
                    depth -= 1
                }
            }
            return nil
        }
        if let found { return found }
        throw FillScanner.corrupt("element <\(String(decoding: bytes[open.nameStart..<open.nameEnd], as: UTF8.self))> is not closed")
    }

    /// The end tag of `open` found without tokenising what lies between. The first `</name` followed by `>` or a
    /// space is the end, unless a comment, CDATA section, processing instruction (`<!`, `<?`: they may hold a
    /// `</name>` that is not markup) or a nested start tag of the same name comes first: then nil sends the
    /// caller the slow way. Elsewhere a `<` can only open a tag: text and attribute values cannot hold a raw `<`.
    /// A row with no update is skipped this way without finding the end of each tag and attribute inside it.
    ///
    /// The name is found by its last byte (`memchr`: in a worksheet `w` is rare but in `row`), each hit checked
    /// for `<name` or `</name`; then the bytes before the end tag are searched for `!` and `?` after a `<`. The
    /// answer is that of looking at every `<` in turn (the former way), on any markup without `<<`.
    static func quickEnd(of open: FillTag, _ base: UnsafePointer<UInt8>, _ n: Int, from: Int) -> FillTag? {
        let nameStart = open.nameStart
        let nameLength = open.nameEnd - nameStart
        guard nameLength > 0 else { return nil }
        let last = base[nameStart + nameLength - 1]
        // A hit at `h` is the name's last byte: the name is `base[h - nameLength + 1 ... h]`.
        var i = from + nameLength  // the earliest place for the last byte of a name after a `<` at `from`
        while i < n {
            guard let hit = memchr(base + i, Int32(last), n - i) else { return nil }
            let h = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            i = h + 1
            let s = h - nameLength + 1
            guard h + 1 < n, isNameEnd(base[h + 1]) else { continue }
            var k = 0
            while k < nameLength, base[s + k] == base[nameStart + k] { k += 1 }
            guard k == nameLength else { continue }
            if base[s - 1] == UInt8(ascii: "<") {
                // A nested start tag of the same name.
                return nil
            }
            guard base[s - 1] == UInt8(ascii: "/"), s - 2 >= from, base[s - 2] == UInt8(ascii: "<") else { continue }
            let lt = s - 2
            // A comment, CDATA section or processing instruction before the end tag.
            if hasMarkupDeclaration(base, from: from, to: lt) { return nil }
            var e = h + 1
            while e < n, base[e] != UInt8(ascii: ">") { e += 1 }
            guard e < n else { return nil }
            return FillTag(kind: .end, start: lt, end: e + 1, nameStart: s, nameEnd: s + nameLength,
                           localStart: s + (open.localStart - nameStart))
        }
        return nil
    }

    /// Whether `base[from..<to]` holds a `<!` or `<?`.
    static func hasMarkupDeclaration(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Bool {
        hasAfterLessThan(UInt8(ascii: "!"), base, from: from, to: to) || hasAfterLessThan(UInt8(ascii: "?"), base, from: from, to: to)
    }

    /// Whether `base[from..<to]` holds `<` followed by `mark`.
    @inline(__always)
    static func hasAfterLessThan(_ mark: UInt8, _ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Bool {
        var i = from + 1
        while i < to {
            guard let hit = memchr(base + i, Int32(mark), to - i) else { return false }
            let q = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if base[q - 1] == UInt8(ascii: "<") { return true }
            i = q + 1
        }
        return false
    }

    // MARK: bytes

    func indexOf(_ b: UInt8, from: Int) -> Int? {
        var i = from
        while i < bytes.count {
            if bytes[i] == b { return i }
            i += 1
        }
        return nil
    }

    func has(_ s: String, at i: Int) -> Bool {
        let u = Array(s.utf8)
        guard i + u.count <= bytes.count else { return false }
        for k in 0..<u.count where bytes[i + k] != u[k] { return false }
        return true
    }

    func find(_ s: String, from: Int) -> Int? {
        let u = Array(s.utf8)
        guard let first = u.first else { return from }
        var i = from
        while i + u.count <= bytes.count {
            if bytes[i] == first, has(s, at: i) { return i }
            i += 1
        }
        return nil
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func isNameEnd(_ b: UInt8) -> Bool {
        isSpace(b) || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
    }

    static func corrupt(_ message: String) -> JixiaoError {
        JixiaoError(.corrupt, "malformed XML: " + message)
    }
}

/// `bytes[start..<end]` is the ASCII text `s`.
@inline(__always)
func equal(_ bytes: [UInt8], _ start: Int, _ end: Int, _ s: StaticString) -> Bool {
    let count = s.utf8CodeUnitCount
    guard end - start == count, start >= 0, end <= bytes.count else { return false }
    return bytes.withUnsafeBufferPointer { buf in
        let p = s.utf8Start
        for k in 0..<count where buf[start + k] != p[k] { return false }
        return true
    }
}

/// Escaping and number text for the bytes the filler writes.
enum FillXML {
    /// Escapes text content or an attribute value. Characters XML 1.0 cannot hold (C0 controls other than
    /// tab/LF/CR) are written the way Excel does, `_xHHHH_`; a literal `_xHHHH_` in the text is protected as
    /// `_x005F_xHHHH_`. CR is written as `&#13;` so that it survives end-of-line normalisation.
    static func escape(_ s: String, attribute: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            let b = u[i]
            switch b {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: out += Array("&quot;".utf8)
            case 0x0D: out += Array("&#13;".utf8)
            case 0x0A where attribute: out += Array("&#10;".utf8)
            case 0x09 where attribute: out += Array("&#9;".utf8)
            case UInt8(ascii: "_") where isEscapeLike(u, i):
                out += Array("_x005F_".utf8)
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F:
                out += Array("_x00".utf8)
                out += hex2(b)
                out.append(UInt8(ascii: "_"))
            default: out.append(b)
            }
            i += 1
        }
        return out
    }

    /// `_xHHHH_` at `i`.
    private static func isEscapeLike(_ u: [UInt8], _ i: Int) -> Bool {
        guard i + 6 < u.count, u[i + 1] == UInt8(ascii: "x"), u[i + 6] == UInt8(ascii: "_") else { return false }
        for k in 2...5 {
            let c = u[i + k]
            let hex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
            if !hex { return false }
        }
        return true
    }

    private static func hex2(_ b: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(b >> 4)], digits[Int(b & 15)]]
    }

    /// Resolves the five predefined entities and numeric character references (enough for attribute
    /// values such as sheet names and part paths).
    static func unescape(_ slice: ArraySlice<UInt8>) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        var i = slice.startIndex
        while i < slice.endIndex {
            let b = slice[i]
            if b == UInt8(ascii: "&"), let semi = slice[i...].firstIndex(of: UInt8(ascii: ";")), semi - i <= 10 {
                let name = String(decoding: slice[(i + 1)..<semi], as: UTF8.self)
                var scalar: Unicode.Scalar?
                switch name {
                case "amp": scalar = "&"
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X") {
                        scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if name.hasPrefix("#") {
                        scalar = UInt32(name.dropFirst(1)).flatMap(Unicode.Scalar.init)
                    }
                }
                if let scalar {
                    out += Array(String(Character(scalar)).utf8)
                    i = semi + 1
                    continue
                }
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the decimal digits of `v` (with `-` when negative): `String(v)`'s bytes.
    static func appendDecimal(_ out: inout [UInt8], _ v: Int64) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits, written from the end
        withUnsafeMutableBytes(of: &digits) { buf in
            var n = 0
            repeat {
                buf[23 - n] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                n += 1
            } while m > 0
            out.append(contentsOf: buf[(24 - n)...])
        }
    }

    /// The text of a number for `<v>`: integers without `.0`, otherwise the shortest round-trip form.
    /// Throws for NaN and infinities, which a cell cannot hold.
    static func number(_ d: Double) throws -> [UInt8] {
        guard d.isFinite else { throw JixiaoError(.invalidValue, "a cell cannot hold the number \(d)") }
        if d == 0 { return [UInt8(ascii: "0")] }  // also -0
        return Array(CellValue.format(d).utf8)
    }
}
