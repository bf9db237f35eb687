import Foundation

/// The result of applying a rule to one measured value.
public struct Evaluation: Sendable, Hashable {
    /// Rounded to 2 decimals, within [0, weight]; nil when the value cannot score the rule.
    public var score: Double?
    /// How the score came about: `96.86% ≥ 95%: 满分 2`; or why there is none.
    public var explanation: String
    /// Set when the value is of the wrong kind for the rule or the rule leaves the case open.
    public var problem: String?

    public init(score: Double?, explanation: String, problem: String? = nil) {
        self.score = score.map(ScoreFormat.round2)
        self.explanation = explanation
        self.problem = problem
    }

    static func fail(_ message: String) -> Evaluation { Evaluation(score: nil, explanation: message, problem: message) }
}

/// Applies a `Rule` to a `MeasuredValue`. Pure; never throws: a value of the wrong kind gives an
/// `Evaluation` with a `problem`.
public enum RuleEvaluator {
    static func n(_ v: Double) -> String { ScoreFormat.number(v) }

    public static func evaluate(_ rule: Rule, _ value: MeasuredValue) -> Evaluation {
        let w = rule.weight
        let p = rule.parameters
        switch rule.kind {
        case .target:
            return SelfEvaluationRules.evaluateTarget(rule, value)
        case .qualitative:
            return SelfEvaluationRules.evaluateQualitative(rule, value)
        case .manual:
            return .fail("评分标准需人工评分（\(rule.note ?? "未识别")），请在得分列填写")
        case .discretionary:
            let lo = p.minimum ?? 0, hi = Swift.min(p.maximum ?? w, w)
            if matchesFullLabel(value, p) { return Evaluation(score: w, explanation: "“\(value)”: 满分 \(n(w))") }
            if case .yesNo(true) = value, let full = p.fullLabels?.first {
                return Evaluation(score: w, explanation: "“\(full)”: 满分 \(n(w))")
            }
            if case .count(0, "") = value,
               let full = p.fullLabels?.first(where: { l in ["不存在", "未发现", "未出现", "没有", "无"].contains { clean(l).hasPrefix($0) } }) {
                // 不存在违规问题得满分，存在问题视严重程度扣分: “不存在” names the full case.
                return Evaluation(score: w, explanation: "“\(full)”: 满分 \(n(w))")
            }
            let x: Double?
            switch value {
            case .points(let v), .number(let v): x = v
            default: x = nil
            }
            guard let x else { return .fail("酌情评分（\(n(lo))–\(n(hi))分）需要一个分数，得到“\(value)”") }
            guard x >= lo - 1e-9, x <= hi + 1e-9 else { return .fail("酌情评分 \(n(x)) 不在 \(n(lo))–\(n(hi))分之内") }
            return Evaluation(score: x, explanation: "酌情评分 \(n(x))（\(n(lo))–\(n(hi))分）")
        case .yesNo, .levels, .veto:
            return levels(rule, value)
        case .additive:
            return additive(rule, value)
        case .subtractive, .perIncident:
            return deduction(rule, value)
        case .threshold:
            return threshold(rule, value)
        case .proportional:
            if let full = p.full, !full.percent, full.value > 0, full.op == .ge || full.op == .gt {
                // 达到500人次得满分，未达到的按实际人次/500×分值: a count against its target.
                guard let x = quantity(value, percent: false) else {
                    return .fail("需要数值（如 \(n(full.value))\(p.unit ?? "")），得到“\(value)”")
                }
                if full.holds(x) { return Evaluation(score: w, explanation: "\(value) \(full): 满分 \(n(w))") }
                let s = Swift.min(Swift.max(x / full.value, 0), 1) * w
                return Evaluation(score: s, explanation: "\(value) / \(n(full.value)) × \(n(w)) = \(n(s))")
            }
            guard let f = value.fraction else { return .fail("需要比率或百分比（如 96.86%、7474490.38/7716520），得到“\(value)”") }
            if let full = p.full, full.holds(f * 100) {
                return Evaluation(score: w, explanation: "\(rate(value)) \(full): 满分 \(n(w))")
            }
            if let c = p.cutoff, c.percent, c.holds(f * 100) {
                return Evaluation(score: 0, explanation: "\(rate(value)) \(c): 不得分")
            }
            if let d = p.divisor, d > 0 {
                // 实际完成率/95%×分值.
                let r = f * 100 / d
                let s = Swift.min(Swift.max(r, 0), 1) * w
                return Evaluation(score: s, explanation: "\(rate(value)) / \(n(d))% × \(n(w)) = \(n(r * w))\(r > 1 ? "，以分值 \(n(w)) 为限" : "")")
            }
            let s = Swift.min(Swift.max(f, 0), 1) * w
            var e = "\(rate(value)) × \(n(w)) = \(n(f * w))"
            if f > 1 { e += "，超过100%按满分 \(n(w))" }
            if f < 0 { e += "，低于0按0分" }
            return Evaluation(score: s, explanation: e)
        case .range:
            guard let full = p.full, let zero = p.zero, let pc = quantity(value, percent: full.percent) else {
                return .fail("需要\(p.full?.percent == false ? "数值" : "比率或百分比")，得到“\(value)”")
            }
            if full.holds(pc) { return Evaluation(score: w, explanation: "\(shown(value, percent: full.percent)) \(full): 满分 \(n(w))") }
            if zero.holds(pc) { return Evaluation(score: 0, explanation: "\(shown(value, percent: full.percent)) \(zero): 0分") }
            let share = (pc - zero.value) / (full.value - zero.value)
            let s = Swift.min(Swift.max(share, 0), 1) * w
            return Evaluation(score: s, explanation:
                "\(rate(value)) 在 \(n(full.value))%–\(n(zero.value))% 之间: \(n(w)) × (\(n(zero.value)) − \(n(pc))) / (\(n(zero.value)) − \(n(full.value))) = \(n(s))")
        case .tiers:
            let percent = (p.options ?? []).flatMap { $0.conditions ?? [] }.first?.percent ?? true
            guard let pc = quantity(value, percent: percent) else {
                if case .text(let t) = value, let o = (p.options ?? []).first(where: { $0.text.map(clean) == clean(t) }), let a = o.award {
                    // 良 for 良：80-89分: the grade named.
                    return Evaluation(score: a.score(weight: w), explanation: "“\(t)”: \(a.isFull ? "满分 \(n(w))" : "\(a) → \(n(a.score(weight: w)))")")
                }
                return .fail("需要\(percent ? "百分比（如 92%）" : "数值")，得到“\(value)”")
            }
            let shownValue = shown(value, percent: percent)
            for o in p.options ?? [] where (o.conditions ?? []).allSatisfy({ $0.holds(pc) }) {
                guard let a = o.award else { continue }
                // 逾期30天以内: the days with their unit.
                let conds = (o.conditions ?? []).map { $0.description + ($0.percent ? "" : (p.unit ?? "")) }.joined(separator: " 且 ")
                let what = a.kind == .points ? "得\(n(a.score(weight: w)))分" : "\(a) → \(n(a.score(weight: w)))"
                return Evaluation(score: a.score(weight: w), explanation: "\(shownValue) \(conds): \(what)")
            }
            if let o = p.otherwise { return Evaluation(score: o.score(weight: w), explanation: "\(shownValue) 不在任何档次: \(o)") }
            return .fail("\(shownValue) 不在评分标准的任何档次内，需人工评分")
        case .deadline:
            let d: Double?
            switch value {
            case .days(let x): d = x
            case .number(let x) where x >= 0: d = x
            case .count(let x, let u) where u.isEmpty: d = x
            default: d = matchesFullLabel(value, p) ? 0 : nil
            }
            if d == nil, let options = p.options, let o = option(for: value, in: options, weight: w), let a = o.award {
                // 未完成的不得分: the value names a labelled outcome.
                let s = a.score(weight: w)
                return Evaluation(score: s, explanation: "“\(o.label)”: \(a.isFull ? "满分 \(n(s))" : (a.isZero ? "不得分" : "\(a) → \(n(s))"))")
            }
            guard let d else { return .fail("需要超期天数（如 超期12天、按时），得到“\(value)”") }
            guard let per = p.step, per > 0, let amount = p.deduction else { return .fail("期限规则缺少参数") }
            if d <= 0 { return Evaluation(score: w, explanation: "按时完成: 满分 \(n(w))") }
            if let c = p.cutoff, c.holds(d) { return Evaluation(score: 0, explanation: "超期\(n(d))天 \(c)天: 不得分") }
            let periods = (d / per + 1e-9).rounded(.down)
            let ded = Swift.min(periods * amount.points(weight: w), p.maxDeduction ?? .infinity)
            let s = Swift.max(w - ded, 0)
            var e = "超期\(n(d))天: ⌊\(n(d))/\(n(per))⌋ = \(n(periods)) × \(n(amount.points(weight: w))) = \(deducted(periods * amount.points(weight: w), ded)) → \(n(s))"
            if ded > w { e += "（扣完为止）" }
            return Evaluation(score: s, explanation: e)
        }
    }

