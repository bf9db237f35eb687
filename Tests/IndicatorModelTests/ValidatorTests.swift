import Testing
import SheetCore
@testable import IndicatorModel

/// Each rule on a small table built for it.
struct ValidatorTests {
    static let header: [CellValue] = ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分标准"].map { .string($0) }

    /// A 3-level table from rows of strings ("" = blank), header in row 1 (A1 = title).
    static func table(_ rows: [[String]], title: String = "测试表") -> Framework? {
        let values = [[CellValue.string(title)], header] + rows.map { $0.map { $0.isEmpty ? CellValue.empty : .string($0) } }
        return try? Normaliser.normalise(Grid(name: "表", values: values), file: "t.xlsx")
    }

    static func rules(_ f: Framework?) -> [String] {
        guard let f else { return ["<no table>"] }
        return Validator.validate(f).map { "\($0.rule) \($0.code ?? "-") \($0.location?.cell?.a1 ?? "-")" }
    }

    @Test func consistentTableHasNoFindings() throws {
        let f = try #require(Self.table([
            ["A决策（40分）", "A1目标（40分）", "A11明确性", "40", "35", "明确，得满分；不明确，不得分"],
            ["B产出（60%）", "B1数量（60%）", "B11完成率", "60", "50", ""],
            ["合计", "", "", "100", "85"],
        ]))
        #expect(Self.rules(f) == [])
        #expect(f.totals.score == 85 && f.grade() == .good)
        #expect(f.roots[1].statedWeightUnit == .percent)
    }

    /// Parents on rows of their own (outline style) may state their 得分: one that is not the sum of the
    /// children's scores is reported at its cell; merged or blank parents state none.
    @Test func parentsStatedScoresAgainstTheirChildren() throws {
        let outline: [[String]] = [
            ["A决策", "", "", "20", "18", ""],
            ["", "A1目标", "", "20", "18", ""],
            ["", "", "A11目标明确", "10", "9", "符合得满分"],
            ["", "", "A12目标合理", "10", "9", "符合得满分"],
            ["B产出", "", "", "80", "70", ""],
            ["", "B1数量", "", "80", "70", ""],
            ["", "", "B11完成率", "80", "72", ""],
            ["合计", "", "", "100", "90"],
        ]
        let f = try #require(Self.table(outline))
        #expect(f.roots[1].statedScore == 70 && f.roots[1].statedScoreCell?.a1 == "E7")
        #expect(Self.rules(f) == ["score-children B E7", "score-children B1 E8"])
        var right = outline
        right[4][4] = "72"; right[5][4] = "72"
        #expect(Self.rules(Self.table(right)) == [])
        // Merged-style (parents blank below their first row): no stated parent scores.
        let merged = try #require(Self.table([
            ["A决策（20分）", "A1目标（20分）", "A11目标明确", "10", "9", ""],
            ["", "", "A12目标合理", "10", "8", ""],
            ["合计", "", "", "20", "17"],
        ]))
        #expect(merged.roots[0].statedScore == nil && !Self.rules(merged).contains { $0.hasPrefix("score-children") })
    }

    @Test func scoresOutOfRangeAndMissing() {
        let f = Self.table([
            ["A决策", "A1目标", "A11明确性", "10", "12"],
            ["", "", "A12合理性", "10", "-1"],
            ["", "", "A13一致性", "10", ""],
            ["", "", "A14合规性", "10", "良"],
            ["", "", "A15完整性", "60", "60"],
        ])
        #expect(Self.rules(f) == [
            "score-above-weight A11 E3", "score-negative A12 E4", "not-a-number - E6",
            "score-missing A13 E5", "score-missing A14 E6",
        ])
    }

    @Test func statedWeightsAgainstSums() {
        let f = Self.table([
            ["A决策（30分）", "A1目标（10分）", "A11明确性", "6", "6"],
            ["", "", "A12合理性", "5", "5"],
            ["", "A2职能（20分）", "A21匹配性（8分）", "9", "8"],
            ["", "", "A22科学性", "11", "10"],
            ["B产出（70分）", "B1数量（70分）", "B11完成率", "70", "70"],
            ["合计", "", "", "100分", "98"],
        ])
        #expect(Self.rules(f) == [
            // A1 10 against 6+5; A 30 against A1 10 + A2 20 but its leaves sum to 31; A21's name says 8, 分值 9.
            "weight-leaves A A3", "weight-children A1 B3", "weight-name-column A21 D5",
            "total-weight-leaves - D8", "total-score - E8",
        ])
    }

    @Test func codes() {
        let f = Self.table([
            ["A决策", "A1目标", "A11明确性", "50", "50"],
            ["", "", "A11合理性", "20", "20"],
            ["", "A3职能", "A21匹配性", "30", "30"],
        ])
        #expect(Self.rules(f) == ["code-duplicate A11 C4", "code-malformed A21 C5"])
    }

    @Test func codesInferredWhenMissing() throws {
        let f = try #require(Self.table([
            ["决策", "目标", "明确性", "50", "50"],
            ["", "", "合理性", "20", "20"],
            ["产出", "B1数量", "B11完成率", "30", "30"],
        ]))
        #expect(f.allNodes.map(\.code) == ["A", "A1", "A11", "A12", "B", "B1", "B11"])
        #expect(Self.rules(f) == [])
    }

    @Test func criteriaText() {
        let f = Self.table([
            ["A决策", "A1目标", "A11明确性", "10", "8", "该指标权重15分，完成得满分"],
            ["", "", "A12合理性", "5", "5", "视情况酌情得0-5分"],
            ["", "", "A13满意度", "6", "5", "①满意度≥90%得10分；②满意度≥80%得5分"],
            ["", "", "A14运转", "15", "15", "运转良好得满分，运转一般得15分，较差不得分"],
            ["", "", "A15制度", "2", "2", "①制定制度，得1分；②执行制度，得1分"],
            ["", "", "A16职能", "62", "60", "全部合格，得满分；部分合格，得满分"],
        ])
        #expect(Self.rules(f) == [
            "criteria-weight A11 C3", "criteria-weight A13 C5", "criteria-same-score A14 C6", "criteria-same-score A16 C8",
        ])
    }

    @Test func structureProblems() {
        let f = Self.table([
            ["", "", "", "", "", "孤立的评分说明"],
            ["", "A1目标", "A11明确性", "50", "50"],
            ["A决策", "A2目标", "A21明确性", "50", "50"],
        ])
        #expect(Self.rules(f) == ["row-outside-tree - A3", "missing-parent - B4", "code-malformed A1 B4"])
    }

    @Test func totalsWithoutStatement() {
        let f = Self.table([["A决策", "A1目标", "A11明确性", "40", "30"]])
        #expect(Self.rules(f) == ["total-not-100 - -"])
        #expect(f?.grade() == .fair)  // 30 of 40 with no stated total: 75 on the 100-point scale
    }

    @Test func statedTotalNot100() {
        // Consistent sums, but a total of 105: out of 100 is the rule (百分制).
        let f = Self.table([["A决策（45分）", "A1目标", "A11明确性", "45", "40"], ["B产出（60分）", "B1数量", "B11完成率", "60", "55"],
                            ["合计", "", "", "105", "95"]])
        #expect(Self.rules(f) == ["total-not-100 - D5"])
        // Inconsistent: the sums are reported, not the scale as well.
        let g = Self.table([["A决策", "A1目标", "A11明确性", "45", "40"], ["合计", "", "", "105", "40"]])
        #expect(Self.rules(g) == ["total-weight - D4"])
    }

    @Test func missingWeightIsAnError() {
        let f = Self.table([["A决策", "A1目标", "A11明确性", "", "3"], ["", "", "A12合理性", "100", "90"]])
        #expect(Self.rules(f).first == "weight-missing A11 D3")
    }

    @Test func noTable() {
        let e = #expect(throws: JixiaoError.self) {
            try Normaliser.normalise(Grid(name: "S", values: [[.string("项目")], [.string("一级指标"), .string("二级指标")]]), file: "x.csv")
        }
        #expect(e?.kind == .noTable && e?.location?.description == "x.csv!S")
        let empty = #expect(throws: JixiaoError.self) {
            try Normaliser.normalise(Grid(name: "S", values: [Self.header, [.string("合计")]]), file: "x.csv")
        }
        #expect(empty?.kind == .noTable && empty?.message.contains("no indicator") == true)
        #expect(throws: JixiaoError.self) { try Normaliser.frameworks(in: Workbook(file: "e.xlsx", sheets: []), sheet: nil) }
    }

    @Test func gradeBands() {
        let b = GradeBands.standard
        #expect([95, 90, 89.99, 80, 79, 60, 59.9, 0].map { b.grade($0) } == [.excellent, .excellent, .good, .good, .fair, .fair, .poor, .poor])
        #expect(b.grade(45, outOf: 50) == .excellent)
        let custom = GradeBands(excellent: 85, good: 75, fair: 60)
        #expect(custom.grade(86) == .excellent && custom.grade(80) == .good)
        #expect(!GradeBands(excellent: 60, good: 80, fair: 90).isOrdered)
        let f = Self.table([["A决策", "A1目标", "A11明确性", "100", "86"]])!
        #expect(Validator.validate(f, bands: GradeBands(excellent: 60, good: 80, fair: 90)).contains { $0.rule == "grade-bands" })
        #expect(f.grade(bands: custom) == .excellent && f.grade() == .good)
    }

    @Test func rollUpSumsWhatIsThere() throws {
        var f = try #require(Self.table([
            ["A决策", "A1目标", "A11明确性", "10", "8"],
            ["", "", "A12合理性", "10", ""],
            ["", "A2职能", "A21匹配性", "0.1", ""],
            ["", "", "A22科学性", "0.2", ""],
        ]))
        #expect(f.roots[0].weight == 20.3 && f.roots[0].score == 8)
        #expect(f.roots[0].children[1].weight == 0.3 && f.roots[0].children[1].score == nil)
        f.roots[0].children[1].children[0].score = 0.1
        RollUp.apply(&f)
        #expect(f.totals.score == 8.1)
    }
}

