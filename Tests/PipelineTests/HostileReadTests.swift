import Foundation
import Pipeline
import SheetCore
import Testing
import TestSupport
import XLSXFormat
import ZipArchive

/// Issue 8 in process: each hostile fixture fails with the right kind at the right place (or reads within
/// the limits), the sheet reader keeps memory at the distinct cells, and output names stay in their folder.
@Suite("Hostile files read in process")
struct HostileReadTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var kind: JixiaoError.Kind
        var part: String?
        var sheet: String?
        var message: String
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "xlsx_billion_laughs.xlsx", kind: .unsafe, part: "xl/worksheets/sheet1.xml", sheet: "Sheet1", message: "DOCTYPE"),
        Case(file: "xlsx_xxe_passwd.xlsx", kind: .unsafe, part: "xl/worksheets/sheet1.xml", sheet: "Sheet1", message: "DOCTYPE"),
        Case(file: "xlsx_xxe_external_dtd.xlsx", kind: .unsafe, part: "xl/workbook.xml", sheet: nil, message: "DOCTYPE"),
        Case(file: "xlsx_xxe_rels.xlsx", kind: .unsafe, part: "_rels/.rels", sheet: nil, message: "DOCTYPE"),
        Case(file: "xlsx_doctype_sharedstrings.xlsx", kind: .unsafe, part: "xl/sharedStrings.xml", sheet: nil, message: "DOCTYPE"),
        Case(file: "xlsx_deep_nesting.xlsx", kind: .limitExceeded, part: "xl/worksheets/sheet1.xml", sheet: "Sheet1", message: "maxXMLDepth"),
        Case(file: "xlsx_many_attributes.xlsx", kind: .limitExceeded, part: "xl/worksheets/sheet1.xml", sheet: "Sheet1", message: "maxXMLAttributes"),
        Case(file: "xlsx_long_shared_string.xlsx", kind: .limitExceeded, part: "xl/sharedStrings.xml", sheet: nil, message: "maxStringLength"),
        Case(file: "xlsx_overlap_entries.xlsx", kind: .unsafe, part: nil, sheet: nil, message: "overlap"),
        Case(file: "xlsx_truncated.xlsx", kind: .truncated, part: nil, sheet: nil, message: "文件不完整"),
        Case(file: "xlsx_malformed_xml.xlsx", kind: .corrupt, part: "xl/workbook.xml", sheet: nil, message: "xmlParseCharRef"),
        Case(file: "xlsx_bad_encoding.xlsx", kind: .corrupt, part: "xl/worksheets/sheet1.xml", sheet: "Sheet1", message: "UTF-8"),
        Case(file: "xlsx_bad_crc.xlsx", kind: .corrupt, part: "xl/worksheets/sheet1.xml", sheet: "附件2", message: "CRC"),
        Case(file: "xlsx_ole_encrypted.xlsx", kind: .encrypted, part: nil, sheet: nil, message: "OLE"),
        Case(file: "xlsx_rels_outside.xlsx", kind: .corrupt, part: nil, sheet: "Sheet1", message: "missing"),
        Case(file: "csv_unterminated_quote.csv", kind: .corrupt, part: nil, sheet: nil, message: "not closed"),
    ]

    @Test("each refused fixture gives its kind, its place and the limit or reason", arguments: cases)
    func refused(_ c: Case) throws {
        let path = Fixtures.url("hostile/" + c.file).path
        let e = #expect(throws: JixiaoError.self) { try loadWorkbook(path: path) }
        #expect(e?.kind == c.kind, "\(String(describing: e))")
        #expect(e?.location?.file == path)
        if let part = c.part { #expect(e?.location?.part == part, "\(String(describing: e))") }
        if let sheet = c.sheet { #expect(e?.location?.sheet == sheet, "\(String(describing: e))") }
        #expect(e?.description.contains(c.message) == true, "\(String(describing: e))")
        #expect(e?.description.contains("root:") == false)
    }

    @Test("the CSV's unterminated quote is reported at the line it opened on")
    func unterminatedQuoteLine() throws {
        let e = #expect(throws: JixiaoError.self) { try loadWorkbook(path: Fixtures.url("hostile/csv_unterminated_quote.csv").path) }
        #expect(e?.location?.line == 2)
    }

    @Test("XFD1048576 and A1:XFD1048576 are read as a cell and a range")
    func lastCellAndWholeSheetMerge() throws {
        let wb = try loadWorkbook(path: Fixtures.url("hostile/xlsx_cell_xfd1048576.xlsx").path)
        #expect(wb.sheets[0][CellRef(row: CellRef.maxRow, col: CellRef.maxCol)] == .number(7))
        let merged = try loadWorkbook(path: Fixtures.url("hostile/xlsx_merge_whole_sheet.xlsx").path)
        #expect(merged.sheets[0].merged.contains(CellRange(first: CellRef(row: 0, col: 0),
                                                           last: CellRef(row: CellRef.maxRow, col: CellRef.maxCol))))
        #expect(merged.sheets[0].merged.count == 21)
    }

    // MARK: - The sheet reader's buffers

    /// A stored one-sheet package around `sheetData` content.
    static func package(_ sheetData: String) throws -> [UInt8] {
        var zip = ZipWriter()
        try zip.add("[Content_Types].xml", Array(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.utf8), compress: false)
        try zip.add("_rels/.rels", Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8), compress: false)
        try zip.add("xl/workbook.xml", Array(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8), compress: false)
        try zip.add("xl/_rels/workbook.xml.rels", Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8), compress: false)
        try zip.add("xl/worksheets/sheet1.xml", Array(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\#(sheetData)</sheetData></worksheet>"#.utf8), compress: false)
        return try zip.finish()
    }

    @Test("a <row> repeating cells past the compaction threshold keeps the last of each, in order")
    func repeatedCellsCompacted() throws {
        // 100,000 cells cycling over A1:C1 and naming rows 1 and 2 alternately, inside one <row>.
        var xml = #"<row r="1">"#
        for i in 0..<100_000 {
            let col = ["A", "B", "C"][i % 3]
            xml += #"<c r="\#(col)\#(1 + (i / 3) % 2)"><v>\#(i)</v></c>"#
        }
        xml += "</row>"
        let grid = try XLSXReader(bytes: try HostileReadTests.package(xml), name: "r.xlsx").readGrid(sheet: 0)
        // The last cell for each (row, col): the largest i with that col and that row parity.
        func last(_ col: Int, _ row: Int) -> Double {
            Double((0..<100_000).last { $0 % 3 == col && ($0 / 3) % 2 == row }!)
        }
        #expect(grid.rows.map(\.index) == [0, 1])
        #expect(grid.rows[0].cells.map(\.value) == [.number(last(0, 0)), .number(last(1, 0)), .number(last(2, 0))])
        #expect(grid.rows[1].cells.map(\.value) == [.number(last(0, 1)), .number(last(1, 1)), .number(last(2, 1))])
    }

    @Test("repeats of one row merge with the later cell winning, in and out of column order")
    func repeatedRowsMerged() throws {
        var xml = ""
        for i in 0..<70_000 { xml += #"<row r="3"><c r="\#(["C", "A", "B"][i % 3])3"><v>\#(i)</v></c></row>"# }
        xml += #"<row r="4"><c r="A4"><v>1</v></c></row>"#
        let grid = try XLSXReader(bytes: try HostileReadTests.package(xml), name: "r.xlsx").readGrid(sheet: 0)
        #expect(grid.rows.map(\.index) == [2, 3])
        #expect(grid.rows[0].cells.map(\.col) == [0, 1, 2])
        #expect(grid.rows[0].cells.map(\.value) == [.number(69_997), .number(69_998), .number(69_999)])
    }

    @Test("one <row> naming more distinct cells than maxCellsInMemory is refused, naming the limit")
    func distinctCellsLimit() throws {
        var xml = #"<row r="1">"#
        for i in 0..<70_000 { xml += #"<c r="A\#(i + 1)"><v>1</v></c>"# }
        xml += "</row>"
        var limits = ReadLimits()
        limits.maxCellsInMemory = 1_000
        let reader = try XLSXReader(bytes: try HostileReadTests.package(xml), name: "r.xlsx", limits: limits)
        let e = #expect(throws: JixiaoError.self) { try reader.forEachRow(sheet: 0) { _ in } }
        #expect(e?.kind == .limitExceeded)
        #expect(e?.message.contains("maxCellsInMemory") == true)
        #expect(e?.location?.sheet == "S")
        // With the default limits the same sheet reads: 70,000 rows of one cell.
        let grid = try XLSXReader(bytes: try HostileReadTests.package(xml), name: "r.xlsx").readGrid(sheet: 0)
        #expect(grid.rows.count == 70_000)
    }

    // MARK: - Output names

    @Test("sanitised components: no separators, dots, controls or bidi overrides; at most 200 bytes")
    func sanitisedComponents() {
        let names = ["../../../tmp/evil", "/etc/passwd", "a\tb\nc", "..", ".hidden", "a\u{85}b", "x\u{202E}gpj.exe",
                     "a\u{2028}b", String(repeating: "绩效评价", count: 100), "\u{FEFF}bom", "C:\\x", ""]
        for n in names {
            let s = BatchInputs.sanitiseComponent(n)
            #expect(!s.isEmpty && !s.hasPrefix(".") && !s.contains("/") && !s.contains("\\"), "\(n) → \(s)")
            #expect(!s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E || $0.value == 0x2028 },
                    "\(n) → \(s)")
            #expect(s.utf8.count <= BatchInputs.maxComponentBytes, "\(s.utf8.count) bytes")
        }
        // Chinese names are cut at a character boundary, by bytes.
        let long = BatchInputs.sanitiseComponent(String(repeating: "绩效评价", count: 100))
        #expect(long.utf8.count == 198 && long.allSatisfy { "绩效评价".contains($0) })
    }

    @Test("output paths land inside the output folder; links on the way are refused")
    func outputPaths() throws {
        let dir = try Fixtures.tempDirectory("outpaths")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for rel in ["../../../tmp/evil", "/etc/passwd", "部门A/../../x", "a\u{0}b/..", "..", "", "部门A/附件2"] {
            let p = try OutputPaths.file(in: out, relative: rel, extension: "xlsx")
            let standard = URL(fileURLWithPath: p).standardizedFileURL.path
            #expect(standard.hasPrefix(out + "/"), "\(rel) → \(p)")
            #expect(standard == p, "\(rel) → \(p)")
            #expect(p.hasSuffix(".xlsx"))
        }
        #expect(FileManager.default.fileExists(atPath: out + "/部门A"))
        // A link inside the output folder pointing out of it is not followed.
        try FileManager.default.createSymbolicLink(atPath: out + "/link", withDestinationPath: dir.path)
        let e = #expect(throws: JixiaoError.self) { try OutputPaths.file(in: out, relative: "link/x", extension: "xlsx") }
        #expect(e?.kind == .unsafe)
        try FileManager.default.createSymbolicLink(atPath: out + "/f.xlsx", withDestinationPath: dir.path + "/victim")
        #expect(throws: JixiaoError.self) { try OutputPaths.file(in: out, relative: "f", extension: "xlsx") }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/victim"))
    }
}
