import Testing
import SheetCore
@testable import IndicatorModel

struct NameParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var raw: String
        var code: String?
        var name: String
        var weight: Double?
        var unit: WeightUnit?
        var note: String? = nil
        var testDescription: String { raw }
    }

    static let cases: [Case] = [
        Case(raw: "A.项目决策（20%）", code: "A", name: "项目决策", weight: 20, unit: .percent),
        Case(raw: "A1部门目标（12分）", code: "A1", name: "部门目标", weight: 12, unit: .points),
        Case(raw: "B232财务制度执行有效性", code: "B232", name: "财务制度执行有效性", weight: nil, unit: nil),
        Case(raw: "A111.与部门中长期规划目标匹配性", code: "A111", name: "与部门中长期规划目标匹配性", weight: nil, unit: nil),
        Case(raw: "C1.项目产出（30%）（说明：该指标主要反映部门（单位）项目工作任务的完成情况。）", code: "C1", name: "项目产出",
             weight: 30, unit: .percent, note: "（说明：该指标主要反映部门（单位）项目工作任务的完成情况。）"),
        Case(raw: "昆明市盘龙区政务服务管理局部门决策（35分）", code: nil, name: "昆明市盘龙区政务服务管理局部门决策", weight: 35, unit: .points),
        Case(raw: "Ａ．项目决策(20%)", code: "A", name: "项目决策", weight: 20, unit: .percent),
        Case(raw: "B1 投入管理 【4%】", code: "B1", name: "投入管理", weight: 4, unit: .percent),
        Case(raw: "C3、项目满意度（权重10%）", code: "C3", name: "项目满意度", weight: 10, unit: .percent),
        Case(raw: "B13“三公经费”控制率（1分）", code: "B13", name: "“三公经费”控制率", weight: 1, unit: .points),
        Case(raw: "A15绩效指标明确性（２.５分）", code: "A15", name: "绩效指标明确性", weight: 2.5, unit: .points),
        Case(raw: "部门（单位）职责明确性", code: nil, name: "部门（单位）职责明确性", weight: nil, unit: nil),
        Case(raw: "PPP项目管理（5分）", code: nil, name: "PPP项目管理", weight: 5, unit: .points),
        Case(raw: "\u{3000}A12.立项依据充分性 \n", code: "A12", name: "立项依据充分性", weight: nil, unit: nil),
        Case(raw: "A", code: nil, name: "A", weight: nil, unit: nil),
        Case(raw: "一、产出指标（50分）", code: nil, name: "产出指标", weight: 50, unit: .points),
        Case(raw: "（二）质量指标", code: nil, name: "质量指标", weight: nil, unit: nil),
        Case(raw: "1.1 配置人数（10分）", code: nil, name: "配置人数", weight: 10, unit: .points),
        Case(raw: "2、群众满意度", code: nil, name: "群众满意度", weight: nil, unit: nil),
        Case(raw: "3年内完成率", code: nil, name: "3年内完成率", weight: nil, unit: nil),
        Case(raw: "十", code: nil, name: "十", weight: nil, unit: nil),
        Case(raw: "", code: nil, name: "", weight: nil, unit: nil),
        // A weight glued to the end without brackets.
        Case(raw: "A1项目立项6分", code: "A1", name: "项目立项", weight: 6, unit: .points),
        Case(raw: "B 过程 20分", code: "B", name: "过程", weight: 20, unit: .points),
        Case(raw: "A31预算编制科学性：2.5分", code: "A31", name: "预算编制科学性", weight: 2.5, unit: .points),
        Case(raw: "一、项目决策15分", code: nil, name: "项目决策", weight: 15, unit: .points),
        // …but not a number that belongs to the name (a condition, an amount, a score word).
        Case(raw: "群众满意度达90分", code: nil, name: "群众满意度达90分", weight: nil, unit: nil),
        Case(raw: "考核结果≥90分", code: nil, name: "考核结果≥90分", weight: nil, unit: nil),
        Case(raw: "年度考核评分90分", code: nil, name: "年度考核评分90分", weight: nil, unit: nil),
        Case(raw: "C11第2分", code: "C11", name: "第2分", weight: nil, unit: nil),
        Case(raw: "12分", code: nil, name: "12分", weight: nil, unit: nil),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) {
        let p = NameParser.parse(c.raw)
        #expect(p.code == c.code)
        #expect(p.name == c.name)
        #expect(p.weight == c.weight)
        #expect(p.unit == c.unit)
        #expect(p.note == c.note)
    }

    @Test func splitsTheOrganisation() {
        let s = NameParser.splitOrganisation("昆明市盘龙区政务服务管理局部门决策", siblingNames: ["部门管理", "部门绩效"])
        #expect(s?.organisation == "昆明市盘龙区政务服务管理局" && s?.name == "部门决策")
        // Sibling names share a core that is not in the usual list.
        let t = NameParser.splitOrganisation("某某县教育体育局工作成效", siblingNames: ["工作保障", "工作落实"])
        #expect(t?.organisation == "某某县教育体育局" && t?.name == "工作成效")
        // A long level-1 name that is not an organisation stays whole.
        #expect(NameParser.splitOrganisation("辅助性岗位工作人员薪酬专项经费项目绩效", siblingNames: ["项目决策", "项目管理"]) == nil)
        #expect(NameParser.splitOrganisation("部门决策", siblingNames: ["部门管理"]) == nil)
    }
}