    /// The value on a comparison's scale: percent (96.86) for percentages, the plain number for counts.
    static func quantity(_ v: MeasuredValue, percent: Bool) -> Double? {
        if percent { return v.fraction.map { $0 * 100 } }
        switch v {
        case .count(let x, _), .number(let x), .points(let x), .days(let x): return x
        case .ratio(let a, let b): return b == 0 ? nil : a / b
        default: return nil
        }
    }

    static func shown(_ v: MeasuredValue, percent: Bool) -> String { percent ? rate(v) : v.description }

    /// `96.86%` or `96.86%（7474490.38/7716520）`.
    static func rate(_ v: MeasuredValue) -> String {
        guard let f = v.fraction else { return v.description }
        let pc = ScoreFormat.number(f * 100) + "%"
        switch v {
        case .ratio: return "\(pc) (\(v))"
        case .number(let x) where abs(x) <= 2: return "\(pc) (\(v))"
        default: return pc
        }
    }

    static func clean(_ s: String) -> String {
        s.filter { !$0.isWhitespace && !",，。;；、".contains($0) }
    }

    static func matchesFullLabel(_ v: MeasuredValue, _ p: RuleParameters) -> Bool {
        guard case .text(let t) = v else { return false }
        return (p.fullLabels ?? []).contains { clean($0) == clean(t) }
    }

