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

    /// The text without leading/trailing whitespace (any of `isSpace`), CR LF made LF.
    static func clean(_ s: String) -> String {
        // Fast path (most cells): nothing to trim, no CR.
        if let first = s.unicodeScalars.first, !isSpace(first), !isSpace(s.unicodeScalars.last!),
           !TextKit.hasCR(s) {
            return s
        }
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
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where !isSpace(u) {
            var f = fold(u)
            if f.value >= 65 && f.value <= 90 { f = Unicode.Scalar(f.value + 32)! }
            out.append(f)
        }
        return String(out)
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

    /// `12`, `12.5`, `-1`, `12分`, `20%`, `２０％`, ` 96 `, `100 分`; nil for anything else.
    static func parseNumber(_ s: String) -> Number? {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars where !isSpace(u) { scalars.append(fold(u)) }
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
        if i < s.endIndex && (s[i] == "-" || s[i] == "+") { negative = s[i] == "-"; i += 1 }
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
        let text = String(String.UnicodeScalarView(s.filter { $0 != "+" }))
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
