// libFuzzer target: the indicator normaliser, validation, roll-up and report on grids made from the input.
// Input format (UTF-8, invalid bytes repaired): one row per line, cells separated by TAB; a cell that reads
// as a number is a number, TRUE/FALSE a boolean; a line `@merge A1:B3 C4:C9` adds merged ranges (and is no
// row); a line `@sheet NAME` starts a new sheet. Built and run by `scripts/fuzz normaliser SECONDS`.
import IndicatorModel
import SheetCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var sheets: [Grid] = []
    var name = "Sheet1"
    var rows: [Row] = []
    var merged: [CellRange] = []
    var r: UInt32 = 0
    func flush() {
        sheets.append(Grid(info: SheetInfo(name: name), rows: rows, merged: merged.sorted()))
        rows = []; merged = []; r = 0
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("@merge ") {
            for part in line.dropFirst(7).split(separator: " ") {
                if let m = CellRange(a1: part), merged.count < 10_000 { merged.append(m) }
            }
            continue
        }
        if line.hasPrefix("@sheet ") {
            flush()
            name = String(line.dropFirst(7))
            continue
        }
        var cells: [Cell] = []
        for (c, field) in line.split(separator: "\t", omittingEmptySubsequences: false).enumerated() where c <= Int(CellRef.maxCol) {
            guard !field.isEmpty else { continue }
            let v: CellValue
            if let d = Double(field) { v = .number(d) }
            else if field == "TRUE" { v = .bool(true) }
            else if field == "FALSE" { v = .bool(false) }
            else { v = .string(String(field)) }
            cells.append(Cell(col: UInt16(c), value: v))
        }
        if !cells.isEmpty { rows.append(Row(index: r, cells: cells)) }
        if r == CellRef.maxRow { break }
        r += 1
    }
    flush()
    let workbook = Workbook(file: "fuzz.xlsx", sheets: sheets)
    do {
        let f = try Normaliser.frameworks(in: workbook, sheet: nil)
        let report = CheckReport(validating: f)
        _ = report.jsonText()
        _ = report.text()
        for leaf in f.leaves { _ = leaf.path }
    } catch let e as JixiaoError {
        guard e.kind == .noTable else { fatalError("unexpected error kind: \(e)") }
    } catch {
        fatalError("not a JixiaoError: \(error)")
    }
    return 0
}
