#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Which CSV fields become numbers: plain decimals as Excel reads them when it opens a CSV.
///
/// Accepted: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` with a finite value. Everything else stays a string,
/// in particular `007`, `+5`, ` 5`, `5%`, `1,234`, `５` (full-width), `.5`, `5.`, and integers that a Double
/// cannot hold exactly (18-digit ID numbers: Excel would silently lose their last digits).
public enum NumberInference {
    /// The number a field reads as, or nil when it stays text.
    public static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0, n <= 64 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        // Integer part.
        let intStart = i
        // Significant digits (integer and fraction) while they fit, for the exact fast path below.
        var mantissa: UInt64 = 0
        var mantissaDigits = 0
        while i < n, bytes[i] &- 48 < 10 {
            if mantissaDigits < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 48) }
            mantissaDigits += 1
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0 else { return nil }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") { return nil }   // leading zero
        var plain = true
        var fractionDigits = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            plain = false
            i += 1
            let s = i
            while i < n, bytes[i] &- 48 < 10 {
                if mantissaDigits < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 48) }
                mantissaDigits += 1
                i += 1
            }
            fractionDigits = i - s
            guard fractionDigits > 0 else { return nil }
        }
        var exponent = 0
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            plain = false
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let s = i
            while i < n, bytes[i] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] - 48) }
                i += 1
            }
            guard i > s else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        // Clinger's fast path: up to 15 significant digits and a power of ten up to 1e22 are exact doubles,
        // so one multiplication or division rounds correctly.
        if !plain && mantissaDigits <= 15 {
            let e10 = exponent - fractionDigits
            if e10 >= -22 && e10 <= 22 {
                let m = Double(mantissa)
                let v = e10 < 0 ? m / NumberInference.powersOfTen[-e10] : m * NumberInference.powersOfTen[e10]
                return negative ? -v : v
            }
        }
        if plain && intDigits <= 15 {
            if negative && mantissa == 0 { return nil }   // "-0" stays text, as its number would print as "0"
            let d = Double(mantissa)
            return negative ? -d : d
        }
        // General case: strtod on a NUL-terminated copy.
        let value: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { tmp in
            for k in 0..<n { tmp[k] = CChar(bitPattern: bytes[k]) }
            tmp[n] = 0
            return strtod(tmp.baseAddress!, nil)
        }
        guard value.isFinite else { return nil }
        if plain {
            // A long integer is a number only if no digit is lost.
            guard CellValue.format(value).utf8.elementsEqual(bytes) else { return nil }
        }
        return value
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// `number` on a String (tests, callers with text in hand).
    public static func number(_ text: String) -> Double? {
        var t = text
        return t.withUTF8 { number($0) }
    }
}
