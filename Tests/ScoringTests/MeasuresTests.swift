import Foundation
import IndicatorModel
import SheetCore
import Testing
import TestSupport
@testable import Scoring

@Suite struct MeasuresTests {
    func grid(_ rows: [[String]]) -> Grid {
        Grid(name: "Sheet1", values: rows.map { $0.map { $0.isEmpty ? CellValue.empty : .string($0) } })
    }

    @Test func headersInAnyOrderWithSpacesAndBreaks() throws {
        let g = grid([
            ["说　明", "完成\n值", "指标 编号", "得分"],
            ["按时", "96.86%", "B13", ""],
            ["", "2次", "C112", ""],
            ["人工", "", "C311", "9"],
        ])
        let m = try Measures.read(grid: g, file: "m.xlsx")
        #expect(m.entries.count == 3)
        #expect(m.entries[0].code == "B13" && m.entries[0].value == .percent(96.86) && m.entries[0].note == "按时")
        #expect(m.entries[0].location.description == "m.xlsx!Sheet1!B2")
        #expect(m.entries[1].value == .count(2, unit: "次"))
        #expect(m.entries[2].score == 9 && m.entries[2].value == nil)
        #expect(m.entries[2].scoreLocation?.description == "m.xlsx!Sheet1!D4")
    }

    @Test func englishHeadersAndNames() throws {
        let g = grid([["code", "value", "note"], ["B13.预算执行率", "0.9686", ""], ["群众满意度", "92%", ""]])
        let m = try Measures.read(grid: g, file: "m.csv")
        #expect(m.entries[0].code == "B13" && m.entries[0].name == "预算执行率")
        #expect(m.entries[1].code == nil && m.entries[1].name == "群众满意度")
        let named = try Measures.read(grid: grid([["指标名称", "值"], ["B13.预算执行率", "1"], ["A类项目达标率", "2"]]), file: "m.csv")
        #expect(named.entries[0].code == "B13" && named.entries[0].name == "预算执行率")
        #expect(named.entries[1].code == nil && named.entries[1].name == "A类项目达标率")
        let leaf = Indicator(code: "C311", name: "群众满意度", level: 4)
        #expect(m.measure(for: leaf)?.value == .percent(92))
    }

    /// Headers with a unit in brackets (`实际完成值（%）`, `完成值(万元)`) and a title row above them.
    @Test func headersWithUnitsInBrackets() throws {
        let g = grid([
            ["附件：2024年测量值", "", "", ""],
            ["序号", "指标编号（代码）", "实际完成值（%）", "备注【说明】"],
            ["1", "B13", "96.86", "x"],
        ])
        let m = try Measures.read(grid: g, file: "m.xlsx")
        #expect(m.entries.count == 1)
        #expect(m.entries[0].code == "B13" && m.entries[0].value == .number(96.86) && m.entries[0].note == "x")
        #expect(m.entries[0].location.description == "m.xlsx!Sheet1!C3")
        // Codes typed full-width (Ｂ１３．预算执行率).
        let wide = try Measures.read(grid: grid([["指标编号", "值"], ["Ｂ１３", "1"], ["ｃ１１１．配置数量指标", "2"]]), file: "m.csv")
        #expect(wide.entries.map { $0.code } == ["B13", "C111"])
        let money = try Measures.read(grid: grid([["指标名称", "完成值(万元)"], ["项目总成本", "184.5"]]), file: "m.csv")
        #expect(money.entries.first?.name == "项目总成本" && money.entries.first?.value == .number(184.5))
    }

    /// A name two leaves share (满意度 under two parents) scores neither and says so; a name written with a
    /// unit or weight in brackets still finds its leaf.
    @Test func ambiguousAndBracketedNames() throws {
        let table = TestCSV.grid("""
        一级指标,二级指标,三级指标,分值,得分,评分标准
        A.产出,A1.社区,A11.服务满意度,5,,满意度≥90%得满分；80%≤满意度<90%得3分；满意度<80%不得分
        ,A2.机构,A21.服务满意度,5,,满意度≥90%得满分；80%≤满意度<90%得3分；满意度<80%不得分
        ,,A22.预算执行率,5,,执行率≥95%得满分，每降低1%扣0.5分，扣完为止
        """, name: "表")
        let f = try Normaliser.normalise(table, file: "t.csv")
        #expect(f.leaves.map(\.code) == ["A11", "A21", "A22"])
        let m = try Measures.read(grid: grid([["指标", "值"], ["服务满意度", "92%"], ["A21", "85%"], ["预算执行率（%）", "93%"]]), file: "m.csv")
        let result = Scorer.score(f, measures: m)
        let scores = Dictionary(uniqueKeysWithValues: result.leaves.map { ($0.code, $0.score) })
        #expect(scores["A11"] == .some(nil))     // the name alone cannot say which
        #expect(scores["A21"] == 3)             // by code
        #expect(scores["A22"] == 4)             // 预算执行率（%） is 预算执行率
        #expect(result.findings.filter { $0.rule == "measure-ambiguous" }.count == 1)
        #expect(result.findings.first { $0.rule == "measure-ambiguous" }?.location?.description == "m.csv!Sheet1!B2")
        #expect(!result.findings.contains { $0.rule == "measure-unmatched" })
    }

    @Test func missingColumnsAreNamed() {
        #expect {
            try Measures.read(grid: grid([["指标编号", "说明"], ["B13", "x"]]), file: "m.csv")
        } throws: { e in
            let j = e as! JixiaoError
            return j.kind == .invalidValue && j.message.contains("no value column") && j.location?.file == "m.csv"
                && j.message.contains("(header: 指标编号, 说明)")
        }
        #expect {
            try Measures.read(grid: grid([["值", "说明"], ["1", "x"]]), file: "m.csv")
        } throws: { e in
            (e as! JixiaoError).message.contains("no indicator column")
        }
        #expect {
            try Measures.read(grid: grid([["foo", "bar"], ["1", "x"]]), file: "m.csv")
        } throws: { e in
            (e as! JixiaoError).message.contains("no header row")
        }
    }

    @Test func badScoreAndDuplicatesAreFindings() throws {
        let g = grid([["指标", "值", "得分"], ["B13", "96%", "九分"], ["B13", "97%", ""]])
        let m = try Measures.read(grid: g, file: "m.csv")
        #expect(m.findings.contains { $0.rule == "measure-score" && $0.location?.description == "m.csv!Sheet1!C2" })
        #expect(m.findings.contains { $0.rule == "measure-duplicate" })
        #expect(m.entries.count == 1 && m.entries[0].value == .percent(97))
    }

    @Test func unmatchedAndOutOfRangeManualScores() throws {
        let f = try Seed000ScoringTests.blank()
        let g = grid([["code", "value", "score"], ["Z9", "1", ""], ["B13", "", "3"]])
        let result = Scorer.score(f, measures: try Measures.read(grid: g, file: "m.csv"))
        #expect(result.findings.contains { $0.rule == "measure-unmatched" && $0.location?.description == "m.csv!Sheet1!B2" })
        #expect(result.findings.contains { $0.rule == "manual-score-range" && $0.severity == .error })
        #expect(result.leaves.first { $0.code == "B13" }?.score == 2)   // clamped to the weight
        // Leaves without a value are reported, not guessed.
        #expect(result.findings.filter { $0.rule == "unscored" }.count == 31)
        #expect(result.total == 2)
    }
}