    /// The option a value names: exact label or marker; `是`/`否` for the full/zero option; a text that
    /// contains exactly one label and no extra negation.
    static func option(for value: MeasuredValue, in options: [RuleOption], weight: Double) -> RuleOption? {
        switch value {
        case .yesNo(let b):
            if b, let f = options.first, f.award?.isFull == true || f.award?.score(weight: weight) == weight { return f }
            if !b, let l = options.last, l.award?.score(weight: weight) == 0 { return l }
            return nil
        case .items(let m) where m.count == 1:
            return options.first { $0.label == m[0] }
        case .days(0):
            // 按时 / 及时: a label written so, else the full option.
            if let o = options.first(where: { MeasuredValue.onTimeWords.contains(clean($0.label)) }) { return o }
            if let f = options.first, f.award?.score(weight: weight) == weight { return f }
            return nil
        case .count(0, ""):
            // 无 / 没有 / 不存在: a label written so, else the "no" option.
            if let o = options.first(where: { MeasuredValue.zeroCountWords.contains(clean($0.label)) }) { return o }
            if let l = options.last, l.award?.score(weight: weight) == 0 { return l }
            return nil
        case .text(let t):
            let c = clean(t)
            if let o = options.first(where: { clean($0.label) == c || ($0.text.map(clean) == c) }) { return o }
            let contained = options.filter { !$0.label.isEmpty && c.contains(clean($0.label)) }
            if contained.count == 1 {
                let extra = c.replacingOccurrences(of: clean(contained[0].label), with: "")
                if !extra.contains(where: { "不未没无非".contains($0) }) { return contained[0] }
            }
            // 优秀 for the label 评价结果为优秀, 合格 for 项目验收合格 (not 验收不合格), 达到 for 达到预期效果 (not
            // 基本达到): the one label holding the value with nothing that negates or weakens it.
            guard !c.isEmpty else { return nil }
            let holding = options.filter { o in
                let l = clean(o.label)
                guard l.count > c.count, let r = l.range(of: c) else { return false }
                let extra = String(l[..<r.lowerBound]) + String(l[r.upperBound...])
                return !extra.contains(where: { "不未没无非".contains($0) }) && !weakeningWords.contains { extra.contains($0) }
            }
            return holding.count == 1 ? holding[0] : nil
        default:
            return nil
        }
    }

