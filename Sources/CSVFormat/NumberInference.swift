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
        var intValue: UInt64 = 0
        while i < n, bytes[i] &- 48 < 10 {
            if i - intStart < 19 { intValue = intValue * 10 + UInt64(bytes[i] - 48) }
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0 else { return nil }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") { return nil }   // leading zero
        var plain = true
        if i < n, bytes[i] == UInt8(ascii: ".") {
            plain = false
            i += 1
            let s = i
            while i < n, bytes[i] &- 48 < 10 { i += 1 }
            guard i > s else { return nil }
        }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            plain = false
            i += 1
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let s = i
            while i < n, bytes[i] &- 48 < 10 { i += 1 }
            guard i > s else { return nil }
        }
        guard i == n else { return nil }
        if plain && intDigits <= 15 {
            if negative && intValue == 0 { return nil }   // "-0" stays text, as its number would print as "0"
            let d = Double(intValue)
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

    /// `number` on a String (tests, callers with text in hand).
    public static func number(_ text: String) -> Double? {
        var t = text
        return t.withUTF8 { number($0) }
    }
}
