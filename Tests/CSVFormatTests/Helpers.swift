import SheetCore
import CSVFormat

/// Every stored non-empty value of a grid by cell (formulas, styles and merges ignored).
func values(_ g: Grid) -> [CellRef: CellValue] {
    var out: [CellRef: CellValue] = [:]
    for row in g.rows {
        for c in row.cells where !c.value.isEmpty { out[CellRef(row: row.index, col: c.col)] = c.value }
    }
    return out
}

/// Cell-by-cell differences, readable in a failure message (empty when equal).
func differences(_ a: Grid, _ b: Grid, limit: Int = 10) -> [String] {
    let va = values(a), vb = values(b)
    var out: [String] = []
    for ref in Set(va.keys).union(vb.keys).sorted() where va[ref] != vb[ref] {
        out.append("\(ref.a1): \(String(describing: va[ref])) vs \(String(describing: vb[ref]))")
        if out.count >= limit { break }
    }
    return out
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Reads a CSV text (UTF-8) with options.
func parse(_ s: String, _ options: CSVOptions = .init()) throws -> Grid {
    try CSVReader.read(bytes: Array(s.utf8), name: "t.csv", options: options)
}

/// The rows of a grid as plain arrays (row index → values, by column from A).
func table(_ g: Grid) -> [[CellValue]] {
    guard let last = g.rows.last?.index else { return [] }
    var out: [[CellValue]] = Array(repeating: [], count: Int(last) + 1)
    for row in g.rows {
        var vals = [CellValue](repeating: .empty, count: Int(row.cells.last!.col) + 1)
        for c in row.cells { vals[Int(c.col)] = c.value }
        out[Int(row.index)] = vals
    }
    return out
}

/// Catches a JixiaoError from a closure (nil when nothing or something else was thrown).
func jixiaoError(_ body: () throws -> Void) -> JixiaoError? {
    do { try body() } catch let e as JixiaoError { return e } catch { return nil }
    return nil
}

