import Foundation
import SheetCore
import TestSupport
import Testing
@testable import XLSXFormat

/// The reader (and `jixiao dump --json`) against the golden grids written by an independent Python reader.
@Suite struct GoldenGridTests {
    static let fixtures = ["seed000_project_framework.xlsx", "seed000_project_framework_blank.xlsx",
                           "seed002_department_framework.xlsx"]

    static func expectSame(_ mine: Workbook, _ golden: Workbook, _ what: String) {
        #expect(mine.sheets.map(\.name) == golden.sheets.map(\.name), "\(what)")
        for (m, g) in zip(mine.sheets, golden.sheets) {
            #expect(m.info.visibility == g.info.visibility, "\(what) \(m.name)")
            #expect(m.merged == g.merged, "\(what) \(m.name)")
            let mv = values(m), gv = values(g)
            #expect(mv.count == gv.count, "\(what) \(m.name): \(mv.count) vs \(gv.count) cells")
            for (ref, v) in gv where mv[ref] != v {
                Issue.record("\(what) \(m.name)!\(ref.a1): \(String(describing: mv[ref])) vs \(v)")
            }
        }
    }

    /// Non-empty values by position.
    static func values(_ g: Grid) -> [CellRef: CellValue] {
        var out: [CellRef: CellValue] = [:]
        for row in g.rows { for c in row.cells where !c.value.isEmpty { out[CellRef(row: row.index, col: c.col)] = c.value } }
        return out
    }

    @Test(arguments: fixtures)
    func readerMatchesGolden(_ name: String) throws {
        let wb = try XLSXReader(path: Fixtures.url("xlsx/" + name).path).readWorkbook()
        GoldenGridTests.expectSame(wb, try GridJSON.golden(name), name)
        #expect(wb.sheets.first?.rows.isEmpty == false)
    }

    @Test(arguments: fixtures)
    func dumpJSONMatchesGolden(_ name: String) throws {
        let r = try runJixiao(["dump", Fixtures.url("xlsx/" + name).path, "--json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let obj = try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
        GoldenGridTests.expectSame(GridJSON.workbook(from: obj, file: name), try GridJSON.golden(name), "dump \(name)")
    }
}

/// `jixiao dump` behaviour as a user sees it.
@Suite struct DumpCommandTests {
    @Test func csvOfTheFirstWorksheet() throws {
        let r = try runJixiao(["dump", Fixtures.url("xlsx/seed000_project_framework.xlsx").path, "--csv"])
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "附件2：项目支出绩效评价共性指标体系框架")
        #expect(lines[1] == "\"一级")   // the header cell "一级\n指标" is quoted across two lines
        #expect(lines[2].hasPrefix("指标\",二级指标,三级指标,四级指标,分值,得分"))
    }

    @Test func jsonShapeAndEscapes() throws {
        let r = try runJixiao(["dump", Fixtures.url("xlsx/seed000_project_framework.xlsx").path, "--json"])
        #expect(r.stdoutText.hasPrefix("{\"sheets\":[\n{\"name\":\"附件2\",\"type\":\"worksheet\",\"visible\":\"visible\",\"merged\":[\"A1:I1\""))
        #expect(r.stdoutText.contains("\"一级\\n指标\""))
        #expect(r.stdoutText.contains("\"start\":[0,0]"))
    }

    @Test func unknownSheetAndUnreadableFiles() throws {
        let f = Fixtures.url("xlsx/seed000_project_framework.xlsx").path
        var r = try runJixiao(["dump", f, "--csv", "--sheet", "nope"])
        #expect(r.status == 2)
        #expect(r.stderrText.hasPrefix("jixiao: error: ") && r.stderrText.contains("nope"))
        let dir = try Fixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.xlsx")
        try Data("PK\u{3}\u{4}garbage".utf8).write(to: bad)
        r = try runJixiao(["dump", bad.path, "--json"])
        #expect(r.status == 2)
        #expect(r.stderrText.split(separator: "\n").count == 1)
        #expect(r.stderrText.hasPrefix("jixiao: error: \(bad.path)"))
        r = try runJixiao(["dump", dir.appendingPathComponent("missing.xlsx").path, "--json"])
        #expect(r.status == 2)
        #expect(r.stderrText.contains("no such file"))
        r = try runJixiao(["dump", f])
        #expect(r.status != 0 && r.status != 2)   // usage error
    }
}

/// `jixiao dump` on a workbook built here: JSON escapes, CSV quoting and gaps, types.
@Suite struct DumpEncodingTests {
    @Test func jsonAndCSVEncoding() throws {
        let p = PackageBuilder.oneSheet("""
            <row r="2"><c r="B2" t="inlineStr"><is><t>a"b\\c_x0001_</t></is></c><c r="C2"><v>0.1</v></c><c r="D2" t="b"><v>1</v></c>\
            <c r="E2" t="e"><v>#N/A</v></c><c r="F2" s="1"><v>45000.25</v></c><c r="G2"><v>1e20</v></c></row>\
            <row r="4"><c r="C4" t="inlineStr"><is><t xml:space="preserve"> x,y </t></is></c><c r="D4" t="inlineStr"><is><t>中文</t></is></c></row>
            """, styles: #"<cellXfs><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs>"#)
        let dir = try Fixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("enc.xlsx")
        try Data(p.xlsxBytes()).write(to: file)

        let json = try runJixiao(["dump", file.path, "--json"])
        #expect(json.status == 0, "\(json.stderrText)")
        #expect(json.stdoutText == """
            {"sheets":[
            {"name":"Sheet1","type":"worksheet","visible":"visible","merged":[],"start":[1,1],"rows":[
            ["a\\"b\\\\c\\u0001",0.1,true,null,"2023-03-15T06:00:00",1e+20],
            [],
            [null," x,y ","中文"]]}
            ]}

            """)
        let csv = try runJixiao(["dump", file.path, "--csv"])
        #expect(csv.status == 0)
        #expect(csv.stdoutText == "\n,\"a\"\"b\\c\u{1}\",0.1,TRUE,#N/A,2023-03-15T06:00:00,1e+20\n\n,,\" x,y \",中文\n")
    }
}
