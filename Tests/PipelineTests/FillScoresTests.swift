import Foundation
import IndicatorModel
import SheetCore
import Testing
import TestSupport
import XLSXFormat
import ZipArchive
@testable import Pipeline

/// `fillScores` on every XLSX seed fixture: read with jixiao's reader, normalise, score, fill, read back.
@Suite struct FillScoresTests {
    static let fixtures = ["seed000_project_framework.xlsx", "seed000_project_framework_blank.xlsx",
                           "seed002_department_framework.xlsx", "../rich/seed000_rich.xlsx",
                           "../quirks/seed000_writer_quirks.xlsx"]

    static func load(_ path: String) throws -> (Workbook, Framework) {
        let wb = try XLSXReader(path: path).readWorkbook()
        return (wb, try Normaliser.frameworks(in: wb, sheet: nil))
    }

    /// Scores every leaf: its weight, less a quarter on every third one; rolls up.
    static func score(_ f: Framework) -> Framework {
        var f = f
        var n = 0
        func walk(_ node: inout Indicator) {
            if node.children.isEmpty {
                n += 1
                node.score = max(0, (node.weight ?? 0) - (n % 3 == 0 ? 0.25 : 0))
            } else {
                for i in node.children.indices { walk(&node.children[i]) }
            }
        }
        for i in f.roots.indices { walk(&f.roots[i]) }
        RollUp.apply(&f)
        return f
    }

    static func parts(_ path: String) throws -> [(String, UInt32, [UInt8])] {
        let z = try ZipReader(path: path)
        return try z.entries.map { ($0.name, $0.crc32, try z.rawData($0)) }
    }

    @Test(arguments: [false, true], fixtures)
    func fillReadBack(formulas: Bool, fixture: String) throws {
        let dir = try Fixtures.tempDirectory("fillscores")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/" + fixture).standardizedFileURL.path
        let out = dir.appendingPathComponent("out.xlsx").path
        let (before, f0) = try Self.load(src)
        let f = Self.score(f0)
        let total = try #require(f.totals.score)
        let grade = try #require(f.grade())
        let report = try fillScores(framework: f, findings: [], source: src, output: out,
                                    formulas: formulas, findingsSheet: false)
        #expect(report.rewrittenParts.count == 1)

        let (after, g) = try Self.load(out)
        // Scores, totals and grade as computed.
        #expect(g.leaves.map(\.score) == f.leaves.map(\.score))
        #expect(g.leaves.map(\.code) == f0.leaves.map(\.code))
        #expect(g.totals.score == total)
        #expect(g.totals.statedScore == total, "the 合计 cell states the new total")
        #expect(g.grade() == grade)
        // Everything else equal to the input.
        let scoreCells = Set(f.leaves.compactMap(\.scoreCell) + [ScoreFill.totalScoreCell(f, before.sheet(named: f.sheet))].compactMap { $0 })
        for (ga, gb) in zip(before.sheets, after.sheets) {
            #expect(ga.merged == gb.merged)
            var refs = Set<CellRef>()
            for grid in [ga, gb] { for row in grid.rows { for c in row.cells { refs.insert(CellRef(row: row.index, col: c.col)) } } }
            for ref in refs where !(ga.name == f.sheet && scoreCells.contains(ref)) {
                #expect(ga.cell(at: ref) == gb.cell(at: ref), "\(ga.name)!\(ref.a1)")
            }
            for ref in scoreCells where ga.name == f.sheet {
                #expect(gb.cell(at: ref)?.style == ga.cell(at: ref)?.style ?? gb.cell(at: ref)?.style, "style of \(ref.a1)")
            }
        }
        // Every part but the table's worksheet byte-identical, in the same order.
        let p0 = try Self.parts(src), p1 = try Self.parts(out)
        #expect(p0.map(\.0) == p1.map(\.0))
        for (a, b) in zip(p0, p1) where a.0 != report.rewrittenParts[0] {
            #expect(a.1 == b.1 && a.2 == b.2, "\(a.0) copied byte for byte")
        }
    }

