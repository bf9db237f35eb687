import Foundation
import SheetCore
import TestSupport

/// A minimal RFC 4180 reader for the UTF-8 test fixtures of this target (the product reads CSV with
/// CSVFormat; the Scoring tests must not depend on it).
enum TestCSV {
    static func grid(_ text: String, name: String = "") -> Grid {
        var rows: [[CellValue]] = []
        var row: [CellValue] = []
        var field = ""
        var quoted = false
        var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        chars.append("\n")
        var i = 0
        func endField() { row.append(field.isEmpty ? .empty : .string(field)); field = "" }
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                endField()
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                endField()
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
            } else {
                field.append(c)
            }
            i += 1
        }
        return Grid(name: name, values: rows)
    }

    static func fixture(_ relative: String) throws -> Grid {
        grid(String(decoding: try Fixtures.data(relative), as: UTF8.self))
    }
}