struct TableEdgeTests {
    @Test func totalsAndSubtotalLabels() throws {
        let f = try #require(ValidatorTests.table([
            ["A决策", "A1目标", "A11总分类账管理", "60", "60"],
            ["小计", "", "", "60", "60"],
            ["B产出", "B1数量", "B11完成率", "40", "30"],
            ["合计（分）", "", "", "100", "90"],
            ["C不属于表", "C1", "C11", "5", "5"],
        ]))
        #expect(f.leaves.map(\.code) == ["A11", "B11"])
        #expect(f.totals.statedScore == 90 && f.totals.row == 5)
        #expect(ValidatorTests.rules(f) == [])
    }

    @Test func signaturesUnderTheTableEndIt() throws {
        // No 合计 row: who filled in and signed the table is not an indicator.
        let rows: [[String]] = [["A决策（40分）", "A1目标（40分）", "A11明确性", "40", "35"],
                                ["B产出（60分）", "B1数量（60分）", "B11完成率", "60", "50"]]
        for footer in [["填表人：张三", "", "审核人：李四", "", "日期：2024年3月15日"], ["单位负责人（签字）", "", "", "联系电话：0871-1234567"],
                       ["评价人员签字：", "", "", "", ""], ["填报单位（盖章）：某某局"]] {
            let f = try #require(ValidatorTests.table(rows + [footer]))
            #expect(f.leaves.map(\.code) == ["A11", "B11"], "\(footer[0])")
            #expect(ValidatorTests.rules(f) == [], "\(footer[0])")
        }
        // …but an indicator whose name starts like one stays.
        let g = try #require(ValidatorTests.table(rows + [["C负责人履职情况", "C1日期管理", "C11联系人制度", "0", "0"]]))
        #expect(g.leaves.map(\.code) == ["A11", "B11", "C11"])
    }

    @Test func headerRepeatedInsideTheTable() throws {
        // The header copied again at a page break is skipped; a name starting with a level digit and 级 stays.
        let f = try #require(ValidatorTests.table([
            ["A决策（40分）", "A1目标（40分）", "A11明确性", "40", "35"],
            ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分标准"],
            ["B产出（60分）", "B1数量（60分）", "B11一级保护对象完成率", "60", "50"],
            ["一级\n指标", "二级\n指标", "三级\n指标", "分值", "得分", "评分标准"],
            ["合计", "", "", "100", "85"],
        ]))
        #expect(f.leaves.map(\.code) == ["A11", "B11"] && f.leaves[1].name == "一级保护对象完成率")
        #expect(ValidatorTests.rules(f) == [])
    }

    @Test func notesWithoutALabelEndTheTable() throws {
        // No 合计, no 注: numbered sentences under the table are notes, not indicators.
        let f = try #require(ValidatorTests.table([
            ["A决策（40分）", "A1目标（40分）", "A11明确性", "40", "35"],
            ["B产出（60分）", "B1数量（60分）", "B11完成率", "60", "50"],
            ["1.本表由项目单位填写。"], ["2.得分保留一位小数。"],
        ]))
        #expect(f.leaves.map(\.code) == ["A11", "B11"] && ValidatorTests.rules(f) == [])
    }

    @Test func totalWeightStatedInTheLabel() throws {
        // No 分值 column: the weights are in the names, the total in the 合计 label.
        let rows: [[String]] = [
            ["A决策（40分）", "A1目标（40分）", "A11明确性（40分）", "", "35"],
            ["B产出（60分）", "B1数量（60分）", "B11完成率（60分）", "", "50"],
        ]
        for (label, stated) in [("合计（100分）", 100.0), ("总分：105分", 105), ("合计(100%)", 100), ("合计（分）", nil), ("合计", nil)] {
            let f = try #require(ValidatorTests.table(rows + [[label, "", "", "", "85"]]))
            #expect(f.totals.statedWeight == stated, "\(label)")
            #expect(ValidatorTests.rules(f) == (stated == 105 ? ["total-weight - A5"] : []), "\(label)")
        }
        #expect(TreeBuilder.weightInTotalsLabel("合计得分（100分）") == 100)
    }

    @Test func percentageFormattedWeightsAreFractions() throws {
        // 权重 cells formatted as 0% hold 0.4 and 0.6 (shown 40%, 60%); the 合计 holds 1 (shown 100%).
        let values: [[CellValue]] = [
            [.string("表")], ValidatorTests.header,
            [.string("A决策（40%）"), .string("A1目标"), .string("A11明确性"), .number(0.25), .number(20)],
            [.empty, .empty, .string("A12合理性"), .number(0.15), .number(15)],
            [.string("B产出（60%）"), .string("B1数量"), .string("B11完成率"), .number(0.6), .number(50)],
            [.string("合计"), .empty, .empty, .number(1), .number(85)],
        ]
        let f = try Normaliser.normalise(Grid(name: "表", values: values), file: "t.xlsx")
        #expect(f.leaves.map(\.weight) == [25, 15, 60] && f.leaves.map(\.score) == [20, 15, 50])
        #expect(f.totals.statedWeight == 100 && f.totals.weight == 100 && f.totals.statedScore == 85)
        #expect(ValidatorTests.rules(f) == [])
        // Scores as fractions too (得分 formatted the same way).
        var fractions = values
        fractions[2][4] = .number(0.2); fractions[3][4] = .number(0.15); fractions[4][4] = .number(0.5); fractions[5][4] = .number(0.85)
        let g = try Normaliser.normalise(Grid(name: "表", values: fractions), file: "t.xlsx")
        #expect(g.leaves.map(\.score) == [20, 15, 50] && g.totals.statedScore == 85)
        // A table of points is left alone, even a small one.
        let points = try #require(ValidatorTests.table([["A决策", "A1目标", "A11明确性", "1", "1"], ["", "", "A12合理性", "0.5", "0.5"]]))
        #expect(points.leaves.map(\.weight) == [1, 0.5])
    }

    @Test func organisationWrittenAboveTheTable() throws {
        for line in ["填报单位（盖章）：某某县医疗保障局", "主管部门（单位）：某某县医疗保障局", "项目实施单位：某某县医疗保障局",
                     "评价单位:某某县医疗保障局（盖章）", "单位名称　某某县医疗保障局", "部门名称：某某县医疗保障局　　　金额单位：万元"] {
            let values: [[CellValue]] = [[.string("2023年度绩效评价指标体系")], [.string(line)], ValidatorTests.header,
                                         ["A决策", "A1目标", "A11明确性", "100", "90"].map { .string($0) }]
            let f = try Normaliser.normalise(Grid(name: "表", values: values), file: "t.csv")
            #expect(f.organisation == "某某县医疗保障局", "\(line)")
            #expect(f.title == "2023年度绩效评价指标体系", "\(line)")
        }
    }

    @Test func negativeScoresWithAnyMinus() throws {
        // ASCII, full-width, U+2212 (a word processor's) and U+FE63 minus signs.
        let f = try #require(ValidatorTests.table([
            ["A决策", "A1目标", "A11明确性", "25", "-1"], ["", "", "A12合理性", "25", "－2"],
            ["", "", "A13一致性", "25", "\u{2212}3"], ["", "", "A14合规性", "25", "\u{FE63}0.5"],
        ]))
        #expect(f.leaves.map(\.score) == [-1, -2, -3, -0.5])
        #expect(ValidatorTests.rules(f) == ["score-negative A11 E3", "score-negative A12 E4", "score-negative A13 E5", "score-negative A14 E6"])
    }

    @Test func placeholderScoresAreMissingScores() throws {
        let f = try #require(ValidatorTests.table([
            ["A决策", "A1目标", "A11明确性", "40", "/"],
            ["", "", "A12合理性", "30", "—"],
            ["", "", "A13一致性", "30", "30"],
        ]))
        #expect(ValidatorTests.rules(f) == ["score-missing A11 E3", "score-missing A12 E4"])
        #expect(TextKit.isPlaceholder("／") && TextKit.isPlaceholder("——") && TextKit.isPlaceholder("无") && !TextKit.isPlaceholder("良"))
    }

    @Test func parentsRepeatedWithTheirWeightOnlyOnTheFirstRow() throws {
        // Parents on every row, the weight written in the first only (or again the same, or with a trailing space).
        let f = try #require(ValidatorTests.table([
            ["A决策（40分）", "A1目标（25分）", "A11明确性", "10", "10"],
            ["A决策", "A1目标", "A12合理性", "15", "15"],
            ["A决策 ", "A2职能（15分）", "A21匹配性", "15", "12"],
            ["B产出（60分）", "B1数量（60分）", "B11完成率", "60", "50"],
            ["B产出", "B1数量（60分）", "B12完成时效", "", ""],
            ["合计", "", "", "100", "87"],
        ]))
        #expect(f.allNodes.map { "\($0.code) \($0.statedWeight ?? -1)" } == [
            "A 40.0", "A1 25.0", "A11 -1.0", "A12 -1.0", "A2 15.0", "A21 -1.0", "B 60.0", "B1 60.0", "B11 -1.0", "B12 -1.0",
        ])
        #expect(ValidatorTests.rules(f) == ["weight-missing B12 D7", "score-missing B12 E7"])
    }

    @Test func leafSpreadOverTwoRows() throws {
        // The name merged over two rows; the criteria continue in the second row.
        let values: [[CellValue]] = [
            ValidatorTests.header,
            ["A决策", "A1目标", "A11明确性", "100", "90", "明确，得满分；"].map { .string($0) },
            [.empty, .empty, .empty, .empty, .empty, .string("不明确，不得分")],
        ]
        let g = Grid(name: "S", values: values, merged: ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3"].compactMap { CellRange(a1: $0) })
        let f = try Normaliser.normalise(g, file: "m.xlsx")
        #expect(f.leaves.count == 1)
        #expect(f.leaves[0].criteria == "明确，得满分；\n不明确，不得分")
        #expect(f.leaves[0].weight == 100 && f.leaves[0].score == 90)
    }
}