struct TextKitTests {
    @Test func numbersAsTablesWriteThem() {
        func n(_ s: String) -> TextKit.Number? { TextKit.parseNumber(s) }
        #expect(n("1\u{3000}") == .init(value: 1, unit: nil))
        #expect(n("\u{3000}96") == .init(value: 96, unit: nil))
        #expect(n("100分") == .init(value: 100, unit: .points))
        #expect(n("100 分") == .init(value: 100, unit: .points))
        #expect(n("２０％") == .init(value: 20, unit: .percent))
        #expect(n("0.5") == .init(value: 0.5, unit: nil))
        #expect(n("-1") == .init(value: -1, unit: nil))
        #expect(n("10.0") == .init(value: 10, unit: nil))
        for bad in ["", "分", "1.", ".5", "1.2.3", "良", "1/2", "1e3", "--1", "%"] { #expect(n(bad) == nil, "\(bad)") }
        #expect(TextKit.number(.string("\u{3000}")) == .empty)
        #expect(TextKit.number(.string("优")) == .notANumber("优"))
        #expect(TextKit.number(.bool(true)) == .notANumber("TRUE"))
        #expect(TextKit.number(.number(3)) == .number(.init(value: 3, unit: nil)))
    }

    @Test func cleaningAndKeys() {
        #expect(TextKit.clean("\u{3000} a\r\nb \u{FEFF}") == "a\nb")
        #expect(TextKit.key("一级\n指标") == "一级指标")
        #expect(TextKit.key("分值（分）") == "分值(分)")
        #expect(TextKit.text(.string(" \u{3000}\n")) == nil)
        #expect(TextKit.displayWidth("A1 部门") == 7)
        #expect(TextKit.show(0.1 + 0.2) == "0.3")
    }
}

struct HeaderMatcherTests {
    @Test func rolesWhateverTheSpelling() {
        let expected: [(String, HeaderMatcher.Role)] = [
            ("一级\n指标", .level(1)), ("二 级 指 标", .level(2)), ("三级\u{3000}指标", .level(3)), ("四级指标名称", .level(4)),
            ("1级指标", .level(1)), ("分值", .weight), ("权重", .weight), ("权重（%）", .weight), ("分值(分)", .weight),
            ("得分", .score), ("自评得分", .score), ("指标解释", .explanation), ("指标说明", .explanation),
            ("评分标准", .criteria), ("评分细则", .criteria), ("指标评分细则", .criteria), ("数据来源", .source),
            ("年度指标值", .target), ("实际完成值", .actual), ("偏差原因分析及改进措施", .note),
            ("满分值", .weight), ("权数", .weight), ("分值（权重）", .weight), ("实得分", .score), ("自评分值", .score),
            ("评价要点", .explanation), ("考核内容", .explanation), ("评分要点", .explanation), ("评分说明", .criteria), ("考核标准", .criteria),
            ("评分细则及标准", .criteria), ("计分标准", .criteria), ("佐证资料", .source), ("证明材料", .source), ("备查资料", .source),
            ("一级指标及分值", .level(1)), ("二级指标\n及权重", .level(2)), ("三级指标名称及分值", .level(3)),
        ]
        for (text, role) in expected { #expect(HeaderMatcher.role(of: text) == role, "\(text)") }
        for text in ["指标", "一级指标说明", "五级指标", "合计", "", "分值分值"] { #expect(HeaderMatcher.role(of: text) == nil, "\(text)") }
    }

    @Test func needsThreeLevelsInOrder() {
        let ok = Grid(name: "s", values: [[.string("一级指标"), .string("二级指标"), .string("三级指标"), .string("权重")]])
        #expect(HeaderMatcher.match(ok, row: 0)?.levels == [0, 1, 2])
        #expect(HeaderMatcher.match(ok, row: 0)?.weight == 3)
        let two = Grid(name: "s", values: [[.string("一级指标"), .string("二级指标"), .string("得分")]])
        #expect(HeaderMatcher.match(two, row: 0) == nil)
        let swapped = Grid(name: "s", values: [[.string("二级指标"), .string("一级指标"), .string("三级指标")]])
        #expect(HeaderMatcher.match(swapped, row: 0) == nil)
        // A header cell merged down from the row above still counts.
        let merged = Grid(name: "s", values: [[.string("分值"), .string("指标")],
                                             [.empty, .string("一级指标"), .string("二级指标"), .string("三级指标")]],
                          merged: [CellRange(a1: "A1:A2")!])
        #expect(HeaderMatcher.match(merged, row: 1)?.weight == 0)
    }
}

struct CriteriaTextTests {
    @Test func quotedWeights() {
        func q(_ s: String) -> [Double] { CriteriaText.quotedWeights(s).map(\.value) }
        #expect(q("该指标权重15分，政务服务大厅运转情况良好得满分") == [15])
        #expect(q("将部门详细工作计划与年度工作目标对应匹配，视匹配情况酌情得0-2分。") == [2])
        #expect(q("每有一项重点项目因资金不足无法完成，按权重（3分）的1/3扣分") == [3])
        #expect(q("每降低1%扣权重分（1分）的5%，扣完为止。") == [1])
        #expect(q("满分10分，得分=完成率*10") == [10])
        #expect(q("预算执行率95%以上，得满分；低于95%，每下降1%扣权重的1%") == [])
        #expect(q("超出10天扣1分，扣完为止。") == [])
        #expect(q("得10-20分") == [])
        #expect(q("该指标分值为5分。程序规范得满分") == [5])
        #expect(q("本项分值：3分，完成得满分") == [3])
        #expect(q("达标率100%得满分，每项分值1分，共10项。") == [])
        #expect(q("单项分值0.5分，各项分值2分") == [])
        #expect(q("本指标3分，完成得满分") == [3])
        #expect(q("该项共4分：①…得2分；②…得2分") == [4])
        #expect(q("（3分）完成得满分，未完成不得分") == [3])
        #expect(q("5分：按完成比例得分") == [5])
        #expect(q("该项得3分，本项扣1分") == [])
        #expect(q("3分以上为优") == [])
    }

    @Test func outcomes() {
        func o(_ s: String, _ w: Double) -> [Double] { CriteriaText.outcomes(s, weight: w).map(\.score) }
        #expect(o("该指标权重15分，政务服务大厅运转情况良好得满分，运转情况一般得15分，运转情况较差不得分", 15) == [15, 15, 0])
        #expect(o("有效执行，得满分；部分执行，得权重的60%；未执行，不得分。", 5) == [5, 3, 0])
        #expect(o("规范，得满分；部分规范，扣0.5分；不规范，不得分。", 1) == [1, 0])
        #expect(o("①满意度≥90%得6分；\n②90%＞满意度≥80%得5分\n③80%＞满意度≥70%得4分；", 6) == [6, 5, 4])
        #expect(o("得分=预算执行率*标准分", 6) == [])
        #expect(o("视匹配情况酌情得0-4分。", 4) == [])
    }
}
