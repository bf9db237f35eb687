import Foundation
import IndicatorModel
import SheetCore
import Testing
import TestSupport
@testable import Scoring

/// The 项目支出绩效自评表 fixture (Fixtures/selfeval/selfeval_project.xlsx, its grid read back by the
/// independent Python reader) read into a framework and scored from its 实际完成值 column.
@Suite struct SelfEvaluationTests {
    static func form() throws -> Framework {
        var wb = try GridJSON.load(Fixtures.url("selfeval/selfeval_project.xlsx.json"))
        wb.file = "selfeval_project.xlsx"
        #expect(SelfEvaluationForm.detect(wb.sheets[0]))
        return try SelfEvaluationForm.read(grid: wb.sheets[0], file: wb.file)
    }

    /// The header scan's short cut (cells that are not text never mention 值) agrees with reading their text.
    @Test func mentionsValueAgreesWithTheText() {
        var rng = SeededRNG(seed: 31)
        var values: [CellValue] = [.empty, .bool(true), .bool(false), .string("年度指标值"), .string("实际完成值"),
                                   .string("值"), .string("分值"), .string(""), .error("#N/A"), .error("值!")]
        for _ in 0..<500 {
            let d = Double(Int64.random(in: -1_000_000...1_000_000, using: &rng)) / [1, 3, 7, 1e3, 1e-9][Int.random(in: 0..<5, using: &rng)]
            values.append(.number(d))
            values.append(.date(ExcelDate(serial: abs(d).truncatingRemainder(dividingBy: 100_000), epoch1904: Bool.random(using: &rng),
                                          isDuration: Bool.random(using: &rng))))
        }
        values += [.number(.infinity), .number(-.infinity), .number(.nan), .number(-0.0), .number(1e300)]
        for v in values {
            #expect(SelfEvaluationForm.mentionsValue(v) == v.text.contains("值"), "\(v)")
        }
        // The byte search on texts: 值 anywhere (first, last, between other characters), near misses.
        let pieces = ["值", "分", "a", "\u{3000}", "\u{503C}", "\u{513C}", "\u{5040}", "偏", "值值", "😀", "é", "\u{E5}\u{80}", "\u{BC}"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            #expect(SelfEvaluationForm.containsValueWord(text) == text.unicodeScalars.contains("值"), "\(text)")
        }
    }

    @Test func readsTheForm() throws {
        let f = try Self.form()
        #expect(f.roots.map(\.code) == ["A", "B", "C", "D"])
        #expect(f.leaves.map(\.code) == ["A", "B11", "B21", "B31", "B41", "C11", "C12", "C21", "D11"])
        let budget = f.leaves[0]
        #expect(budget.name == "预算执行率" && budget.weight == 10)
        #expect(budget.target == "771.652" && budget.actual == "747.449038")
        #expect(budget.cell?.description == "selfeval_project.xlsx!自评表!B6")
        let c21 = f.leaves[7]
        #expect(c21.name == "群众投诉率" && c21.target == "≤2%" && c21.actual == "2.5%")
        #expect(c21.path == ["效益指标", "可持续影响指标", "群众投诉率"])
        #expect(c21.scoreCell?.a1 == "H19")
        #expect(f.totals.statedWeight == 100)
        #expect(f.totals.weight == 100)
    }

    @Test func scoresTheForm() throws {
        let result = Scorer.score(try Self.form())
        for l in result.leaves { print(l.method.rawValue, l.rule.kind.rawValue, l.explanation) }
        for x in result.findings { print("finding", x.rule, x.message) }
        let scores = Dictionary(uniqueKeysWithValues: result.leaves.map { ($0.code, $0.score) })
        #expect(scores["A"] == 9.69)        // 747.449038/771.652 = 96.86% × 10
        #expect(scores["B11"] == 15)        // ≥127人, 127人
        #expect(scores["B21"] == 15)        // ≥95%, 98%
        #expect(scores["B31"] == 10)        // =100%, 100%
        #expect(scores["B41"] == 10)        // ≤60760元 (reverse), 58854.25元
        #expect(scores["C11"] == 10)        // qualitative 达成
        #expect(scores["C12"] == 7)         // 部分达成 with the table's 7 (within 60–80%)
        #expect(scores["C21"] == 8)         // ≤2% (reverse), 2.5%: 2/2.5 × 10
        #expect(scores["D11"] == 9.78)      // ≥90%, 88%: 88/90 × 10
        #expect(result.total == 94.47)
        #expect(result.grade == .excellent)
        let kinds = result.leaves.map(\.rule.kind)
        #expect(kinds == [.proportional, .target, .target, .target, .target, .qualitative, .qualitative, .target, .target])
        #expect(result.leaves[7].explanation.contains("反向指标"))
    }

