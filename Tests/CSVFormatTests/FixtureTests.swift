import Testing
import Foundation
import SheetCore
import CSVFormat
import TestSupport

/// Every CSV fixture of a seed table reads to the values of the independent reader's golden grid of the XLSX
/// fixture of the same table.
@Suite struct FixtureTests {
    struct Case: CustomStringConvertible, Sendable {
        var file: String
        var golden: String
        var encoding: CSVEncoding
        var delimiter: UInt8
        var description: String { file }
    }

    static let seed000 = "seed000_project_framework.xlsx"
    static let seed002 = "seed002_department_framework.xlsx"
    static let cases: [Case] = [
        Case(file: "seed000_project_framework.csv", golden: seed000, encoding: .utf8BOM, delimiter: 0x2C),
        Case(file: "seed000_project_framework_utf8.csv", golden: seed000, encoding: .utf8, delimiter: 0x2C),
        Case(file: "seed000_project_framework_gb18030.csv", golden: seed000, encoding: .gb18030, delimiter: 0x2C),
        Case(file: "seed000_project_framework_semicolon.csv", golden: seed000, encoding: .utf8BOM, delimiter: 0x3B),
        Case(file: "seed000_project_framework_tab.tsv", golden: seed000, encoding: .utf8, delimiter: 0x09),
        Case(file: "seed000_project_framework_utf16le.txt", golden: seed000, encoding: .utf16le, delimiter: 0x09),
        Case(file: "seed000_project_framework_utf16be.txt", golden: seed000, encoding: .utf16be, delimiter: 0x09),
        Case(file: "seed002_department_framework_gbk.csv", golden: seed002, encoding: .gb18030, delimiter: 0x2C),
        Case(file: "seed002_department_framework_utf8bom.csv", golden: seed002, encoding: .utf8BOM, delimiter: 0x2C),
        Case(file: "seed002_department_framework_utf16le.txt", golden: seed002, encoding: .utf16le, delimiter: 0x09),
    ]

    @Test(arguments: cases)
    func readsToGoldenValues(_ c: Case) throws {
        let golden = try #require(try GridJSON.golden(c.golden).sheets.first)
        let path = Fixtures.url("csv/" + c.file).path
        let grid = try CSVReader.read(path: path)
        #expect(grid.name == CSVReader.sheetName(forFile: c.file))
        #expect(differences(grid, golden) == [])
        #expect(values(grid).count == values(golden).count)
        #expect(grid.merged.isEmpty)
        // The same from bytes in memory.
        let fromBytes = try CSVReader.read(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), name: c.file)
        #expect(fromBytes.rows == grid.rows)
    }

    @Test(arguments: cases)
    func detectsEncodingAndDelimiter(_ c: Case) throws {
        let data = Array(try Fixtures.data("csv/" + c.file))
        let d = CSVReader.detect(bytes: data)
        #expect(d.encoding == c.encoding)
        #expect(d.delimiter == c.delimiter)
        let p = try CSVReader.detect(path: Fixtures.url("csv/" + c.file).path)
        #expect(p.encoding == c.encoding && p.delimiter == c.delimiter)
    }

    @Test func goldenHoldsNumbersAndUnitStrings() throws {
        // The comparison above is meaningful only if both kinds occur: numbers (分值) and text with units.
        let grid = try CSVReader.read(path: Fixtures.url("csv/seed002_department_framework_gbk.csv").path)
        #expect(grid[CellRef(a1: "D42")!] == .number(96))
        #expect(grid[CellRef(a1: "B2")!] == .string("二级\n指标"))
        let g0 = try CSVReader.read(path: Fixtures.url("csv/seed000_project_framework.csv").path)
        #expect(g0[CellRef(a1: "E3")!] == .number(1))
        #expect(g0[CellRef(a1: "A1")!] == .string("附件2：项目支出绩效评价共性指标体系框架"))
    }

    @Test func explicitOptionsMatchDetection() throws {
        let path = Fixtures.url("csv/seed002_department_framework_gbk.csv").path
        let detected = try CSVReader.read(path: path)
        let gbk = try CSVReader.read(path: path, options: CSVOptions(encoding: .gbk, delimiter: 0x2C))
        #expect(gbk.rows == detected.rows)
    }

    @Test func streamingDeliversTheSameRows() throws {
        let path = Fixtures.url("csv/seed000_project_framework_utf16le.txt").path
        var rows: [Row] = []
        try CSVReader.forEachRow(path: path, options: CSVOptions()) { rows.append($0) }
        #expect(rows == (try CSVReader.read(path: path)).rows)
        #expect(rows.count == 35)
    }
}
