// libFuzzer target: the CSV reader (encoding and delimiter detection, RFC 4180 tokenizer, number
// inference) on arbitrary bytes, with detection and with each explicit encoding.
// Built and run by `scripts/fuzz csv SECONDS`.
import CSVFormat
import SheetCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = ReadLimits()
    // Small limits so that the limit paths are reached by small inputs too.
    limits.maxCSVField = 4096
    limits.maxCSVLine = 16_384
    limits.maxRowsInMemory = 10_000
    limits.maxCellsInMemory = 100_000
    let encodings: [CSVEncoding?] = [nil, .utf8, .gb18030, .gbk, .utf16le, .utf16be]
    let pick = size > 0 ? Int(bytes[size - 1]) % encodings.count : 0
    for options in [CSVOptions(limits: limits), CSVOptions(encoding: encodings[pick], inferNumbers: false, limits: limits)] {
        do {
            let grid = try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: options)
            for i in grid.rows.indices.dropFirst() where grid.rows[i - 1].index >= grid.rows[i].index {
                fatalError("rows out of order")
            }
            for row in grid.rows {
                for i in row.cells.indices.dropFirst() where row.cells[i - 1].col >= row.cells[i].col {
                    fatalError("cells out of order")
                }
            }
        } catch is JixiaoError {
        } catch {
            fatalError("not a JixiaoError: \(error)")
        }
    }
    _ = CSVReader.detect(bytes: bytes)
    return 0
}