    /// Words that make a level less than the plain one (基本达到 is not 达到).
    static let weakeningWords = ["基本", "部分", "较", "一般", "大部", "个别", "少数", "多数", "略", "稍"]

    static func levels(_ rule: Rule, _ value: MeasuredValue) -> Evaluation {
        let w = rule.weight
        let options = rule.parameters.options ?? []
        if rule.kind == .veto, let c = value.count {
            if c <= 0 { return Evaluation(score: w, explanation: "0\(rule.parameters.unit ?? "例"): 满分 \(n(w))") }
            return Evaluation(score: 0, explanation: "\(n(c))\(rule.parameters.unit ?? "例") ≥ 1: 不得分")
        }
        if rule.kind == .veto, case .yesNo = value {
            return .fail("“是/否”对该指标有歧义，请填写次数（如 0、1例）或“\(options.map { $0.label }.joined(separator: "”/“"))”")
        }
        guard let o = option(for: value, in: options, weight: w), let a = o.award else {
            let labels = options.map { $0.label }.joined(separator: "”/“")
            return .fail("“\(value)”不是评分标准中的等级之一（“\(labels)”）")
        }
        let s = a.score(weight: w)
        let what = a.isFull ? "满分 \(n(s))" : (a.isZero ? "不得分" : "\(a) → \(n(s))")
        return Evaluation(score: s, explanation: "“\(o.label)”: \(what)")
    }

