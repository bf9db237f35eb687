import SheetCore

/// Writes rows one at a time, as a streaming reader hands them over (`jixiao dump --csv` on a large sheet), with
/// one encoder for the whole output (one `iconv` handle for GBK/GB18030).
///
/// Row indices that are skipped become empty lines, so the output starts at A1 as `CSVWriter.write(_:)` does.
///
///     var stream = try CSVStreamWriter(CSVWriter(encoding: .utf8BOM), width: 9)
///     var out = stream.preamble
///     try reader.forEachRow { row in try stream.append(row, to: &out); flushIfLarge(&out) }
public struct CSVStreamWriter {
    public let writer: CSVWriter
    /// Fields per line (rows are padded to it, longer rows are written whole); nil writes each row as long as it is.
    public let width: Int?
    private var encoder: RowEncoder
    private var nextRow: UInt32 = 0
    private var values: [CellValue] = []

    public init(_ writer: CSVWriter = CSVWriter(), width: Int? = nil) throws {
        self.writer = writer
        self.width = width
        self.encoder = try RowEncoder(encoding: writer.encoding, delimiter: writer.delimiter)
    }

    /// The BOM to write first, if the encoding has one.
    public var preamble: [UInt8] { writer.preamble }

    /// Appends the lines for `row`: an empty line for each row index skipped since the last call, then the row.
    /// Rows must come in increasing index order.
    ///
    /// - Throws: `JixiaoError(.invalidValue)` naming the cell the encoding cannot hold.
    public mutating func append(_ row: Row, to out: inout [UInt8]) throws {
        while nextRow < row.index {
            values.removeAll(keepingCapacity: true)
            if let width { values.append(contentsOf: repeatElement(CellValue.empty, count: width)) }
            try encoder.encode(values.isEmpty ? [.empty] : values, row: nextRow, into: &out)
            nextRow += 1
        }
        let count = max(width ?? 0, Int(row.cells.last?.col ?? 0) + 1)
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(CellValue.empty, count: count))
        for c in row.cells { values[Int(c.col)] = c.value }
        try encoder.encode(values, row: row.index, into: &out)
        nextRow = row.index &+ 1
    }
}
