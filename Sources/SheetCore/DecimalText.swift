/// Decimal number text that is already in the form `CellValue.format` gives a Double.
///
/// A CSV or XML cell holds a number as text ("1234.56"); writers print the parsed Double back with
/// `CellValue.format`, the shortest text that reads back as the same Double. When the original text is
/// already that shortest form, it can be copied instead of formatted again — formatting a non-integer Double
/// is among the costliest steps of re-writing a large table.
public enum DecimalText {
    /// True when `bytes` is plain decimal text — `-?D+.D+`, no leading zeros before other digits, no trailing
    /// zeros after the point, at most 15 significant digits, at least 0.0001 in magnitude — so that
    /// `CellValue.format(Double(text)!)` gives back exactly `text`. (Any decimal of at most 15 significant
    /// digits survives the trip through a Double, and no shorter text reads as the same Double; Swift prints
    /// such a value without an exponent.) False for integers, which `format` prints without a point anyway.
    @inlinable
    public static func isShortestForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        if i < n, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < n, bytes[i] &- 48 < 10 { i += 1 }
        let intDigits = i - intStart
        guard intDigits > 0, i < n, bytes[i] == UInt8(ascii: "."),
              intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else { return false }
        i += 1
        let fracStart = i
        while i < n, bytes[i] &- 48 < 10 { i += 1 }
        let fracDigits = i - fracStart
        guard i == n, fracDigits > 0, bytes[n - 1] != UInt8(ascii: "0") else { return false }
        var significant = intDigits + fracDigits
        if intDigits == 1 && bytes[intStart] == UInt8(ascii: "0") {
            // 0.000123: the zeros after the point are not significant, and more than three of them make
            // Swift print an exponent (1.23e-05).
            var zeros = 0
            while fracStart + zeros < n, bytes[fracStart + zeros] == UInt8(ascii: "0") { zeros += 1 }
            guard zeros <= 3 else { return false }
            significant = fracDigits - zeros
        }
        return significant <= 15
    }
}