    static func additive(_ rule: Rule, _ value: MeasuredValue) -> Evaluation {
        let w = rule.weight
        if let each = rule.parameters.perItem {
            guard let c = value.count else { return .fail("需要符合的项数（如 3\(rule.parameters.unit ?? "项")），得到“\(value)”") }
            let pts = each.points(weight: w)
            let s = Swift.min(c * pts, w)
            var e = "\(n(c))\(rule.parameters.unit ?? "项"): \(n(c)) × \(n(pts)) = \(n(c * pts))"
            if c * pts > w { e += "，以分值 \(n(w)) 为限" }
            return Evaluation(score: s, explanation: e)
        }
        let options = rule.parameters.options ?? []
        var met: [String]
        switch value {
        case .items(let m): met = m
        case .yesNo(let b): met = b ? options.map { $0.label } : []
        case .text(let t) where ["全部", "全部符合", "均符合", "全部满足", "全部达到"].contains(clean(t)): met = options.map { $0.label }
        case .text(let t) where itemsIn(t, options) != nil: met = itemsIn(t, options)!
        case .count(0, _): met = []
        case .count(let c, _) where c == c.rounded() && c <= Double(options.count)
            && Set(options.map { $0.award }).count == 1 && !options.contains(where: { $0.veto == true }):
            // 2项 of items worth the same: which ones does not matter.
            let each = options.first?.award?.score(weight: w) ?? 0
            let s = Swift.min(c * each, w)
            return Evaluation(score: s, explanation: "\(n(c))项符合: \(n(c)) × \(n(each)) = \(n(c * each))")
        default:
            return .fail("需要符合的分项（如 ①③、全部、无），得到“\(value)”")
        }
        let known = Set(options.map { $0.label })
        let unknown = met.filter { !known.contains($0) }
        if !unknown.isEmpty {
            return .fail("分项 \(unknown.joined(separator: ",")) 不在评分标准中（\(options.map { $0.label }.joined())）")
        }
        met = options.map { $0.label }.filter { met.contains($0) }
        if let veto = options.first(where: { $0.veto == true && !met.contains($0.label) }) {
            return Evaluation(score: 0, explanation: "\(veto.label) 未满足（\(veto.text ?? "否决项")）: 该指标不得分")
        }
        let parts = options.filter { met.contains($0.label) && $0.veto != true }
        let pts = parts.map { $0.award?.score(weight: w) ?? 0 }
        let sum = pts.reduce(0, +)
        if parts.isEmpty { return Evaluation(score: 0, explanation: "无符合的分项: 0分") }
        let s = Swift.min(sum, w)
        return Evaluation(score: s, explanation:
            "\(parts.map { $0.label }.joined()) 符合: \(pts.map { n($0) }.joined(separator: " + ")) = \(n(sum))")
    }

    /// The item labels a text lists: `(1)(3)`, `1,3`, `1、3` for items (1) (2) (3); `①③` style labels found
    /// in the text. Nil when the text holds anything else.
    static func itemsIn(_ t: String, _ options: [RuleOption]) -> [String]? {
        let c = clean(t)
        let numbered = !options.isEmpty && options.allSatisfy { $0.label.hasPrefix("(") && $0.label.hasSuffix(")") }
        var found: [String] = []
        var rest = c
        if numbered {
            for ch in c where ch.isNumber { found.append("(\(ch))") }
            rest = String(c.filter { !$0.isNumber && !"()（）".contains($0) })
        } else {
            for o in options where !o.label.isEmpty && c.contains(o.label) {
                found.append(o.label)
                rest = rest.replacingOccurrences(of: o.label, with: "")
            }
        }
        return found.isEmpty || !rest.isEmpty ? nil : found
    }

    static func deduction(_ rule: Rule, _ value: MeasuredValue) -> Evaluation {
        let w = rule.weight
        let p = rule.parameters
        let unit = p.unit ?? "项"
        guard let amount = p.deduction else { return .fail("扣分规则缺少扣分数") }
        var failures: Double?
        switch value {
        case .count(let c, _): failures = c
        case .number(let x) where x >= 0 && x == x.rounded(): failures = x
        case .items(let m) where !(p.options ?? []).isEmpty:
            let known = (p.options ?? []).map { $0.label }
            let unknown = m.filter { !known.contains($0) }
            if !unknown.isEmpty { return .fail("分项 \(unknown.joined(separator: ",")) 不在评分标准中（\(known.joined())）") }
            failures = Double(known.filter { !m.contains($0) }.count)
        case .yesNo(true) where rule.kind == .subtractive: failures = 0
        case .text(let t) where ["全部符合", "均符合", "全部合格", "符合", "合规", "合理", "全部满足"].contains(clean(t)): failures = 0
        default:
            failures = matchesFullLabel(value, p) ? 0 : nil
        }
        guard let f = failures else {
            return .fail("需要\(rule.kind == .subtractive ? "不符合的项数" : "发生次数")（如 0、2\(unit)），得到“\(value)”")
        }
        var prefix = ""
        if case .items(let m) = value { prefix = "符合 \(m.joined(separator: ","))，" }
        if f <= 0 { return Evaluation(score: w, explanation: "\(prefix)0\(unit)\(rule.kind == .subtractive ? "不符合" : ""): 满分 \(n(w))") }
        if let c = p.cutoff, !c.percent, c.holds(f) {
            return Evaluation(score: 0, explanation: "\(prefix)\(n(f))\(unit) \(c.op.rawValue) \(n(c.value))\(unit): 不得分")
        }
        let each = amount.points(weight: w)
        let ded = Swift.min(f * each, p.maxDeduction ?? .infinity)
        let s = Swift.max(w - ded, 0)
        var e = "\(prefix)\(n(f))\(unit): \(n(f)) × \(n(each))"
        if amount.unit == .share { e += " (\(amount))" }
        e += " = \(deducted(f * each, ded)) → \(n(s))"
        if ded > w { e += "（扣完为止）" }
        return Evaluation(score: s, explanation: e)
    }

