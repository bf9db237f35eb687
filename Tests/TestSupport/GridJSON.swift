import Foundation
import SheetCore

/// Reads the dump-JSON shape (`{"sheets":[{"name","visible","merged","start","rows"}]}`) into a Workbook.
/// Used for golden grids (Fixtures/golden/grids/*.json, written by scripts/grid-goldens.py with an
/// independent reader) so that layers above the readers can be tested on their own.
public enum GridJSON {
    public static func load(_ url: URL) throws -> Workbook {
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return workbook(from: obj, file: url.lastPathComponent)
    }

    /// The golden grid of an XLSX fixture: `golden("seed000_project_framework.xlsx")`.
    public static func golden(_ fixtureName: String) throws -> Workbook {
        var wb = try load(Fixtures.url("golden/grids/\(fixtureName).json"))
        wb.file = fixtureName
        return wb
    }

    public static func workbook(from obj: [String: Any], file: String) -> Workbook {
        var sheets: [Grid] = []
        for s in obj["sheets"] as? [[String: Any]] ?? [] {
            let vis = SheetVisibility(rawValue: s["visible"] as? String ?? "visible") ?? .visible
            let info = SheetInfo(name: s["name"] as? String ?? "", visibility: vis)
            let merged = (s["merged"] as? [String] ?? []).compactMap { CellRange(a1: $0) }.sorted()
            var rows: [Row] = []
            if let start = s["start"] as? [Int], let data = s["rows"] as? [[Any]] {
                for (i, r) in data.enumerated() {
                    var cells: [Cell] = []
                    for (j, v) in r.enumerated() {
                        let value = cellValue(v)
                        if !value.isEmpty { cells.append(Cell(col: UInt16(start[1] + j), value: value)) }
                    }
                    if !cells.isEmpty { rows.append(Row(index: UInt32(start[0] + i), cells: cells)) }
                }
            }
            sheets.append(Grid(info: info, rows: rows, merged: merged))
        }
        return Workbook(file: file, sheets: sheets)
    }

    static func cellValue(_ v: Any) -> CellValue {
        switch v {
        case is NSNull: return .empty
        case let s as String: return .string(s)
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .bool(n.boolValue) }
            return .number(n.doubleValue)
        default: return .empty
        }
    }
}
