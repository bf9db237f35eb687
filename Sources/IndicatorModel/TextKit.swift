#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Small text helpers for cell texts as Chinese finance staff write them: full-width digits and brackets,
/// U+3000 padding, line breaks inside header cells, "100分" and "20%" numbers.
///
/// Everything works on Unicode scalars with a 1:1 folding (full-width ASCII → ASCII, U+3000 → space), so
/// that matching can be done on the folded form while slicing the text as written.
enum TextKit {
    /// Whitespace as it appears in real tables: ASCII, NBSP, ideographic space, zero-width and BOM.
    @inline(__always)
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xA0, 0x3000, 0x2000...0x200B, 0x202F, 0x205F, 0xFEFF: return true
        default: return false
        }
    }

    /// Full-width ASCII (U+FF01…U+FF5E) to ASCII, U+3000 to a space, `。` kept; 1:1 per scalar.
    @inline(__always)
    static func fold(_ u: Unicode.Scalar) -> Unicode.Scalar {
        let v = u.value
        if v >= 0xFF01 && v <= 0xFF5E { return Unicode.Scalar(v - 0xFEE0)! }
        if v == 0x3000 { return " " }
        return u
    }

    /// Whether the text holds a CR (memchr over the UTF-8 bytes).
    @inline(__always)
    static func hasCR(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in u.count > 0 && memchr(u.baseAddress!, 13, u.count) != nil }
    }

    /// A String of the scalars, encoded straight into the string's storage (`String.UnicodeScalarView`
    /// appends one scalar at a time, re-checking the storage on each).
    static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        var bytes = 0
        for u in scalars { bytes += UTF8.width(u) }
        if bytes == 0 { return "" }
        return String(unsafeUninitializedCapacity: bytes) { buf in
            var i = 0
            for u in scalars {
                UTF8.encode(u) { b in buf[i] = b; i += 1 }
            }
            return i
        }
    }

    /// Whether the text is empty or starts or ends with whitespace, or holds a CR: what `clean` has to look at
    /// (on the UTF-8 bytes; the first and last scalars are decoded only when they are not ASCII).
    @inline(__always)
    static func needsCleaning(_ s: String) -> Bool {
        // In place (native strings: no copy of the string to make it contiguous), else through a copy.
        if let answer = s.utf8.withContiguousStorageIfAvailable(needsCleaning(utf8:)) { return answer }
        var s = s
        return s.withUTF8(needsCleaning(utf8:))
    }

    /// `needsCleaning` of valid UTF-8 bytes.
    @inline(__always)
    static func needsCleaning(utf8 u: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = u.count
        guard n > 0 else { return true }
        let p = u.baseAddress!
        if memchr(p, 13, n) != nil { return true }
        // First scalar.
        let b0 = p[0]
        if b0 < 0x80 {
            if isSpace(Unicode.Scalar(b0)) { return true }
        } else if mayBeSpace(lead: b0), let f = firstScalar(u), isSpace(f) {
            return true
        }
        // Last scalar: back over continuation bytes (10xxxxxx) to its lead byte.
        let bl = p[n - 1]
        if bl < 0x80 { return isSpace(Unicode.Scalar(bl)) }
        var start = n - 1
        while start > 0, p[start] & 0xC0 == 0x80 { start -= 1 }
        guard mayBeSpace(lead: p[start]) else { return false }
        guard let l = firstScalar(UnsafeBufferPointer(rebasing: u[start...])) else { return true }
        return isSpace(l)
    }

    /// Whether a scalar with this non-ASCII UTF-8 lead byte can be one of `isSpace`: U+00A0 (C2), U+2000…U+200B,
    /// U+202F, U+205F (E2), U+3000 (E3), U+FEFF (EF). Any other lead byte (CJK text: E4…E9) cannot.
    @inline(__always)
    static func mayBeSpace(lead b: UInt8) -> Bool {
        b == 0xC2 || b == 0xE2 || b == 0xE3 || b == 0xEF
    }

    /// The scalar the valid UTF-8 bytes start with.
    @inline(__always)
    static func firstScalar(_ u: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var it = u.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let v) = decoder.decode(&it) { return v }
        return nil
    }

    /// The text without leading/trailing whitespace (any of `isSpace`), CR LF made LF.
    static func clean(_ s: String) -> String {
        // Fast path (most cells): nothing to trim, no CR.
        if !needsCleaning(s) { return s }
        let scalars = Array(s.unicodeScalars)
        var lo = 0, hi = scalars.count
        while lo < hi && isSpace(scalars[lo]) { lo += 1 }
        while hi > lo && isSpace(scalars[hi - 1]) { hi -= 1 }
        if lo == 0 && hi == scalars.count && !s.contains("\r") { return s }
        var out = String.UnicodeScalarView()
        var i = lo
        while i < hi {
            let u = scalars[i]
            if u == "\r" {
                if i + 1 < hi && scalars[i + 1] == "\n" { i += 1; continue }
                out.append("\n")
            } else {
                out.append(u)
            }
            i += 1
        }
        return String(out)
    }

    /// A matching key: folded, every whitespace removed, ASCII lower-cased.
    static func key(_ s: String) -> String {
        string(s.unicodeScalars.lazy.filter { !isSpace($0) }.map { u -> Unicode.Scalar in
            let f = fold(u)
            return f.value >= 65 && f.value <= 90 ? Unicode.Scalar(f.value + 32)! : f
        })
    }

    /// The text a cell shows, cleaned; nil when empty or only whitespace.
    static func text(_ v: CellValue) -> String? {
        switch v {
        case .empty: return nil
        case .string(let s):
            let c = clean(s)
            return c.isEmpty ? nil : c
        default:
            let t = v.text
            return t.isEmpty ? nil : t
        }
    }

    /// `text.contains(word)` (Foundation's, which is what that call resolves to here: slow, through NSString):
    /// a search of the scalars when every scalar of both is a Character of its own (see `isOwnCharacter`), where
    /// the two agree; Foundation's otherwise.
    static func contains(_ text: String, _ word: String) -> Bool {
        let t = text.unicodeScalars, w = word.unicodeScalars
        guard t.allSatisfy(isOwnCharacter), w.allSatisfy(isOwnCharacter) else { return text.contains(word) }
        guard let first = w.first else { return text.contains(word) }
        var i = t.startIndex
        while let start = t[i...].firstIndex(of: first) {
            if t[start...].starts(with: w) { return true }
            i = t.index(after: start)
        }
        return false
    }

    /// A number as a table writes it.
    struct Number: Hashable {
        var value: Double
        /// `.percent` for `20%`, `.points` for `12分`, nil for a bare number.
        var unit: WeightUnit?
    }

    /// Outcome of reading a numeric cell.
    enum NumberCell: Hashable {
        case empty
        case number(Number)
        /// Text that is not a number (kept for the finding).
        case notANumber(String)
    }

    /// Reads a cell that should hold a number: a number, or text such as `1　`, `　96`, `100分`, `２０％`, `99.5分`.
    static func number(_ v: CellValue) -> NumberCell {
        switch v {
        case .empty: return .empty
        case .number(let d): return .number(Number(value: d, unit: nil))
        case .bool, .date, .error: return .notANumber(v.text)
        case .string(let s):
            if let n = parseNumber(s) { return .number(n) }
            let c = clean(s)
            if c.isEmpty { return .empty }
            return .notANumber(c)
        }
    }

    /// Whether a cleaned cell text only marks "nothing here": `/`, `／`, `-`, `—`, `——`, `--`, `无`, `空`, `N/A`.
    static func isPlaceholder(_ t: String) -> Bool {
        let k = key(t)
        if k == "无" || k == "空" || k == "n/a" || k == "na" { return true }
        return !k.isEmpty && k.unicodeScalars.count <= 3 && k.unicodeScalars.allSatisfy { placeholderMarks.contains($0) }
    }

    static let placeholderMarks: Set<Unicode.Scalar> = ["/", "\\", "-", "—", "–", "－", "\u{2212}", "_"]

    /// Whether the scalar is a Character on its own whatever surrounds it, and canonically equivalent to no
    /// other text: ASCII other than CR and LF, CJK unified ideographs, CJK symbols and punctuation other than the
    /// tone marks, full-width ASCII. On such scalars `String`'s Character operations (`hasPrefix`,
    /// `removeFirst(n)`, `count`) are the same as on the scalars.
    @inline(__always)
    static func isOwnCharacter(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x80 { return v != 13 && v != 10 }
        return (0x4E00...0x9FFF).contains(v) || (0x3000...0x3029).contains(v) || (0x3030...0x303F).contains(v)
            || (0xFF01...0xFF5E).contains(v)
    }

    /// `a == b` (canonical equivalence), decided on the UTF-8 bytes when they are equal, or when both texts are
    /// made only of ASCII, U+4000–U+9FFF and U+FF00–U+FF7F (scalars that are their own NFC and compose with
    /// nothing: canonically equivalent texts of them are byte for byte the same). `String`'s own `==` on
    /// non-ASCII text not known to be NFC normalises as it compares.
    static func equalStrings(_ a: String, _ b: String) -> Bool {
        let answer = a.utf8.withContiguousStorageIfAvailable { p -> Bool? in
            b.utf8.withContiguousStorageIfAvailable { q -> Bool? in
                if p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) { return true }
                return isInert(p) && isInert(q) ? false : nil
            } ?? nil
        } ?? nil
        return answer ?? (a == b)
    }

    /// Whether the two texts have the same UTF-8 bytes (`TextKey`'s equality).
    @inline(__always)
    static func sameBytes(_ a: String, _ b: String) -> Bool { TextKey(a) == TextKey(b) }

    /// Whether valid UTF-8 bytes spell only ASCII, U+4000–U+9FFF (lead bytes E4–E9) and U+FF00–U+FF7F (EF BC, EF BD).
    static func isInert(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = u.count
        while i < n {
            let b = u[i]
            if b < 0x80 { i += 1; continue }
            if b >= 0xE4 && b <= 0xE9 { i += 3; continue }
            if b == 0xEF, i + 1 < n, u[i + 1] == 0xBC || u[i + 1] == 0xBD { i += 3; continue }
            return false
        }
        return true
    }

    /// Whether the UTF-8 bytes of `long` start with those of `short` (`long.utf8.starts(with: short.utf8)`).
    static func bytesStart(_ long: String, with short: String) -> Bool {
        let answer = long.utf8.withContiguousStorageIfAvailable { p -> Bool? in
            short.utf8.withContiguousStorageIfAvailable { q in
                q.count <= p.count && (q.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, q.count) == 0)
            }
        } ?? nil
        return answer ?? long.utf8.starts(with: short.utf8)
    }

    /// `12`, `12.5`, `-1`, `12分`, `20%`, `２０％`, ` 96 `, `100 分`; nil for anything else.
    static func parseNumber(_ s: String) -> Number? {
        parseNumber(scalars: s.unicodeScalars)
    }

    /// `parseNumber` of the text these scalars spell.
    static func parseNumber<C: Collection>(scalars s: C) -> Number? where C.Element == Unicode.Scalar {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(s.count)
        for u in s where !isSpace(u) { scalars.append(fold(u)) }
        guard !scalars.isEmpty else { return nil }
        var unit: WeightUnit?
        if let last = scalars.last {
            if last == "%" { unit = .percent; scalars.removeLast() } else if last == "分" { unit = .points; scalars.removeLast() }
        }
        guard let d = parseDecimal(scalars[...]) else { return nil }
        return Number(value: d, unit: unit)
    }

    /// Plain decimal `[+-]digits[.digits]` from folded scalars.
    static func parseDecimal(_ s: ArraySlice<Unicode.Scalar>) -> Double? {
        var i = s.startIndex
        var negative = false
        // `-`, or the minus sign U+2212 and small hyphen-minus U+FE63 (word processors write them).
        if i < s.endIndex && (s[i] == "-" || s[i] == "+" || s[i] == "\u{2212}" || s[i] == "\u{FE63}") { negative = s[i] != "+"; i += 1 }
        var intDigits = 0, fracDigits = 0
        var value = 0.0
        while i < s.endIndex, let d = digit(s[i]) { value = value * 10 + Double(d); intDigits += 1; i += 1 }
        if i < s.endIndex && s[i] == "." {
            i += 1
            var scale = 0.1
            while i < s.endIndex, let d = digit(s[i]) { value += Double(d) * scale; scale /= 10; fracDigits += 1; i += 1 }
            guard fracDigits > 0 else { return nil }
        }
        guard i == s.endIndex, intDigits > 0 else { return nil }
        // Re-parse through Double(String) for exact rounding of decimals such as 0.1.
        let text = string(s.lazy.filter { $0 != "+" })
        return Double(text) ?? (negative ? -value : value)
    }

    @inline(__always)
    static func digit(_ u: Unicode.Scalar) -> Int? {
        u.value >= 48 && u.value <= 57 ? Int(u.value - 48) : nil
    }

    /// Rounds away binary noise for display and comparison (six decimals).
    static func tidy(_ d: Double) -> Double { (d * 1_000_000).rounded() / 1_000_000 }

    /// Numbers for messages: `12`, `0.5`.
    static func show(_ d: Double) -> String { CellValue.format(tidy(d)) }

    /// Column width of a string in a terminal: CJK and full-width forms count 2.
    static func displayWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x20 { continue }
            if (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0xA4CF) || (v >= 0xAC00 && v <= 0xD7A3)
                || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F) || (v >= 0xFF00 && v <= 0xFF60)
                || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x20000 && v <= 0x3FFFD) || (v >= 0x2460 && v <= 0x24FF) {
                w += 2
            } else {
                w += 1
            }
        }
        return w
    }
}