struct OutlineStyleTests {
    /// Parents on rows of their own with their weight in the 分值 column, leaves below: the same model as
    /// weights written into the names.
    @Test func parentsOnTheirOwnRows() throws {
        let outline = try #require(ValidatorTests.table([
            ["A决策", "", "", "40", ""],
            ["", "A1目标", "", "40", ""],
            ["", "", "A11明确性", "25", "20"],
            ["", "", "A12合理性", "15", "15"],
            ["B产出", "", "", "60", ""],
            ["", "B1数量", "", "55", ""],
            ["", "", "B11完成率", "60", "50"],
            ["合计", "", "", "100", "85"],
        ]))
        let named = try #require(ValidatorTests.table([
            ["A决策（40分）", "A1目标（40分）", "A11明确性", "25", "20"],
            ["", "", "A12合理性", "15", "15"],
            ["B产出（60分）", "B1数量（55分）", "B11完成率", "60", "50"],
            ["合计", "", "", "100", "85"],
        ]))
        func shape(_ f: Framework) -> [String] {
            f.allNodes.map { "\($0.code) \($0.name) \($0.statedWeight ?? -1) \($0.weight ?? -1) \($0.score ?? -1)" }
        }
        #expect(shape(outline) == shape(named))
        // B (60) against B1 (55), B1 (55) against B11 (60): the same findings as with the weights in the names.
        #expect(ValidatorTests.rules(outline) == ["weight-children B A7", "weight-children B1 B8"])
        #expect(ValidatorTests.rules(named).map { $0.prefix(18) } == ["weight-children B ", "weight-children B1"])
        #expect(outline.allNodes.first { $0.code == "B1" }?.weightCell?.a1 == "D8")
    }
}

