import Foundation

/// Rules of the 项目支出绩效自评表 (national form), read from the 年度指标值 rather than from a criteria text.
public enum SelfEvaluationRules {
    /// `≥95%`, `127人`, `及时率≥95%` (the name in front), `≤3个工作日`.
    static let targetRx = Rx("^\\p{Han}{0,8}?([≥≤<>=])?(\\d+(?:\\.\\d+)?)(%)?([\\p{Han}A-Za-z/²³]*)$")
    /// `≥95%（抽查）`: a note after the target.
    static let trailingNoteRx = Rx("\\([^()]*\\)$")

    /// The three bands of a qualitative indicator (shares of the weight).
    public static let bands: [RuleOption] = [
        RuleOption(label: "达成", conditions: [Comparison(.ge, 80), Comparison(.le, 100)], award: .full),
        RuleOption(label: "部分达成", conditions: [Comparison(.ge, 60), Comparison(.lt, 80)]),
        RuleOption(label: "未达成", conditions: [Comparison(.ge, 0), Comparison(.lt, 60)]),
    ]

    /// The rule for a target as written: `≥95%`, `≤100%`, `=127人`, `127人` (read as ≥), `7,716,520元`;
    /// anything without a number (`有效保障`, `提升`, `达成`) is qualitative.
    public static func rule(target: String, weight: Double) -> Rule {
        var t = CriteriaPhrases.normalise(target)
            .replacingOccurrences(of: ",", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: " ;。"))
        let withoutNote = trailingNoteRx.replace(t, "")
        if !withoutNote.isEmpty && withoutNote != t && targetRx.test(withoutNote) { t = withoutNote }
        if let m = targetRx.first(t), let v = m.double(2) {
            var p = RuleParameters()
            // Without a comparison sign a target is reached from below (≥), except 0 (0起, 0次): none is the
            // target, more is worse.
            let op = Comparison.Op(rawValue: m[1] ?? "") ?? (v == 0 ? .le : .ge)
            p.full = Comparison(op, v, percent: m[3] != nil)
            p.unit = (m[4] ?? "").isEmpty ? nil : m[4]
            p.metric = "实际完成值/年度指标值"
            let note = m[1] == nil ? (v == 0 ? "年度指标值为0且未写比较符，按“≤”（反向指标）" : "年度指标值未写比较符，按“≥”（正向指标）") : nil
            return Rule(kind: .target, parameters: p, weight: weight, sourceText: target, confidence: m[1] == nil ? 0.9 : 1, note: note)
        }
        var p = RuleParameters()
        p.options = bands
        return Rule(kind: .qualitative, parameters: p, weight: weight, sourceText: target, confidence: 1,
                    note: "定性指标：达成 100–80%，部分达成 80–60%，未达成 60–0%")
    }

    /// Units of money and their size in 元.
    static let moneyScale: [String: Double] = ["元": 1, "千元": 1e3, "万元": 1e4, "亿元": 1e8]

    /// A number out of an actual value as written (`127人`, `96.86%`, `7,474,490.38`).
    static let firstNumberRx = Rx("(\\d+(?:\\.\\d+)?)(%)?")

    /// The actual value on the target's scale. `target` is the target's number: a percentage actual against a
    /// target written without % (`≥95`) is taken as percent when the target is above 2.
    static func number(_ v: MeasuredValue, percentTarget: Bool, target: Double = 100, unit: String? = nil) -> Double? {
        switch v {
        case .days(let x) where unit != nil:
            // 12个月 against a target in 个月, 3周 against weeks: the days read back in the target's unit.
            return x / MeasuredValue.daysPer(unit)
        case .number(let x): return percentTarget && abs(x) <= 2 ? x * 100 : x
        case .percent(let x): return percentTarget || target > 2 ? x : x / 100
        case .count(let x, let u) where unit != nil && moneyScale[u] != nil && moneyScale[unit!] != nil:
            // 950000元 against ≤100万元: the amount in the target's unit.
            return x * moneyScale[u]! / moneyScale[unit!]!
        case .count(let x, _), .points(let x), .days(let x): return x
        case .ratio(let a, let b): return b == 0 ? nil : (percentTarget ? a / b * 100 : a / b)
        case .text(let s):
            // `98.5%（抽查）`, `完成127人`: the first number, with its % when written.
            let t = CriteriaPhrases.normalise(s).replacingOccurrences(of: ",", with: "")
            guard let m = firstNumberRx.first(t), let x = m.double(1) else { return nil }
            let isPercent = m[2] != nil
            if isPercent == percentTarget || (isPercent && target > 2) { return x }
            return percentTarget ? x * 100 : x / 100
        default: return nil
        }
    }

    static func evaluateTarget(_ rule: Rule, _ value: MeasuredValue) -> Evaluation {
        let w = rule.weight
        guard let full = rule.parameters.full else { return .fail("缺少年度指标值") }
        guard let a = number(value, percentTarget: full.percent, target: full.value, unit: rule.parameters.unit) else {
            return .fail("实际完成值“\(value)”不是数值，年度指标值为 \(full)")
        }
        let t = full.value
        let u = full.percent ? "%" : (rule.parameters.unit ?? "")
        let n = { (x: Double) in ScoreFormat.number(x, decimals: 4) }
        let shown = "实际 \(n(a))\(u)，目标 \(full.op.rawValue)\(n(t))\(u)"
        if full.holds(a) { return Evaluation(score: w, explanation: "\(shown): 满分 \(ScoreFormat.number(w))") }
        switch full.op {
        case .ge, .gt:
            guard t > 0 else { return Evaluation(score: 0, explanation: "\(shown): 0分") }
            let r = Swift.max(a, 0) / t
            return Evaluation(score: r * w, explanation: "\(shown): \(n(a))/\(n(t)) × \(ScoreFormat.number(w)) = \(ScoreFormat.number(r * w))")
        case .le, .lt:
            guard a > 0 else { return Evaluation(score: w, explanation: "\(shown): 满分 \(ScoreFormat.number(w))") }
            let r = Swift.min(t / a, 1)
            return Evaluation(score: r * w, explanation: "\(shown)（反向指标）: \(n(t))/\(n(a)) × \(ScoreFormat.number(w)) = \(ScoreFormat.number(r * w))")
        case .eq:
            guard t != 0 else { return Evaluation(score: 0, explanation: "\(shown): 0分") }
            let r = Swift.max(0, 1 - abs(a - t) / abs(t))
            return Evaluation(score: r * w, explanation:
                "\(shown)（等于型）: (1 − |\(n(a)) − \(n(t))|/\(n(t))) × \(ScoreFormat.number(w)) = \(ScoreFormat.number(r * w))")
        }
    }

    /// 达成 gives the full weight (the top of its band); 部分达成 and 未达成 need a score within their band.
    static func evaluateQualitative(_ rule: Rule, _ value: MeasuredValue, score: Double? = nil) -> Evaluation {
        let w = rule.weight
        let label: String?
        switch value {
        case .yesNo(let b): label = b ? "达成" : "未达成"
        case .text(let s):
            let c = s.filter { !$0.isWhitespace }
            let target = rule.sourceText.filter { !$0.isWhitespace }
            if c.hasPrefix("未达成") || ["未完成", "未达到", "未实现", "没有达到", "未达标"].contains(c) { label = "未达成" }
            else if c.hasPrefix("部分达成") || c.hasPrefix("基本达成")
                || ["部分完成", "基本完成", "部分达到", "基本达到", "部分实现", "基本实现"].contains(c) { label = "部分达成" }
            else if c.hasPrefix("达成") || c.hasPrefix("已达成") || c.hasPrefix("全部达成")
                || ["完成", "已完成", "全部完成", "达到", "已达到", "实现", "已实现", "全部实现", "达标"].contains(c) { label = "达成" }
            // The target written again as the actual (明显提升 for 明显提升): reached.
            else if !target.isEmpty && c == target { label = "达成" }
            else { label = nil }
        default: label = nil
        }
        guard let label, let band = bands.first(where: { $0.label == label }) else {
            return .fail("定性指标的实际完成值应为 达成/部分达成/未达成，得到“\(value)”")
        }
        let conds = band.conditions ?? []
        let lo = conds[0].value, hi = conds[1].value
        let bandText = "\(label)（\(ScoreFormat.number(hi))–\(ScoreFormat.number(lo))%）"
        if let s = score {
            let share = w > 0 ? s / w * 100 : 0
            if conds.allSatisfy({ $0.holds(share) }) {
                return Evaluation(score: s, explanation: "\(bandText): 人工评分 \(ScoreFormat.number(s))")
            }
            return .fail("\(bandText): 得分 \(ScoreFormat.number(s)) 为权重的 \(ScoreFormat.number(share))%，不在档次内")
        }
        if label == "达成" { return Evaluation(score: w, explanation: "\(bandText): 满分 \(ScoreFormat.number(w))") }
        return .fail("\(bandText): 需在 \(ScoreFormat.number(w * lo / 100))–\(ScoreFormat.number(w * hi / 100))分 之间人工评分")
    }
}
