/// A cell address: 0-based row and column. `A1` is `(row: 0, col: 0)`; the last Excel cell `XFD1048576`
/// is `(row: 1_048_575, col: 16_383)`.
public struct CellRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var row: UInt32
    public var col: UInt16

    /// Excel's limits (XFD1048576), 0-based.
    public static let maxRow: UInt32 = 1_048_575
    public static let maxCol: UInt16 = 16_383

    @inlinable
    public init(row: UInt32, col: UInt16) {
        self.row = row
        self.col = col
    }

    /// Parses `B23`, `$B$23`, `b23`. Returns nil for anything else, including references past XFD1048576
    /// and row 0 (`A0`).
    public init?<S: StringProtocol>(a1 text: S) {
        guard let r = Array(text.utf8).withUnsafeBufferPointer({ CellRef.parse($0) }) else { return nil }
        self = r
    }

    /// Byte-level parser for the readers' hot path: `[$]LETTERS[$]DIGITS`, nothing else.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellRef? {
        var i = 0
        let n = bytes.count
        if i < n && bytes[i] == UInt8(ascii: "$") { i += 1 }
        var col: UInt32 = 0
        var letters = 0
        while i < n {
            var b = bytes[i]
            if b >= 97 && b <= 122 { b -= 32 }
            guard b >= 65 && b <= 90 else { break }
            col = col * 26 + UInt32(b - 64)
            letters += 1
            if letters > 3 { return nil }
            i += 1
        }
        guard letters > 0 else { return nil }
        if i < n && bytes[i] == UInt8(ascii: "$") { i += 1 }
        var row: UInt64 = 0
        var digits = 0
        while i < n {
            let b = bytes[i]
            guard b >= 48 && b <= 57 else { return nil }
            row = row * 10 + UInt64(b - 48)
            digits += 1
            if digits > 7 { return nil }
            i += 1
        }
        guard digits > 0, row >= 1, row <= UInt64(maxRow) + 1, col >= 1, col <= UInt32(maxCol) + 1 else { return nil }
        return CellRef(row: UInt32(row - 1), col: UInt16(col - 1))
    }

    /// Column letters for a 0-based column: 0 → "A", 25 → "Z", 26 → "AA", 16383 → "XFD".
    public static func columnName(_ col: UInt16) -> String {
        var n = Int(col) + 1
        var chars: [UInt8] = []
        while n > 0 {
            let rem = (n - 1) % 26
            chars.append(UInt8(65 + rem))
            n = (n - 1) / 26
        }
        return String(decoding: chars.reversed(), as: UTF8.self)
    }

    /// 0-based column for letters ("A" → 0); nil when not letters or past XFD.
    public static func columnIndex<S: StringProtocol>(_ letters: S) -> UInt16? {
        var col: UInt32 = 0
        var count = 0
        for var b in letters.utf8 {
            if b >= 97 && b <= 122 { b -= 32 }
            guard b >= 65 && b <= 90 else { return nil }
            col = col * 26 + UInt32(b - 64)
            count += 1
            if count > 3 { return nil }
        }
        guard count > 0, col <= UInt32(maxCol) + 1 else { return nil }
        return UInt16(col - 1)
    }

    /// `B23`.
    public var a1: String { CellRef.columnName(col) + String(row + 1) }
    public var description: String { a1 }

    public static func < (l: CellRef, r: CellRef) -> Bool {
        l.row != r.row ? l.row < r.row : l.col < r.col
    }
}

/// A rectangular range `first:last` (inclusive), first being the top-left.
public struct CellRange: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var first: CellRef
    public var last: CellRef

    public init(first: CellRef, last: CellRef) {
        self.first = CellRef(row: min(first.row, last.row), col: min(first.col, last.col))
        self.last = CellRef(row: max(first.row, last.row), col: max(first.col, last.col))
    }

    /// Parses `A1:B2`, `$A$1:$B$2` or a single cell `C3` (a one-cell range).
    public init?<S: StringProtocol>(a1 text: S) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let a = CellRef(a1: parts[0]) else { return nil }
            self.init(first: a, last: a)
        case 2:
            guard let a = CellRef(a1: parts[0]), let b = CellRef(a1: parts[1]) else { return nil }
            self.init(first: a, last: b)
        default:
            return nil
        }
    }

    /// Byte-level parser for the readers (same grammar as ``init(a1:)``): `REF` or `REF:REF`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellRange? {
        var colon = -1
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ":") {
            guard colon < 0 else { return nil }
            colon = i
        }
        guard colon >= 0 else {
            guard let a = CellRef.parse(bytes) else { return nil }
            return CellRange(first: a, last: a)
        }
        guard let a = CellRef.parse(UnsafeBufferPointer(rebasing: bytes[..<colon])),
              let b = CellRef.parse(UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])) else { return nil }
        return CellRange(first: a, last: b)
    }

    public var a1: String { "\(first.a1):\(last.a1)" }
    public var description: String { a1 }
    public var rowCount: Int { Int(last.row - first.row) + 1 }
    public var columnCount: Int { Int(last.col - first.col) + 1 }
    /// Number of cells, as 64-bit: `A1:XFD1048576` has 17 billion.
    public var cellCount: UInt64 { UInt64(rowCount) * UInt64(columnCount) }

    @inlinable
    public func contains(_ ref: CellRef) -> Bool {
        ref.row >= first.row && ref.row <= last.row && ref.col >= first.col && ref.col <= last.col
    }

    public static func < (l: CellRange, r: CellRange) -> Bool {
        l.first != r.first ? l.first < r.first : l.last < r.last
    }
}
