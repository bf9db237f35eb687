import Foundation
import SheetCore
import Testing
import TestSupport
import ZipArchive
@testable import XLSXFormat

/// Fill real workbooks and read them back with jixiao's own reader: the changed cells hold the new values,
/// every other cell is as it was, and every package part but the changed worksheets is byte-identical.
@Suite struct FillRoundTripTests {
    struct Part: Equatable {
        var name: String
        var method: UInt16
        var crc: UInt32
        var raw: [UInt8]
    }

    static func parts(_ path: String) throws -> [Part] {
        let z = try ZipReader(path: path)
        return try z.entries.map { Part(name: $0.name, method: $0.method, crc: $0.crc32, raw: try z.rawData($0)) }
    }

    static func parts(bytes: [UInt8]) throws -> [Part] {
        let z = try ZipReader(bytes: bytes, name: "out.xlsx")
        return try z.entries.map { Part(name: $0.name, method: $0.method, crc: $0.crc32, raw: try z.rawData($0)) }
    }

    static func workbook(_ path: String) throws -> Workbook {
        try XLSXReader(path: path).readWorkbook()
    }

    /// Every cell of every sheet of `a` equals `b`'s, except the cells in `changed` (by sheet), which must
    /// hold the given values. Merged ranges equal.
    static func expectSame(_ a: Workbook, _ b: Workbook, except changed: [String: [CellUpdate]]) {
        #expect(a.sheets.map(\.name) == b.sheets.prefix(a.sheets.count).map(\.name))
        for (ga, gb) in zip(a.sheets, b.sheets) {
            #expect(ga.merged == gb.merged, "merged ranges of \(ga.name)")
            let updates = changed[ga.name] ?? []
            var refs = Set<CellRef>()
            for row in ga.rows { for c in row.cells { refs.insert(CellRef(row: row.index, col: c.col)) } }
            for row in gb.rows { for c in row.cells { refs.insert(CellRef(row: row.index, col: c.col)) } }
            for u in updates { refs.insert(u.ref) }
            for ref in refs {
                let ca = ga.cell(at: ref), cb = gb.cell(at: ref)
                if let u = updates.first(where: { $0.ref == ref }) {
                    #expect(cb?.value == u.value, "\(ga.name)!\(ref.a1) filled")
                    #expect(cb?.style == (ca?.style ?? cb?.style), "\(ga.name)!\(ref.a1) keeps its style")
                    if let f = u.formula { #expect(cb?.formula == f) } else { #expect(cb?.formula == ca?.formula) }
                } else {
                    #expect(ca == cb, "\(ga.name)!\(ref.a1) unchanged")
                }
            }
        }
    }

    /// Names and order of the parts equal; parts not in `rewritten` byte-identical (compressed bytes, CRC,
    /// method); `added` parts at the end.
    static func expectPartsCopied(_ before: [Part], _ after: [Part], rewritten: Set<String>, added: [String] = [],
                                  dropped: Set<String> = []) {
        let kept = before.filter { !dropped.contains($0.name) }
        #expect(after.map(\.name) == kept.map(\.name) + added)
        for (p, q) in zip(kept, after) {
            if rewritten.contains(p.name) {
                let differs = p.raw != q.raw
                #expect(differs, "\(p.name) rewritten")
            } else {
                let same = p == q
                #expect(same, "\(p.name) copied byte for byte")
            }
        }
    }

    static func scoreUpdates(_ grid: Grid, column: UInt16, rows: ClosedRange<UInt32>) -> [CellUpdate] {
        rows.map { r in
            let w: Double
            if case .number(let n) = grid[r, column - 1] { w = n } else { w = 1 }
            return CellUpdate(ref: CellRef(row: r, col: column), value: .number(w - Double(r % 3) * 0.25))
        }
    }

    @Test(arguments: ["seed000_project_framework.xlsx", "seed000_project_framework_blank.xlsx"])
    func seed000(_ fixture: String) throws {
        let dir = try Fixtures.tempDirectory("fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/" + fixture).path
        let out = dir.appendingPathComponent("out.xlsx").path
        let before = try Self.workbook(src)
        let grid = try #require(before.sheet(named: "附件2"))
        // Scores F3:F34 (weights are in E), the 合计 cell F35 as text.
        var updates = Self.scoreUpdates(grid, column: 5, rows: 2...33)
        updates.append(CellUpdate(ref: CellRef(a1: "F35")!, value: .string("97.5分")))
        let inputHash = try Data(contentsOf: URL(fileURLWithPath: src))
        let report = try XLSXFill.fill(source: src, to: out, updates: ["附件2": updates])
        #expect(try Data(contentsOf: URL(fileURLWithPath: src)) == inputHash, "input untouched")
        #expect(report.rewrittenParts == ["xl/worksheets/sheet1.xml"])
        #expect(report.cellsWritten == 33)
        let after = try Self.workbook(out)
        Self.expectSame(before, after, except: ["附件2": updates])
        try Self.expectPartsCopied(Self.parts(src), Self.parts(out), rewritten: ["xl/worksheets/sheet1.xml"])
    }

    @Test func seed002WithFindingsSheet() throws {
        let dir = try Fixtures.tempDirectory("fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/seed002_department_framework.xlsx").path
        let out = dir.appendingPathComponent("out.xlsx").path
        let before = try Self.workbook(src)
        let grid = try #require(before.sheet(named: before.sheets[0].name))
        // 3-level department table: scores in D3:D41, total in D42.
        var updates = (2...40).map { CellUpdate(ref: CellRef(row: $0, col: 3), value: .number(Double($0 % 4))) }
        updates.append(CellUpdate(ref: CellRef(a1: "D42")!, value: .number(80), formula: "SUM(D3:D41)"))
        let sheet = FillNewSheet(name: "校验结果", rows: [[.string("级别"), .string("单元格")], [.string("错误"), .string("D42")]],
                                 links: [FillLink(ref: CellRef(a1: "B2")!, location: FillLink.location(sheet: grid.name, cell: CellRef(a1: "D42")!))])
        let report = try XLSXFill.fill(source: src, to: out, updates: [grid.name: updates], options: FillOptions(newSheet: sheet))
        #expect(report.addedParts == ["xl/worksheets/sheet2.xml"])
        let after = try Self.workbook(out)
        Self.expectSame(before, after, except: [grid.name: updates])
        #expect(after.sheets.map(\.name) == [grid.name, "校验结果"])
        #expect(after.sheets[1][CellRef(a1: "B2")!] == .string("D42"))
        try Self.expectPartsCopied(Self.parts(src), Self.parts(out),
                                   rewritten: ["xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"],
                                   added: ["xl/worksheets/sheet2.xml"])
        // The header and the links use two new formats (bold; blue underlined), appended to styles.xml.
        let styles = String(decoding: try #require(try ZipReader(path: out).read(named: "xl/styles.xml")), as: UTF8.self)
        let styles0 = String(decoding: try #require(try ZipReader(path: src).read(named: "xl/styles.xml")), as: UTF8.self)
        #expect(styles.contains(#"<fonts count="6">"#) && styles.contains(#"<cellXfs count="9">"#))
        #expect(styles.contains(#"<font><u/><color rgb="FF0563C1"/><name val="Calibri" /><family val="2" /><sz val="11" /><scheme val="minor" /></font></fonts>"#))
        #expect(styles.replacingOccurrences(of: #"<font><b/>.*?</font><font><u/>.*?</font>"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #"<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="5" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#, with: "")
            .replacingOccurrences(of: #"count="6""#, with: #"count="4""#).replacingOccurrences(of: #"count="9""#, with: #"count="7""#) == styles0)
        let sheet2 = String(decoding: try #require(try ZipReader(path: out).read(named: "xl/worksheets/sheet2.xml")), as: UTF8.self)
        #expect(sheet2.contains(#"<c r="A1" s="7" t="inlineStr">"#) && sheet2.contains(#"<c r="B2" s="8" t="inlineStr">"#))
        // Filling the filled workbook again replaces the 校验结果 sheet instead of adding a second one.
        let again = dir.appendingPathComponent("again.xlsx").path
        let r2 = try XLSXFill.fill(source: out, to: again, updates: [:], options: FillOptions(newSheet: sheet))
        #expect(r2.addedParts.isEmpty && r2.rewrittenParts == ["xl/worksheets/sheet2.xml"])
        // ... reusing the formats it had (styles.xml untouched).
        let again2 = String(decoding: try #require(try ZipReader(path: again).read(named: "xl/worksheets/sheet2.xml")), as: UTF8.self)
        #expect(again2.contains(#"<c r="A1" s="7" t="inlineStr">"#) && again2.contains(#"<c r="B2" s="8" t="inlineStr">"#))
        #expect(try Self.workbook(again).sheets.map(\.name) == [grid.name, "校验结果"])
    }

    /// The rich fixture (image, chart, validations, conditional formatting, shared strings, a formula total):
    /// everything but the sheet's changed cells comes back identical.
    @Test func richWorkbookKeepsEverything() throws {
        let dir = try Fixtures.tempDirectory("fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("rich/seed000_rich.xlsx").path
        let out = dir.appendingPathComponent("rich.xlsx").path
        let before = try Self.workbook(src)
        let grid = try #require(before.sheet(named: "附件2"))
        let updates = Self.scoreUpdates(grid, column: 5, rows: 2...33) + [CellUpdate(ref: CellRef(a1: "F35")!, value: .number(91.25))]
        try XLSXFill.fill(source: src, to: out, updates: ["附件2": updates])
        let after = try Self.workbook(out)
        var expected = updates
        expected[expected.count - 1].formula = "SUM(F3:F34)"  // the total keeps its formula
        Self.expectSame(before, after, except: ["附件2": expected])
        let p0 = try Self.parts(src), p1 = try Self.parts(out)
        Self.expectPartsCopied(p0, p1, rewritten: ["xl/worksheets/sheet1.xml"])
        for name in ["xl/media/image1.png", "xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/sharedStrings.xml",
                     "xl/styles.xml", "xl/worksheets/_rels/sheet1.xml.rels"] {
            #expect(p1.contains { $0.name == name }, "\(name) present")
        }
        // In the sheet itself: everything after </sheetData> (merges, conditional formatting, validations,
        // drawing) and everything before <sheetData> byte-identical.
        let x0 = try #require(try ZipReader(path: src).read(named: "xl/worksheets/sheet1.xml"))
        let x1 = try #require(try ZipReader(path: out).read(named: "xl/worksheets/sheet1.xml"))
        let s0 = String(decoding: x0, as: UTF8.self), s1 = String(decoding: x1, as: UTF8.self)
        let tail0 = s0.components(separatedBy: "</sheetData>")[1], tail1 = s1.components(separatedBy: "</sheetData>")[1]
        #expect(tail0 == tail1)
        #expect(tail1.contains("<conditionalFormatting") && tail1.contains("<dataValidations") && tail1.contains("<drawing"))
        #expect(s0.components(separatedBy: "<sheetData>")[0] == s1.components(separatedBy: "<sheetData>")[0])
        #expect(s1.contains("<c r=\"F35\" s=\"4\"><f>SUM(F3:F34)</f><v>91.25</v></c>"))
    }

    /// A workbook with a calculation chain: changing a formula cell drops it (part, relationship, content
    /// type); changing only values keeps it.
    @Test func calcChainDroppedOnlyWhenAFormulaCellChanges() throws {
        let bytes = try Self.calcChainWorkbook()
        let (plain, r1) = try XLSXFill.fill(bytes: bytes, name: "cc.xlsx",
                                            updates: ["S": [CellUpdate(ref: CellRef(a1: "A1")!, value: .number(5))]])
        #expect(r1.droppedParts.isEmpty)
        try Self.expectPartsCopied(Self.parts(bytes: bytes), Self.parts(bytes: plain), rewritten: ["xl/worksheets/sheet1.xml"])

        let (dropped, r2) = try XLSXFill.fill(bytes: bytes, name: "cc.xlsx",
                                              updates: ["S": [CellUpdate(ref: CellRef(a1: "A3")!, value: .number(7))]])
        #expect(r2.droppedParts == ["xl/calcChain.xml"])
        try Self.expectPartsCopied(Self.parts(bytes: bytes), Self.parts(bytes: dropped),
                                   rewritten: ["xl/worksheets/sheet1.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"],
                                   dropped: ["xl/calcChain.xml"])
        let z = try ZipReader(bytes: dropped, name: "out.xlsx")
        let rels = String(decoding: try #require(try z.read(named: "xl/_rels/workbook.xml.rels")), as: UTF8.self)
        let ct = String(decoding: try #require(try z.read(named: "[Content_Types].xml")), as: UTF8.self)
        #expect(!rels.contains("calcChain") && !ct.contains("calcChain"))
        let wb = try XLSXReader(bytes: dropped, name: "out.xlsx").readWorkbook()
        #expect(wb.sheets[0].cell(at: CellRef(a1: "A3")!)?.formula == "SUM(A1:A2)")
        #expect(wb.sheets[0][CellRef(a1: "A3")!] == .number(7))
    }

    static func calcChainWorkbook() throws -> [UInt8] {
        var w = ZipWriter()
        try w.add("[Content_Types].xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>"#.utf8))
        try w.add("_rels/.rels", Array(#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8))
        try w.add("xl/workbook.xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>"#.utf8))
        try w.add("xl/_rels/workbook.xml.rels", Array(#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>"#.utf8))
        try w.add("xl/worksheets/sheet1.xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row r="3"><c r="A3"><f>SUM(A1:A2)</f><v>3</v></c></row></sheetData></worksheet>"#.utf8))
        try w.add("xl/calcChain.xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="A3" i="1"/></calcChain>"#.utf8))
        return try w.finish()
    }

    @Test func refusesToWriteOverTheInputAndLeavesNoTempFiles() throws {
        let dir = try Fixtures.tempDirectory("fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("in.xlsx")
        try FileManager.default.copyItem(at: Fixtures.url("xlsx/seed000_project_framework.xlsx"), to: copy)
        let original = try Data(contentsOf: copy)
        let u = ["附件2": [CellUpdate(ref: CellRef(a1: "F3")!, value: .number(0))]]
        #expect(throws: JixiaoError.self) { try XLSXFill.fill(source: copy.path, to: copy.path, updates: u) }
        // Through a hard link, too.
        let link = dir.appendingPathComponent("link.xlsx")
        try FileManager.default.linkItem(at: copy, to: link)
        #expect(throws: JixiaoError.self) { try XLSXFill.fill(source: copy.path, to: link.path, updates: u) }
        // A sheet that does not exist: an error naming the sheets, nothing written.
        let out = dir.appendingPathComponent("out.xlsx")
        do {
            try XLSXFill.fill(source: copy.path, to: out.path, updates: ["Sheet9": u["附件2"]!])
            Issue.record("expected an error")
        } catch let e as JixiaoError {
            #expect(e.kind == .invalidValue && e.description.contains("附件2"))
        }
        // A missing output folder.
        #expect(throws: JixiaoError.self) {
            try XLSXFill.fill(source: copy.path, to: dir.appendingPathComponent("no/such/out.xlsx").path, updates: u)
        }
        #expect(try Data(contentsOf: copy) == original)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["in.xlsx", "link.xlsx"])
    }

    @Test func notAWorkbookIsAnError() throws {
        let dir = try Fixtures.tempDirectory("fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: JixiaoError.self) {
            try XLSXFill.fill(source: Fixtures.url("csv/seed000_project_framework.csv").path,
                              to: dir.appendingPathComponent("o.xlsx").path, updates: [:])
        }
    }
}