/// A two-row header: each level's name and its own 分值 under one merged level title (`一级指标` over
/// `名称 | 分值`), as many bureaus lay out their tables.
struct TwoRowHeaderTests {
    static func grid(merged: Bool) -> Grid {
        let s: (String) -> CellValue = { $0.isEmpty ? .empty : .string($0) }
        let rows: [[String]] = [
            ["项目支出绩效评价指标体系"],
            ["一级指标", "", "二级指标", "", "三级指标", "", "得分", "评分标准"],
            ["名称", "分值", "名称", "分值", "名称", "分值", "", ""],
            ["A决策", "40", "A1目标", "40", "A11明确性", "25", "20", "明确，得满分"],
            [merged ? "" : "A决策", merged ? "" : "40", merged ? "" : "A1目标", merged ? "" : "40", "A12合理性", "15", "15", ""],
            ["B产出", "60", "B1数量", "55", "B11完成率", "60", "50", ""],
            ["合计", "", "", "", "", "100", "85", ""],
        ]
        let m = merged ? ["A2:B2", "C2:D2", "E2:F2", "G2:G3", "H2:H3", "A4:A5", "B4:B5", "C4:C5", "D4:D5"] : []
        return Grid(name: "表", values: rows.map { $0.map(s) }, merged: m.compactMap { CellRange(a1: $0) })
    }

