import Testing
import TestSupport
@testable import Scoring

/// Seeded property test: criteria stitched from real phrase fragments, scored with values of every kind,
/// never crash and always stay within [0, weight].
@Suite struct PropertyTests {
    typealias SplitMix = SeededRNG

    static let fragments = [
        "符合，得满分", "不符合，不得分", "有效执行，得满分", "部分执行，得权重的60%", "未执行，不得分",
        "①设定了目标，得0.5分", "②目标明确，得0.5分", "③一旦存在该指标不得分", "存在一项不合理，扣0.5分", "扣完为止",
        "预算执行率95%以上，得满分", "低于95%，每下降1%扣权重的1%", "60%以下，不计分", "（实际完成数/计划数）*100%*标准分",
        "≤100%得满分", "≥120%得0分", "区间内按比例", "满意度≥90%得10分", "90%＞满意度≥80%得8分", "满意度<60%得0分",
        "每存在一次扣权重的10%", "存在1例，不得分", "超出10天扣1分", "视情况酌情得0-4分", "a.制度健全", "b.执行有效",
        "得分=预算执行率×标准分", "完成得2分", "未完成酌情扣分", "不少于4次得满分", "每少1次扣0.5分", "最多扣3分",
        "80%-90%得5分", "得一百分", "扣权重的百分之十", "；", "。", "\n", "，", "", "得", "扣", "%", "≥", "分",
    ]
    static let values = ["96.86%", "0.9686", "7474490.38/7716520", "2次", "是", "否", "有效执行", "①③", "a,c",
                         "超期12天", "4分", "0", "-5", "1e9", "150%", "0/0", "无", "全部", "部分执行", "xyz", "3"]

    @Test func scoresStayWithinWeight() {
        var rng = SplitMix(state: 20_241_127)
        var kinds: Set<RuleKind> = []
        for _ in 0..<1000 {
            let n = Int.random(in: 1...5, using: &rng)
            let text = (0..<n).map { _ in Self.fragments.randomElement(using: &rng)! }.joined()
            let weight = [0.5, 1, 2, 3, 4, 5, 10, 15][Int.random(in: 0..<8, using: &rng)]
            let rule = RuleRecogniser.recognise(text, weight: weight)
            kinds.insert(rule.kind)
            #expect(rule.weight == weight)
            for v in Self.values {
                guard let value = MeasuredValue.parse(v) else { continue }
                let e = RuleEvaluator.evaluate(rule, value)
                if let s = e.score {
                    #expect(s >= 0 && s <= weight + 1e-9, "\(text) / \(v) → \(s): \(e.explanation)")
                    #expect(s == ScoreFormat.round2(s))
                } else {
                    #expect(e.problem != nil)
                }
            }
        }
        #expect(kinds.count >= 10)
    }

    /// The phrasings of the audit round (ranges with 至, count tiers, lateness tiers, formulas with a divisor,
    /// caps, compound conditions) in random mixtures: no crash, scores within [0, weight].
    static let auditFragments = [
        "80%（含）至90%得3分", "1-2次得1分", "3次及以上不得分", "投诉次数为0得满分", "3次得权重的75%", "逾期30天以内得权重的50%",
        "逾期30天以上不得分", "按期完工得满分", "每延期5个工作日扣0.5分", "逾期超过10天不得分", "少1次扣0.5分", "超1天扣0.1分",
        "按实际完成率/95%×分值计分", "完成率达到95%以上得满分", "满意度×5", "(1-偏差率)×分值", "累计扣分不超过2分",
        "且无重大投诉", "以此类推", "±5%以内", "①有方案（0.5分）", "以下每项0.5分：①有方案；②有报告", "⑴制度健全，得0.5分",
        "按权重的60%计分", "视严重程度扣分", "每笔扣1分", "两项不合格扣1分", "发生两起及以上不得分", "完成年度目标任务的，得满分",
        "未发现问题", "；", "，", "。",
    ]
    static let auditValues = ["约96%", "96.86%（抽查）", "两次", "提前完成", "逾期12天", "5个工作日", "3笔", "1、3", "⑴⑶", "/",
                              "12个月", "0起", "85.5%", "100万元", "未发生", "完成80%"]

    @Test func auditPhrasingsStayWithinWeight() {
        var rng = SplitMix(state: 20_261_127)
        for _ in 0..<1000 {
            let n = Int.random(in: 1...4, using: &rng)
            let text = (0..<n).map { _ in (Self.auditFragments + Self.fragments).randomElement(using: &rng)! }.joined()
            let weight = [0.5, 1, 2, 3, 5, 10][Int.random(in: 0..<6, using: &rng)]
            let rule = RuleRecogniser.recognise(text, weight: weight)
            for v in Self.auditValues + Self.values {
                guard let value = MeasuredValue.parse(v) else { continue }
                let e = RuleEvaluator.evaluate(rule, value)
                if let s = e.score {
                    #expect(s >= 0 && s <= weight + 1e-9, "\(text) / \(v) → \(s): \(e.explanation)")
                } else {
                    #expect(e.problem != nil)
                }
            }
        }
    }
}
