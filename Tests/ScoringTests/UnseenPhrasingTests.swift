import Testing
@testable import Scoring

/// Phrasings that are not in the seeds: other numbers, other words, full-width symbols, Chinese numerals.
@Suite struct UnseenPhrasingTests {
    func rule(_ text: String, _ weight: Double) -> Rule { RuleRecogniser.recognise(text, weight: weight) }

    func score(_ text: String, _ weight: Double, _ value: String) -> Double? {
        RuleEvaluator.evaluate(rule(text, weight), MeasuredValue.parse(value)!).score
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var weight: Double
        var kind: RuleKind
        var checks: [(String, Double?)]
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "预算执行率达到100%的，得满分；未达到的，按实际执行率×分值计分。", weight: 5, kind: .proportional,
             checks: [("100%", 5), ("90%", 4.5)]),
        Case(text: "执行率≥95%得满分，低于95%按执行率×标准分计算", weight: 4, kind: .proportional,
             checks: [("96%", 4), ("90%", 3.6)]),
        Case(text: "完成率100%得满分，每降低1个百分点扣0.5分，扣完为止", weight: 5, kind: .threshold,
             checks: [("100%", 5), ("98%", 4), ("80%", 0)]),
        Case(text: "按时完成得满分，每延迟一天扣0.5分，扣完为止。", weight: 2, kind: .deadline,
             checks: [("按时", 2), ("超期3天", 0.5), ("超期10天", 0)]),
        Case(text: "有一项不符合扣1分，最多扣3分。", weight: 5, kind: .subtractive,
             checks: [("0", 5), ("2项", 3), ("4项", 2)]),
        Case(text: "满意度≥90%得满分；80%≤满意度＜90%得权重的80%；满意度＜80%不得分", weight: 10, kind: .tiers,
             checks: [("90%", 10), ("85%", 8), ("79.9%", 0)]),
        Case(text: "好的得满分，较好的得80%，一般得60%，差的不得分", weight: 5, kind: .levels,
             checks: [("好", 5), ("较好", 4), ("一般", 3), ("差", 0)]),
        Case(text: "评价结果为优秀得5分，良好得4分，合格得3分，不合格得0分。", weight: 5, kind: .levels,
             checks: [("优秀", 5), ("良好", 4), ("合格", 3), ("不合格", 0)]),
        Case(text: "全部完成得满分，完成80%以上得权重的80%，完成60%以上得权重的60%，60%以下不得分。", weight: 10, kind: .tiers,
             checks: [("100%", 10), ("85%", 8), ("60%", 6), ("59%", 0)]),
        Case(text: "资金到位率=实际到位资金/计划投入资金×100%。到位率100%得满分，每降低1%扣0.1分。", weight: 2, kind: .threshold,
             checks: [("100%", 2), ("95%", 1.5)]),
        Case(text: "得分=实际完成值/目标值×该指标分值", weight: 6, kind: .proportional, checks: [("3/4", 4.5)]),
        Case(text: "存在违规违纪问题的，该项不得分。", weight: 3, kind: .veto, checks: [("0", 3), ("1例", 0)]),
        Case(text: "发现一次扣0.5分，扣完为止", weight: 2, kind: .perIncident, checks: [("3次", 0.5), ("5次", 0)]),
        Case(text: "及时率≥95%得满分，90%≤及时率<95%得3分，及时率<90%得0分", weight: 5, kind: .tiers,
             checks: [("95%", 5), ("92%", 3), ("89%", 0)]),
        Case(text: "≥95%得满分，否则不得分", weight: 2, kind: .threshold, checks: [("95%", 2), ("94.9%", 0)]),
        Case(text: "完成目标值的得满分，未完成的按完成比例计分。", weight: 4, kind: .proportional, checks: [("75%", 3)]),
        Case(text: "每发现1例扣权重的20%，扣完为止。", weight: 5, kind: .perIncident, checks: [("2例", 3), ("6例", 0)]),
        Case(text: "有，得满分；无，不得分。", weight: 1, kind: .yesNo, checks: [("是", 1), ("否", 0), ("有", 1), ("无", 0)]),
        Case(text: "已制定得满分，未制定不得分", weight: 1, kind: .yesNo, checks: [("已制定", 1), ("未制定", 0)]),
        Case(text: "视情况得0-3分", weight: 3, kind: .discretionary, checks: [("2.5分", 2.5)]),
        Case(text: "按照完成情况酌情扣分", weight: 3, kind: .discretionary, checks: [("2", 2)]),
        Case(text: "每发现一次扣二分，扣完为止", weight: 5, kind: .perIncident, checks: [("2次", 1)]),
        Case(text: "满意度90%（含）以上得满分，满意度在80%-90%之间得5分，80%以下不得分", weight: 8, kind: .tiers,
             checks: [("90%", 8), ("85%", 5), ("79%", 0)]),
        Case(text: "控制率在100%以内得满分，每超出1%扣0.1分，扣完为止", weight: 1, kind: .threshold,
             checks: [("100%", 1), ("103%", 0.7), ("120%", 0)]),
        Case(text: "群众投诉0次得满分，每增加1次扣1分", weight: 3, kind: .perIncident, checks: [("0", 3), ("2次", 1)]),
        Case(text: "该项满分5分，指标完成率不低于９０％得满分，每少一个百分点扣权重的２％", weight: 5, kind: .threshold,
             checks: [("90%", 5), ("80%", 4)]),
        Case(text: "完成率＞95％得满分；90％＜完成率≤95％得3分；完成率≤90％不得分", weight: 4, kind: .tiers,
             checks: [("95.1%", 4), ("95%", 3), ("90%", 0)]),
        Case(text: "未达到90%的，每低1个百分点扣0.2分，扣完为止；达到90%的得满分。", weight: 2, kind: .threshold,
             checks: [("90%", 2), ("88%", 1.6)]),
        Case(text: "三项均符合得满分，一项不符合扣1分，扣完为止", weight: 3, kind: .subtractive, checks: [("2项", 1)]),
        Case(text: "①制度健全，得一分；②执行有效，得二分。", weight: 3, kind: .additive, checks: [("②", 2), ("①②", 3)]),
        Case(text: "①按规定程序申请设立；②审批文件符合要求；③经过可行性研究。以上三项全部满足得满分，每有一项不满足扣权重的1/3。",
             weight: 3, kind: .subtractive, checks: [("①②③", 3), ("①③", 2), ("1项", 2), ("全部符合", 3)]),
        Case(text: "共4项，每项得0.5分", weight: 2, kind: .additive, checks: [("3项", 1.5), ("4", 2)]),
        Case(text: "①制度健全；②执行有效；每项得1分", weight: 2, kind: .additive, checks: [("②", 1), ("①②", 2)]),
        Case(text: "按实际完成率计算得分", weight: 5, kind: .proportional, checks: [("80%", 4)]),
        Case(text: "按期完成得满分；延期完成的，视情况扣分", weight: 2, kind: .discretionary, checks: [("1.5分", 1.5)]),
        Case(text: "发生安全事故的，此项不得分", weight: 2, kind: .veto, checks: [("0", 2), ("1次", 0)]),
        Case(text: "与上年相比有所提高得满分，持平得60%，下降不得分", weight: 5, kind: .levels, checks: [("持平", 3), ("下降", 0)]),
        Case(text: "投诉率≤1%得满分，每增加0.1个百分点扣0.5分，扣完为止", weight: 2, kind: .threshold,
             checks: [("1%", 2), ("1.2%", 1), ("2%", 0)]),
        Case(text: "群众满意度≥85%得满分，每降低1个百分点扣0.5分，低于60%不得分", weight: 10, kind: .threshold,
             checks: [("85%", 10), ("80%", 7.5), ("59%", 0)]),
        Case(text: "预算执行率达到95%及以上的得满分，90%（含）-95%得权重的80%，85%（含）-90%得权重的60%，85%以下不得分", weight: 5,
             kind: .tiers, checks: [("95%", 5), ("92%", 4), ("90%", 4), ("85%", 3), ("84%", 0)]),
        Case(text: "成本控制在预算内得满分，每超过预算1%扣0.5分，扣完为止", weight: 2, kind: .threshold,
             checks: [("100%", 2), ("102%", 1)]),
        Case(text: "得分以完成率乘以分值计算", weight: 4, kind: .proportional, checks: [("50%", 2)]),
        Case(text: "及时得满分，不及时不得分", weight: 1, kind: .yesNo, checks: [("及时", 1), ("不及时", 0)]),
        Case(text: "每季度按时报送得0.5分", weight: 2, kind: .additive, checks: [("4", 2), ("3", 1.5)]),
        Case(text: "1.有制度得0.5分；2.制度执行有效得0.5分", weight: 1, kind: .additive, checks: [("(1)", 0.5), ("1,2", 1), ("（2）", 0.5)]),
        Case(text: "一、有制度得0.5分；二、制度执行有效得0.5分", weight: 1, kind: .additive, checks: [("全部", 1)]),
        Case(text: "满意度在90%以上得10分，80%-90%得8分，70%-80%得6分，70%以下不得分", weight: 10, kind: .tiers,
             checks: [("90%", 10), ("89%", 8), ("70%", 6), ("69%", 0)]),
        Case(text: "每项指标满分1分，满足得1分，不满足得0分", weight: 1, kind: .yesNo, checks: [("满足", 1), ("不满足", 0)]),
        Case(text: "预算执行率100%得满分，低于100%的，按执行率×分值得分", weight: 10, kind: .proportional,
             checks: [("100%", 10), ("93.5%", 9.35)]),
        Case(text: "项目完成率=实际完成数/计划完成数×100%，完成率达到100%得满分，每降低5%扣1分", weight: 5, kind: .threshold,
             checks: [("90%", 3), ("100%", 5)]),
        Case(text: "指标值≥目标值得满分，否则按比例得分", weight: 5, kind: .proportional, checks: [("8/10", 4)]),
        Case(text: "满分5分，发现问题一处扣1分", weight: 5, kind: .perIncident, checks: [("2处", 3)]),
        Case(text: "整改到位率100%得满分，低于100%不得分", weight: 2, kind: .tiers, checks: [("100%", 2), ("99%", 0)]),
        Case(text: "≤5%得满分；5%-10%得权重的50%；>10%不得分", weight: 4, kind: .tiers,
             checks: [("5%", 4), ("7%", 2), ("10.5%", 0)]),
        Case(text: "满意度测评90分以上得满分，80-90分得权重的80%，80分以下不得分", weight: 5, kind: .tiers,
             checks: [("92分", 5), ("85", 4), ("79", 0)]),
        Case(text: "达到目标值的100%得满分，达到90%得8分，达到80%得6分，80%以下不得分", weight: 10, kind: .tiers,
             checks: [("100%", 10), ("95%", 8), ("80%", 6), ("79%", 0)]),
        Case(text: "按时完成得满分，每延期一周扣0.5分，扣完为止", weight: 2, kind: .deadline,
             checks: [("超期2周", 1), ("超期10天", 1.5), ("按时", 2)]),
        Case(text: "每超支1万元扣0.5分，扣完为止", weight: 2, kind: .perIncident, checks: [("2万元", 1)]),
        Case(text: "全年开展培训不少于4次得满分，每少1次扣0.5分，扣完为止", weight: 2, kind: .threshold,
             checks: [("4次", 2), ("6次", 2), ("3次", 1.5), ("0次", 0)]),
        Case(text: "每存在一项问题扣权重的百分之十，扣完为止", weight: 5, kind: .perIncident, checks: [("2项", 4)]),
        Case(text: "验收合格率达到百分之百得满分，每下降1%扣0.2分", weight: 2, kind: .threshold, checks: [("99%", 1.8)]),
        Case(text: "受益人数10000人以上得满分，5000人（含）以上得权重的60%，5000人以下不得分", weight: 5, kind: .tiers,
             checks: [("12000人", 5), ("5000人", 3), ("4999", 0)]),
    ]

    @Test(arguments: cases)
    func recognisedAndScored(_ c: Case) {
        let r = rule(c.text, c.weight)
        #expect(r.kind == c.kind, "\(r.summary) \(r.note ?? "")")
        for (v, expected) in c.checks {
            let e = RuleEvaluator.evaluate(r, MeasuredValue.parse(v)!)
            #expect(e.score == expected, "\(v): \(e.explanation)")
        }
    }
}
