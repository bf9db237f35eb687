import Foundation
import IndicatorModel
import SheetCore
import Testing
import TestSupport
@testable import Scoring

/// Scoring the blank seed-000 table with the measures built from the figures of its report reproduces the
/// table's scores, 99 and 优, each step explained.
@Suite struct Seed000ScoringTests {
    static func blank() throws -> Framework {
        let wb = try GridJSON.golden("seed000_project_framework_blank.xlsx")
        return try Normaliser.normalise(wb.sheets[0], file: wb.file)
    }

    static func measures(_ edit: ((inout Grid) -> Void)? = nil) throws -> Measures {
        var g = try TestCSV.fixture("measures/seed000_measures.csv")
        edit?(&g)
        return try Measures.read(grid: g, file: "seed000_measures.csv")
    }

    @Test func reproducesTheReport() throws {
        let f = try Self.blank()
        #expect(f.leaves.allSatisfy { $0.score == nil })
        let result = Scorer.score(f, measures: try Self.measures())
        for l in result.leaves { print(l.method.rawValue, l.explanation) }
        for x in result.findings { print("finding", x.severity.rawValue, x.rule, x.location?.description ?? "", x.message) }
        // Every leaf's score equals the filled table's.
        let filled = Dictionary(uniqueKeysWithValues: try SeedLeaves.seed000().map { ($0.code, $0.tableScore) })
        #expect(result.leaves.count == 32)
        for l in result.leaves {
            #expect(l.score != nil && l.score == filled[l.code] ?? nil, "\(l.code): \(l.explanation)")
            #expect(l.explanation.hasPrefix(l.code + " "))
        }
        #expect(result.total == 99)
        #expect(result.grade == .excellent)
        // Computed, not copied: only the three judgement leaves are manual.
        #expect(result.leaves.filter { $0.method == .manual }.map(\.code) == ["C111", "C221", "C311"])
        #expect(result.leaves.filter { $0.method == .rule }.count == 29)
        let b13 = try #require(result.leaves.first { $0.code == "B13" })
        #expect(b13.explanation == "B13 预算执行率 96.86% (7474490.38/7716520) ≥ 95%: 满分 2")
        // C111: the rule gives 10 from 127/127; the manual 9 is kept and the disagreement reported.
        #expect(result.findings.contains { $0.rule == "manual-differs" && $0.code == "C111" })
        #expect(!result.findings.contains { $0.severity == .error })
        // The scored framework carries the scores and explanations, parents rolled up.
        #expect(result.framework.roots.map(\.score) == [20, 20, 59])
    }

    func b13(spending fraction: Double) throws -> ScoredLeaf {
        let spent = (7_716_520 * fraction * 100).rounded() / 100
        let m = try Self.measures { g in
            let row = g.rows.first { $0.cells.first?.value.text == "B13" }!.index
            g.set(CellRef(row: row, col: 1), .string("\(spent)/7716520"))
        }
        let result = Scorer.score(try Self.blank(), measures: m)
        return try #require(result.leaves.first { $0.code == "B13" })
    }

    @Test func lowerSpendingDeductsAndCutsOff() throws {
        let at90 = try b13(spending: 0.90)
        #expect(at90.score == 1.9)
        #expect(at90.explanation == "B13 预算执行率 90% (6944868/7716520) < 95%: 5 × 0.02 (权重的1%) = 0.1 扣 → 1.9")
        let at50 = try b13(spending: 0.50)
        #expect(at50.score == 0)
        #expect(at50.explanation.contains("≤ 60%: 不计分 0"))
        let at60 = try b13(spending: 0.60)
        #expect(at60.score == 0)
        let at61 = try b13(spending: 0.61)
        #expect(at61.score == 1.32)
    }

    /// C111 (配置数量指标, 10分, 自评 9): "全部招满，得满分；每降低1%，扣权重的3%". No head count out of 127
    /// gives 9 (it needs 96.67%, i.e. 122.8 people; 123 gives 9.06 and 122 gives 8.82), and the report says all
    /// 127 were hired (10). So 9 is a judgement: the measures file gives it as a manual score.
    @Test func c111NineIsNotDerivable() {
        let rule = RuleRecogniser.recognise("全部招满，得满分；每降低1%，扣权重的3%，扣完为止。", weight: 10)
        let scores = (0...127).compactMap { RuleEvaluator.evaluate(rule, .ratio(Double($0), 127)).score }
        #expect(scores.count == 128)
        #expect(!scores.contains(9))
        #expect(RuleEvaluator.evaluate(rule, .ratio(123, 127)).score == 9.06)
        #expect(RuleEvaluator.evaluate(rule, .ratio(122, 127)).score == 8.82)
        #expect(RuleEvaluator.evaluate(rule, .ratio(127, 127)).score == 10)
    }

    @Test func filledTableWithoutMeasuresKeepsItsScores() throws {
        let wb = try GridJSON.golden("seed000_project_framework.xlsx")
        let f = try Normaliser.normalise(wb.sheets[0], file: wb.file)
        let result = Scorer.score(f)
        #expect(result.total == 99)
        #expect(result.leaves.allSatisfy { $0.method == .table })
    }

    @Test func filledTableWithMeasuresAgrees() throws {
        let wb = try GridJSON.golden("seed000_project_framework.xlsx")
        let f = try Normaliser.normalise(wb.sheets[0], file: wb.file)
        let result = Scorer.score(f, measures: try Self.measures())
        #expect(result.total == 99)
        #expect(!result.findings.contains { $0.rule == "score-differs" })
    }

    @Test func wrongKindIsAFindingAtTheCell() throws {
        let m = try Self.measures { g in
            let row = g.rows.first { $0.cells.first?.value.text == "B13" }!.index
            g.set(CellRef(row: row, col: 1), .string("有效执行"))
        }
        let result = Scorer.score(try Self.blank(), measures: m)
        let b13 = try #require(result.leaves.first { $0.code == "B13" })
        #expect(b13.score == nil)
        let finding = try #require(result.findings.first { $0.code == "B13" && $0.rule == "measure-unusable" })
        #expect(finding.location?.description == "seed000_measures.csv!B14")
    }
}