    /// Local versions of the form name their columns differently: 调整后预算数/实际执行数, 目标值（A）/完成值（B）,
    /// 标准分值, 评价得分.
    @Test func localHeaderWordings() throws {
        func row(_ cells: [Any?]) -> [CellValue] {
            cells.map { c in
                switch c {
                case let s as String: return .string(s)
                case let d as Double: return .number(d)
                case let i as Int: return .number(Double(i))
                default: return .empty
                }
            }
        }
        func form(spent: Any?, rate: Any?) -> Grid {
            Grid(name: "自评", values: [
            row(["项目支出绩效自评表"]),
            row(["项目资金", nil, "年初预算数", "调整后预算数", "实际执行数", "标准分值", "执行率", "评价得分"]),
            row([nil, "年度资金总额", 100, 100, spent, 10, rate, nil]),
            row(["一级指标", "二级指标", "三级指标", "目标值（A）", "完成值（B）", "标准分值", "评价得分", "偏差原因分析及改进措施"]),
            row(["产出指标", "数量指标", "培训人数", "≥200人", "180人", 20, nil, nil]),
            row([nil, "成本指标", "人均成本", "≤500元", "400元", 10, nil, nil]),
            row(["合计", nil, nil, nil, nil, 40, nil, nil]),
            ])
        }
        let g = form(spent: 90, rate: nil)
        #expect(SelfEvaluationForm.detect(g))
        let f = try SelfEvaluationForm.read(grid: g, file: "local.xlsx")
        #expect(f.leaves.map(\.code) == ["A", "B11", "B21"])
        let result = Scorer.score(f)
        let scores = Dictionary(uniqueKeysWithValues: result.leaves.map { ($0.code, $0.score) })
        #expect(scores["A"] == 9)       // 90/100 × 10
        #expect(scores["B11"] == 18)    // 180/200 × 20
        #expect(scores["B21"] == 10)    // ≤500元, 400元
        #expect(result.total == 37)

        // 全年执行数 left blank and 执行率 filled in: the rate scores the row.
        let r2 = Scorer.score(try SelfEvaluationForm.read(grid: form(spent: nil, rate: "92.5%"), file: "local.xlsx"))
        #expect(r2.leaves.first { $0.code == "A" }?.score == 9.25)
    }

    @Test func manualScoreOutsideTheBandIsReported() throws {
        let g = Grid(name: "m", values: [["code", "value", "score"], ["C12", "部分达成", "9"]].map { $0.map { CellValue.string($0) } })
        let result = Scorer.score(try Self.form(), measures: try Measures.read(grid: g, file: "m.csv"))
        #expect(result.leaves.first { $0.code == "C12" }?.score == 9)
        #expect(result.findings.contains { $0.rule == "manual-outside-band" && $0.location?.description == "m.csv!m!C2" })
    }