    /// `1 扣`, or `3，最多扣2分` when a cap (最多扣2分) took less than the steps add up to.
    static func deducted(_ raw: Double, _ taken: Double) -> String {
        taken < raw - 1e-9 ? "\(n(raw))，最多扣\(n(taken))分" : "\(n(taken)) 扣"
    }

    static func threshold(_ rule: Rule, _ value: MeasuredValue) -> Evaluation {
        let w = rule.weight
        let p = rule.parameters
        guard let full = p.full else { return .fail("阈值规则缺少满分条件") }
        var value = value
        if case .count(let x, let u) = value, let pu = p.unit, u != pu, let a = SelfEvaluationRules.moneyScale[u],
           let b = SelfEvaluationRules.moneyScale[pu] {
            // 1300000元 against 120万元: the amount in the rule's unit.
            value = .count(x * a / b, unit: pu)
        }
        guard let pc = quantity(value, percent: full.percent) else {
            if matchesFullLabel(value, p) { return Evaluation(score: w, explanation: "“\(value)”: 满分 \(n(w))") }
            return .fail(full.percent ? "需要比率或百分比（如 96.86%、0.9686、7474490.38/7716520），得到“\(value)”"
                                      : "需要数值（如 3\(p.unit ?? "")），得到“\(value)”")
        }
        let r = shown(value, percent: full.percent)
        if full.holds(pc) { return Evaluation(score: w, explanation: "\(r) \(full): 满分 \(n(w))") }
        if let c = p.cutoff, c.holds(pc) { return Evaluation(score: 0, explanation: "\(r) \(c): 不计分 0") }
        if let step = p.step, step > 0, let amount = p.deduction {
            let gap = (full.op == .ge || full.op == .gt || full.op == .eq) ? full.value - pc : pc - full.value
            let steps = abs(gap) / step
            let each = amount.points(weight: w)
            let ded = Swift.min(steps * each, p.maxDeduction ?? .infinity)
            let s = Swift.max(w - ded, 0)
            let op = (full.op == .ge || full.op == .gt) ? "<" : ">"
            let stepsText = step == 1 ? n(steps) : "\(n(abs(gap)))/\(n(step))"
            var e = "\(r) \(op) \(n(full.value))\(full.percent ? "%" : (p.unit ?? "")): \(stepsText) × \(n(each))"
            if amount.unit == .share { e += " (\(amount))" }
            e += " = \(deducted(steps * each, ded)) → \(n(s))"
            if ded > w { e += "（扣完为止）" }
            return Evaluation(score: s, explanation: e)
        }
        if let o = p.otherwise {
            let minus = o.kind == .minusPoints || o.kind == .minusShare
            return Evaluation(score: o.score(weight: w), explanation: "\(r) 未满足 \(full): \(o)\(minus ? " → \(n(o.score(weight: w)))" : "")")
        }
        return .fail("\(r) 未满足 \(full)，评分标准未写明此时的得分，需人工评分")
    }
}