    @Test(arguments: [true, false])
    func levelWeightsFromTheirOwnColumns(_ merged: Bool) throws {
        let f = try Normaliser.normalise(Self.grid(merged: merged), file: "t.xlsx")
        #expect(f.headerRow == 2 && f.columns.levelWeights == [1, 3, nil] && f.columns.weight == 5)
        #expect(f.title == "项目支出绩效评价指标体系")
        #expect(f.allNodes.map { "\($0.code) \($0.name) \($0.statedWeight ?? -1) \($0.weight ?? -1) \($0.score ?? -1)" } == [
            "A 决策 40.0 40.0 35.0", "A1 目标 40.0 40.0 35.0", "A11 明确性 -1.0 25.0 20.0", "A12 合理性 -1.0 15.0 15.0",
            "B 产出 60.0 60.0 50.0", "B1 数量 55.0 60.0 50.0", "B11 完成率 -1.0 60.0 50.0",
        ])
        #expect(f.totals.statedWeight == 100 && f.totals.statedScore == 85)
        #expect(ValidatorTests.rules(f) == ["weight-children B A6", "weight-children B1 C6"])
        #expect(f.allNodes.first { $0.code == "B1" }?.weightCell?.a1 == "D6")
        // Both header rows (or only the second) repeated at a page break inside the table.
        let plain = Self.grid(merged: false)
        var values = (0...6).map { r in (0...7).map { c in plain[UInt32(r), UInt16(c)] } }
        values.insert(values[2], at: 5)
        values.insert(values[1], at: 5)
        values.insert(values[2], at: 4)
        let g = try Normaliser.normalise(Grid(name: "表", values: values), file: "t.xlsx")
        #expect(g.leaves.map(\.code) == f.leaves.map(\.code) && g.leaves.map(\.weight) == f.leaves.map(\.weight))
        #expect(ValidatorTests.rules(g).map { $0.prefix(18) } == ["weight-children B ", "weight-children B1"])
    }

    @Test func twoRowHeaderWithoutMerges() throws {
        // A CSV of `评价指标` over the levels, the other names one row up over empty cells.
        let s: (String) -> CellValue = { $0.isEmpty ? .empty : .string($0) }
        let rows: [[String]] = [
            ["序号", "评价指标", "", "", "评分细则", "得分（分）", "分值"],
            ["", "一级指标", "二级指标", "三级指标", "", "", ""],
            ["1", "A决策（40分）", "A1目标（40分）", "A11明确性", "明确，得满分", "35", "40"],
            ["2", "B产出（60分）", "B1数量（60分）", "B11完成率", "", "50", "60"],
            ["合计", "", "", "", "", "85", "100"],
        ]
        let f = try Normaliser.normalise(Grid(name: "表", values: rows.map { $0.map(s) }), file: "t.csv")
        #expect(f.headerRow == 1 && f.columns.weight == 6 && f.columns.score == 5 && f.columns.criteria == 4)
        #expect(f.leaves.map(\.weight) == [40, 60] && f.leaves.map(\.score) == [35, 50] && f.leaves[0].criteria == "明确，得满分")
        #expect(f.totals.statedWeight == 100 && f.totals.statedScore == 85 && f.title == nil)
        #expect(ValidatorTests.rules(f) == [])
        // With the levels' own 分值 in the header row and the leaves' one row up.
        let perLevel: [[String]] = [
            ["评价指标", "", "", "", "", "指标分值", "得分"],
            ["一级指标", "分值", "二级指标", "分值", "三级指标", "", ""],
            ["A决策", "40", "A1目标", "40", "A11明确性", "40", "35"],
            ["B产出", "60", "B1数量", "55", "B11完成率", "60", "50"],
        ]
        let g = try Normaliser.normalise(Grid(name: "表", values: perLevel.map { $0.map(s) }), file: "t.csv")
        #expect(g.columns.weight == 5 && g.columns.levelWeights == [1, 3, nil] && g.leaves.map(\.weight) == [40, 60])
        #expect(ValidatorTests.rules(g) == ["weight-children B A4", "weight-children B1 C4"])
    }

    @Test func oneHeaderRowWithAWeightColumnPerLevel() throws {
        // `一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值`: the last 分值 is the leaves', the others their levels'.
        let s: (String) -> CellValue = { $0.isEmpty ? .empty : .string($0) }
        let rows: [[String]] = [
            ["一级指标", "分值", "二级指标", "权重", "三级指标", "分值", "得分"],
            ["A决策", "40", "A1目标", "40", "A11明确性", "25", "20"],
            ["", "", "", "", "A12合理性", "15", "15"],
            ["B产出", "60", "B1数量", "55", "B11完成率", "60", "50"],
        ]
        let f = try Normaliser.normalise(Grid(name: "表", values: rows.map { $0.map(s) }), file: "t.xlsx")
        #expect(f.headerRow == 0 && f.columns.weight == 5 && f.columns.levelWeights == [1, 3, nil])
        #expect(f.leaves.map(\.weight) == [25, 15, 60])
        #expect(f.allNodes.filter { !$0.isLeaf }.map(\.statedWeight) == [40, 40, 60, 55])
        #expect(ValidatorTests.rules(f) == ["weight-children B A4", "weight-children B1 C4"])
    }

    @Test func parentNameAgainstItsOwnWeightCell() throws {
        // The name says 40 and the level's 分值 cell 45 (and an outline row 60 against （55分）): reported at the cell.
        let s: (String) -> CellValue = { $0.isEmpty ? .empty : .string($0) }
        let rows: [[String]] = [
            ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"],
            ["A决策（40分）", "45", "A1目标（40分）", "40", "A11明确性", "40", "35"],
            ["B产出（60分）", "60", "B1数量（60%）", "60", "B11完成率", "60", "50"],
        ]
        let f = try Normaliser.normalise(Grid(name: "表", values: rows.map { $0.map(s) }), file: "t.xlsx")
        #expect(f.allNodes.filter { !$0.isLeaf }.map(\.statedWeight) == [40, 40, 60, 60])
        #expect(ValidatorTests.rules(f) == ["weight-name-column A B2"])
        let outline = try #require(ValidatorTests.table([
            ["A决策（55分）", "", "", "60", ""], ["", "A1目标", "A11明确性", "60", "50"], ["B产出（40分）", "B1数量", "B11完成率", "40", "30"],
        ]))
        #expect(ValidatorTests.rules(outline) == ["weight-children A A3", "weight-name-column A D3"])
    }

    @Test func unitsUnderTheHeader() throws {
        // A row of units under the header belongs to it.
        let values: [[CellValue]] = [ValidatorTests.header, ["", "", "", "（分）", "(分)", ""].map { .string($0) },
                                     ["A决策", "A1目标", "A11明确性", "100", "90"].map { .string($0) }]
        let f = try Normaliser.normalise(Grid(name: "表", values: values), file: "t.csv")
        #expect(f.headerRow == 1 && f.leaves.count == 1 && ValidatorTests.rules(f) == [])
        #expect(HeaderMatcher.isUnit("单位：分") && HeaderMatcher.isUnit("%") && !HeaderMatcher.isUnit("分类"))
    }

    @Test func aNumberInTheNextRowIsNoSecondHeader() throws {
        // The row under the header is the first indicator: it is not taken for a header.
        let f = try #require(ValidatorTests.table([["A决策", "A1目标", "A11明确性", "100", "90"]]))
        #expect(f.headerRow == 1 && f.columns.levelWeights.isEmpty && f.leaves.count == 1)
    }
}