    @Test func targetRules() {
        func s(_ target: String, _ actual: String, _ w: Double = 10) -> Double? {
            RuleEvaluator.evaluate(SelfEvaluationRules.rule(target: target, weight: w), MeasuredValue.parse(actual)!).score
        }
        #expect(s("≥95%", "95%") == 10)
        #expect(s("≥95%", "0.9") == 9.47)
        #expect(s("≥95%", "120%") == 10)       // above: capped
        #expect(s("≤2%", "2%") == 10)
        #expect(s("≤2%", "4%") == 5)
        #expect(s("=100%", "95%") == 9.5)
        #expect(s("=12次", "10次") == 8.33)
        #expect(s("=12次", "14次") == 8.33)
        #expect(s("127人", "120人") == 9.45)   // no comparator: ≥
        #expect(s("不低于90%", "81%") == 9)
        #expect(s("≥127人", "有效执行") == nil)
        #expect(s("≥95%", "98.5%（抽查）") == 10)
        #expect(s("≥95%", "约90%") == 9.47)
        #expect(s("≥95", "90%") == 9.47)          // target without %: the actual percent on its scale
        // A target of 0 without a sign (安全责任事故 0起) is a ceiling: none is full, any is short of it.
        #expect(s("0起", "0起") == 10)
        #expect(s("0起", "1起") == 0)
        #expect(s("0次", "无") == 10)
        // Months and weeks read as days by the value parser go back to the target's unit.
        #expect(s("12个月", "12个月") == 10)
        #expect(s("=12个月", "9个月") == 7.5)
        #expect(s("≤3个工作日", "4个工作日") == 7.5)
        #expect(s("≤2周", "3周") == 6.67)
        #expect(s("＝12次", "10次") == 8.33)
        // A note after the target, the indicator's name before it.
        #expect(s("≥95%（抽查）", "90%") == 9.47)
        #expect(s("及时率≥95%", "90%") == 9.47)
        #expect(s("全年≥12次", "9次") == 7.5)
        // Money in another unit than the target's.
        #expect(s("≤100万元", "950000元") == 10)
        #expect(s("≤100万元", "1,250,000元") == 8)
        #expect(s("≥7716520元", "771.652万元") == 10)
        #expect(SelfEvaluationRules.rule(target: "明显提升", weight: 10).kind == .qualitative)
        #expect(SelfEvaluationRules.rule(target: "提升10%", weight: 10).kind == .target)
        let q = SelfEvaluationRules.rule(target: "有效保障", weight: 10)
        #expect(q.kind == .qualitative)
        #expect(RuleEvaluator.evaluate(q, .text("达成")).score == 10)
        #expect(RuleEvaluator.evaluate(q, .text("部分达成")).score == nil)   // a person scores within 6–8
        #expect(SelfEvaluationRules.evaluateQualitative(q, .text("部分达成"), score: 7).score == 7)
        #expect(SelfEvaluationRules.evaluateQualitative(q, .text("部分达成"), score: 9).score == nil)
        #expect(SelfEvaluationRules.evaluateQualitative(q, .text("未达成"), score: 5).score == 5)
        // The target written again as the actual, and other words for the bands.
        #expect(RuleEvaluator.evaluate(q, .text("有效保障")).score == 10)
        #expect(RuleEvaluator.evaluate(q, MeasuredValue.parse("已实现")!).score == 10)
        #expect(RuleEvaluator.evaluate(q, MeasuredValue.parse("已达成")!).score == 10)
        #expect(SelfEvaluationRules.evaluateQualitative(q, .text("基本实现"), score: 7).score == 7)
        #expect(SelfEvaluationRules.evaluateQualitative(q, .text("未实现"), score: 3).score == 3)
        #expect(RuleEvaluator.evaluate(q, .text("较好")).score == nil)
    }

    /// The form with its merged parents unmerged and repeated on every row (as a CSV export or a hand-filled copy
    /// writes them): the same tree.
    @Test func parentsRepeatedOnEveryRow() throws {
        let merged = try Self.form()
        let wb = try GridJSON.load(Fixtures.url("selfeval/selfeval_project.xlsx.json"))
        var g = wb.sheets[0]
        let levelCols = merged.columns.levels
        var repeated: [[CellValue]] = []
        var above: [CellValue] = Array(repeating: .empty, count: levelCols.count)
        let headerRow = try #require(merged.headerRow)
        let used = try #require(g.usedRange)
        for r in 0...used.last.row {
            var values = (0...used.last.col).map { c in g[CellRef(row: r, col: c)] }
            if r > headerRow, r < (merged.totals.row ?? 0) {
                for (i, c) in levelCols.enumerated().dropLast() {
                    if let m = g.mergedRange(containing: CellRef(row: r, col: c)), m.first.row != r { values[Int(c)] = above[i] }
                    above[i] = values[Int(c)]
                }
            }
            repeated.append(values)
        }
        g = Grid(name: g.name, values: repeated, merged: g.merged.filter { $0.first.row <= headerRow || $0.first.row >= (merged.totals.row ?? 0) })
        let f = try SelfEvaluationForm.read(grid: g, file: "selfeval_project.xlsx")
        #expect(f.allNodes.map { "\($0.code) \($0.name)" } == merged.allNodes.map { "\($0.code) \($0.name)" })
        #expect(f.roots.map(\.code) == ["A", "B", "C", "D"])
    }
}