    /// Only cells whose value changes are written: seed000's scores and total are right, so it comes back with
    /// no part rewritten (every entry's compressed bytes as they were); seed002 states 96 where its scores sum to
    /// 97, so only its 合计 cell changes. Lowering one leaf then changes that leaf, its parents' cells and the total.
    @Test(arguments: ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"])
    func onlyCellsWhoseValueChangesAreWritten(_ fixture: String) throws {
        let dir = try Fixtures.tempDirectory("fillscores")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/" + fixture).standardizedFileURL.path
        let (before, f0) = try Self.load(src)
        let old = try #require(before.sheet(named: f0.sheet))

        func fill(_ f: Framework, _ name: String) throws -> (FillReport, [String], [(String, UInt32, [UInt8])]) {
            let out = dir.appendingPathComponent(name).path
            let report = try fillScores(framework: f, findings: [], source: src, output: out, formulas: false, findingsSheet: false)
            let sheet = try #require(try XLSXReader(path: out).readWorkbook().sheet(named: f.sheet))
            var changed: [String] = []
            var refs = Set<CellRef>()
            for grid in [old, sheet] { for row in grid.rows { for c in row.cells { refs.insert(CellRef(row: row.index, col: c.col)) } } }
            for ref in refs.sorted() where old[ref] != sheet[ref] { changed.append(ref.a1) }
            return (report, changed, try Self.parts(out))
        }

        var f = f0
        RollUp.apply(&f)
        let needed = ScoreFill.updates(framework: f, original: old, formulas: false)
        let (report, changed, parts) = try fill(f, "out.xlsx")
        if fixture.hasPrefix("seed000") { #expect(needed.isEmpty, "seed000's scores and 合计 are right: \(needed)") }
        if fixture.hasPrefix("seed002") { #expect(needed.map(\.ref.a1) == ["D42"]) }
        #expect(report.cellsWritten == needed.count)
        #expect(report.rewrittenParts.isEmpty == needed.isEmpty)
        #expect(Set(changed) == Set(needed.map(\.ref.a1)))
        let p0 = try Self.parts(src)
        #expect(p0.map(\.0) == parts.map(\.0))
        for (a, b) in zip(p0, parts) where !report.rewrittenParts.contains(a.0) {
            #expect(a.1 == b.1 && a.2 == b.2, "\(a.0) copied byte for byte")
        }

        // Lower the first leaf scored 1 or more by half a point (seed002: 97 → 96.5, not the stated 96).
        var g = f
        let target = try #require(f.leaves.first { ($0.score ?? 0) >= 1 && $0.scoreCell != nil })
        func lower(_ node: inout Indicator) {
            if node.code == target.code && node.children.isEmpty { node.score! -= 0.5 }
            for i in node.children.indices { lower(&node.children[i]) }
        }
        for i in g.roots.indices { lower(&g.roots[i]) }
        RollUp.apply(&g)
        let (report2, changed2, _) = try fill(g, "out2.xlsx")
        #expect(report2.rewrittenParts.count == 1)
        var expected = Set([target.scoreCell!] + [ScoreFill.totalScoreCell(g, old)].compactMap { $0 })
        for p in g.parents where p.scoreCell != nil && p.leaves.contains(where: { $0.code == target.code }) {
            expected.insert(p.scoreCell!)
        }
        #expect(Set(changed2) == Set(expected.map(\.a1)))
        #expect(report2.cellsWritten == expected.count)
    }

    @Test func totalKeepsItsTextFormAndFormulaStaysLive() throws {
        let dir = try Fixtures.tempDirectory("fillscores")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/seed000_project_framework.xlsx").path
        let out = dir.appendingPathComponent("out.xlsx").path
        let (_, f0) = try Self.load(src)
        let f = Self.score(f0)
        try fillScores(framework: f, findings: [], source: src, output: out, formulas: true, findingsSheet: false)
        let wb = try XLSXReader(path: out).readWorkbook()
        let cell = try #require(wb.sheets[0].cell(at: CellRef(a1: "F35")!))
        #expect(cell.value == .string(ScoreFill.numberText(f.totals.score!) + "分"))
        #expect(cell.formula == #"ROUND(SUM(F3:F34),2)&"分""#)
    }

    @Test func findingsSheetWithLinks() throws {
        let dir = try Fixtures.tempDirectory("fillscores")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/seed002_department_framework.xlsx").path
        let out = dir.appendingPathComponent("out.xlsx").path
        let (_, f0) = try Self.load(src)
        let f = Self.score(f0)
        let findings = Validator.validate(f)
        #expect(!findings.isEmpty)
        try fillScores(framework: f, findings: findings, source: src, output: out, formulas: false, findingsSheet: true)
        let wb = try XLSXReader(path: out).readWorkbook()
        #expect(wb.sheets.map(\.name) == [f.sheet, "校验结果"])
        let sheet = wb.sheets[1]
        #expect(sheet[CellRef(a1: "A1")!] == .string("级别"))
        #expect((1...findings.count).allSatisfy { !sheet[UInt32($0), 4].isEmpty })
        let xml = String(decoding: try #require(try ZipReader(path: out).read(named: "xl/worksheets/sheet2.xml")), as: UTF8.self)
        let linked = findings.filter { $0.location?.cell != nil }.count
        #expect(xml.components(separatedBy: "<hyperlink ").count - 1 == linked)
        #expect(xml.contains("location=\"'\(f.sheet)'!"))
    }

    /// The main path: `jixiao score 附件2.xlsx --measures M -o OUT.xlsx` = ScorePipeline.score + fillScores.
    @Test func scoredFromMeasuresAndFilled() throws {
        let dir = try Fixtures.tempDirectory("fillscores")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("xlsx/seed000_project_framework_blank.xlsx").path
        let scored = try ScorePipeline.score(path: src, measures: Fixtures.url("measures/seed000_measures.csv").path)
        let report = scored.report()
        let out = dir.appendingPathComponent("scored.xlsx").path
        try fillScores(framework: report.framework, findings: report.findings, source: src, output: out,
                       formulas: true, findingsSheet: true)
        let (_, g) = try Self.load(out)
        #expect(g.leaves.map(\.score) == report.framework.leaves.map(\.score))
        #expect(g.leaves.filter { $0.score != nil }.count > 20)
        #expect(g.totals.statedScore == report.framework.totals.score)
        #expect(g.grade() == report.framework.grade())
    }

    @Test func refusesCSVAndTheInputItself() throws {
        let (_, f) = try Self.load(Fixtures.url("xlsx/seed000_project_framework.xlsx").path)
        #expect(throws: JixiaoError.self) {
            try fillScores(framework: f, findings: [], source: Fixtures.url("csv/seed000_project_framework.csv").path,
                           output: "/tmp/x.xlsx", formulas: false, findingsSheet: false)
        }
        let src = Fixtures.url("xlsx/seed000_project_framework.xlsx").path
        do {
            try fillScores(framework: f, findings: [], source: src, output: src, formulas: false, findingsSheet: false)
            Issue.record("expected a refusal")
        } catch let e as JixiaoError {
            #expect(e.kind == .io && e.message.contains("overwrite"))
        }
    }

    @Test func cliFillWritesAndReportsGrade() throws {
        let dir = try Fixtures.tempDirectory("fillcli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scores = dir.appendingPathComponent("s.csv")
        try "code,score\nA11,2\nA12,1.5\n".write(to: scores, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o.xlsx").path
        let r = try runJixiao(["fill", Fixtures.url("xlsx/seed002_department_framework.xlsx").path,
                               "--scores", scores.path, "-o", out, "--findings"])
        #expect(r.stdoutText.contains("wrote"), "\(r.stderrText)")
        let wb = try XLSXReader(path: out).readWorkbook()
        #expect(wb.sheets[0][CellRef(a1: "D4")!] == .number(1.5))
        // A CSV table cannot be filled: a clear error, exit code 2.
        let csv = try runJixiao(["fill", Fixtures.url("csv/seed000_project_framework.csv").path,
                                 "--scores", scores.path, "-o", dir.appendingPathComponent("c.xlsx").path])
        #expect(csv.status == 2 && csv.stderrText.contains("XLSX"))
        // An unknown code is an error naming the scores file and line; nothing is written.
        try "A99,1\n".write(to: scores, atomically: true, encoding: .utf8)
        let bad = try runJixiao(["fill", Fixtures.url("xlsx/seed002_department_framework.xlsx").path,
                                 "--scores", scores.path, "-o", dir.appendingPathComponent("bad.xlsx").path])
        #expect(bad.status == 2)
        #expect(bad.stderrText.contains("s.csv:1") && bad.stderrText.contains("A99"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.xlsx").path))
    }

    @Test func cliFillOfASelfEvaluationFormTakesItsBudgetRow() throws {
        // `fill` reads the table as check and score do: the 自评表's 预算执行率 row is leaf A (its 得分 is I6).
        let dir = try Fixtures.tempDirectory("fillcli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scores = dir.appendingPathComponent("s.csv")
        try "code,score\nA,9.5\nB11,15\n".write(to: scores, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("o.xlsx").path
        let r = try runJixiao(["fill", Fixtures.url("selfeval/selfeval_project.xlsx").path, "--scores", scores.path, "-o", out])
        #expect(r.status == 0, "\(r.stderrText)")
        let sheet = try XLSXReader(path: out).readWorkbook().sheets[0]
        #expect(sheet[CellRef(a1: "I6")!] == .number(9.5))
        #expect(sheet[CellRef(a1: "H13")!] == .number(15))
    }

    @Test func writerQuirksScoresLandWhereTheReaderReads() throws {
        // Rows shuffled and repeated, cells without `r` or out of order, 得分 cells missing, x: prefixes, the table
        // a second sheet under xl/Tables 2023/sheet 2.xml (scripts/make-quirks-fixture.py): scored from the measures and
        // filled, it reads back like the blank seed fixture filled the same way.
        let dir = try Fixtures.tempDirectory("fillscores")
        defer { try? FileManager.default.removeItem(at: dir) }
        let measures = Fixtures.url("measures/seed000_measures.csv").path
        var totals: [Double?] = []
        var grids: [Grid] = []
        for src in ["quirks/seed000_writer_quirks.xlsx", "xlsx/seed000_project_framework_blank.xlsx"] {
            let path = Fixtures.url(src).path
            let report = try ScorePipeline.score(path: path, measures: measures).report()
            let out = dir.appendingPathComponent("out.xlsx").path
            try fillScores(framework: report.framework, findings: report.findings, source: path, output: out,
                           formulas: false, findingsSheet: true)
            let wb = try XLSXReader(path: out).readWorkbook()
            let (_, g) = try Self.load(out)
            totals.append(g.totals.statedScore)
            grids.append(try #require(wb.sheet(named: "附件2")))
            try FileManager.default.removeItem(atPath: out)
        }
        #expect(totals[0] == 99 && totals[0] == totals[1])
        for r in 2..<35 {
            #expect(grids[0][UInt32(r), 5] == grids[1][UInt32(r), 5], "F\(r + 1)")
        }
        // The inserted 得分 cell of the row with a row style takes it.
        #expect(grids[0].cell(at: CellRef(a1: "F10")!)?.style == 2)
    }
}
