import IndicatorModel

/// The kinds of scoring rule a 评分标准 text can state.
public enum RuleKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 符合，得满分；不符合，不得分.
    case yesNo
    /// 有效执行，得满分；部分执行，得权重的60%；未执行，不得分.
    case levels
    /// ①…得0.5分；②…得0.5分 (the items met add up).
    case additive
    /// 一项不符合，扣0.5分，扣完为止 (the items not met are deducted).
    case subtractive
    /// ≥95%得满分，每低于1%扣0.2分，扣完为止; optional cut-off (60%以下不计分) or otherwise-zero.
    case threshold
    /// 实际完成数/计划数×标准分; 得分=预算执行率×标准分.
    case proportional
    /// ≤100%得满分，≥120%得0分，区间内按比例.
    case range
    /// 满意度≥90%得10分；90%＞满意度≥80%得8分….
    case tiers
    /// 每存在一次扣权重的10%，扣完为止.
    case perIncident
    /// 存在1例，不得分.
    case veto
    /// 超出10天扣1分，扣完为止.
    case deadline
    /// 视情况酌情得0-4分: a person scores within the range.
    case discretionary
    /// 项目支出绩效自评表, quantitative: 实际完成值/年度指标值 × 分值, capped (≤ targets inverted, = targets by
    /// the relative deviation).
    case target
    /// 项目支出绩效自评表, qualitative: 达成 100–80%, 部分达成 80–60%, 未达成 60–0% of the weight.
    case qualitative
    /// The text could not be read with confidence: a person gives the score.
    case manual
}

/// An amount of points: absolute points (`0.5分`) or a share of the weight (`权重的3%` → 0.03).
public struct Amount: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, Codable {
        case points
        case share
    }

    public var unit: Unit
    public var value: Double

    public init(_ unit: Unit, _ value: Double) {
        self.unit = unit
        self.value = value
    }

    public static func points(_ v: Double) -> Amount { Amount(.points, v) }
    public static func share(_ v: Double) -> Amount { Amount(.share, v) }

    /// The amount in points for a weight.
    public func points(weight: Double) -> Double { unit == .points ? value : value * weight }

    public var description: String {
        unit == .points ? "\(ScoreFormat.number(value))分" : "权重的\(ScoreFormat.number(value * 100))%"
    }
}

/// What a condition awards: the full weight, nothing, points, a share of the weight, or the full weight
/// less a deduction.
public struct Award: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case points
        case share
        case minusPoints
        case minusShare
    }

    public var kind: Kind
    public var value: Double

    public init(_ kind: Kind, _ value: Double) {
        self.kind = kind
        self.value = value
    }

    public static let full = Award(.share, 1)
    public static let zero = Award(.share, 0)

    /// The score this award gives for a weight, clamped to [0, weight].
    public func score(weight: Double) -> Double {
        let s: Double
        switch kind {
        case .points: s = value
        case .share: s = value * weight
        case .minusPoints: s = weight - value
        case .minusShare: s = weight - value * weight
        }
        return Swift.min(Swift.max(s, 0), weight)
    }

    public var isFull: Bool { kind == .share && value == 1 }
    public var isZero: Bool { (kind == .share || kind == .points) && value == 0 }

    public var description: String {
        switch kind {
        case .share:
            if value == 1 { return "满分" }
            if value == 0 { return "不得分" }
            return "得权重的\(ScoreFormat.number(value * 100))%"
        case .points: return "得\(ScoreFormat.number(value))分"
        case .minusPoints: return "扣\(ScoreFormat.number(value))分"
        case .minusShare: return "扣权重的\(ScoreFormat.number(value * 100))%"
        }
    }
}

/// A comparison with a number, percentages written as percent (`≥ 95` for `≥95%`).
public struct Comparison: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Op: String, Sendable, Hashable, Codable {
        case ge = "≥", gt = ">", le = "≤", lt = "<", eq = "="

        public var flipped: Op {
            switch self {
            case .ge: return .le
            case .gt: return .lt
            case .le: return .ge
            case .lt: return .gt
            case .eq: return .eq
            }
        }
    }

    public var op: Op
    public var value: Double
    /// true when written as a percentage.
    public var percent: Bool

    public init(_ op: Op, _ value: Double, percent: Bool = true) {
        self.op = op
        self.value = value
        self.percent = percent
    }

    public func holds(_ v: Double) -> Bool {
        let eps = 1e-9
        switch op {
        case .ge: return v >= value - eps
        case .gt: return v > value + eps
        case .le: return v <= value + eps
        case .lt: return v < value - eps
        case .eq: return abs(v - value) <= eps
        }
    }

    public var description: String { "\(op.rawValue) \(ScoreFormat.number(value))\(percent ? "%" : "")" }
}

/// A labelled outcome: a level (`部分执行` → 60%), a tier (`≥80%` → 8分), a checklist item (`②` → 0.5分).
public struct RuleOption: Sendable, Hashable, Codable {
    /// The label as written (`有效执行`), or the item's marker (`①`, `a`).
    public var label: String
    /// The item's text, for checklists.
    public var text: String?
    /// Conditions that all must hold (tiers).
    public var conditions: [Comparison]?
    public var award: Award?
    /// A checklist item whose failure zeroes the whole indicator (一旦存在…该指标不得分).
    public var veto: Bool?

    public init(label: String, text: String? = nil, conditions: [Comparison]? = nil, award: Award? = nil, veto: Bool? = nil) {
        self.label = label
        self.text = text
        self.conditions = conditions
        self.award = award
        self.veto = veto
    }
}

/// The parameters of a rule; only those its kind uses are set (nil ones are left out of JSON).
public struct RuleParameters: Sendable, Hashable, Codable {
    /// What is measured, when the text names it (`预算执行率`, `满意度`).
    public var metric: String?
    /// Levels (yesNo: the full label first, the zero label last), tiers, checklist items.
    public var options: [RuleOption]?
    /// threshold: the condition for the full score (`≥ 95%`).
    public var full: Comparison?
    /// threshold: a deduction of `deduction` for every `step` (percentage points or days) short of `full`.
    public var step: Double?
    /// threshold, subtractive, perIncident, deadline: what one step/item/incident costs.
    public var deduction: Amount?
    /// threshold and proportional: the cut-off below which nothing is scored (`60%以下不计分`); perIncident: the
    /// count from which nothing is scored (`2起及以上不得分`); deadline: the days late past which nothing is
    /// scored (`逾期超过10天不得分`).
    public var cutoff: Comparison?
    /// range: the condition for zero (`≥ 120%`).
    public var zero: Comparison?
    /// threshold/tiers: what is awarded when no condition holds (`有超出不得分`); nil = not stated.
    public var otherwise: Award?
    /// discretionary: the range a person scores within.
    public var minimum: Double?
    public var maximum: Double?
    /// The labels that give the full score (`全部招满`, `合规`), accepted as values.
    public var fullLabels: [String]?
    /// The unit of a count (`次`, `项`, `例`).
    public var unit: String?
    /// The most that deductions may take (`最多扣3分`), in points.
    public var maxDeduction: Double?
    /// additive without listed items: what each item met earns (`每项得0.5分`).
    public var perItem: Amount?
    /// proportional: the target the value is divided by, in percent (`实际完成率/95%×分值` → 95).
    public var divisor: Double?

    public init() {}
}

/// A scoring rule read from a leaf's 评分标准 text.
public struct Rule: Sendable, Hashable, Codable {
    public var kind: RuleKind
    public var parameters: RuleParameters
    /// The leaf's weight (分值) the rule scores against.
    public var weight: Double
    /// The criteria text as written.
    public var sourceText: String
    /// 0…1: how sure the recogniser is. Below `RuleRecogniser.minimumConfidence` the rule is `manual`.
    public var confidence: Double
    /// Why the rule is manual, or a caveat of the reading.
    public var note: String?

    public init(kind: RuleKind, parameters: RuleParameters = RuleParameters(), weight: Double, sourceText: String,
                confidence: Double, note: String? = nil) {
        self.kind = kind
        self.parameters = parameters
        self.weight = weight
        self.sourceText = sourceText
        self.confidence = confidence
        self.note = note
    }

    public static func manual(weight: Double, sourceText: String, note: String) -> Rule {
        Rule(kind: .manual, weight: weight, sourceText: sourceText, confidence: 0, note: note)
    }

    /// Whether a measured value can score it (manual and discretionary rules need a person's score).
    public var isComputable: Bool { kind != .manual && kind != .discretionary }

    /// One line: `threshold ≥ 95%, 每1% 扣权重的1%, cut-off ≤ 60%`.
    public var summary: String {
        let p = parameters
        var parts: [String] = []
        switch kind {
        case .yesNo, .levels:
            parts.append((p.options ?? []).map { o in
                let text = o.text.map { "(" + String($0.prefix(12)) + ($0.count > 12 ? "…" : "") + ")" } ?? ""
                return "\(o.label)\(text)→\(o.award?.description ?? "?")"
            }.joined(separator: "；"))
        case .additive where p.perItem != nil:
            parts.append("每\(p.unit ?? "项") 得\(p.perItem!)")
        case .additive:
            parts.append((p.options ?? []).map { "\($0.label)\($0.veto == true ? "否决" : ($0.award?.description ?? "?"))" }.joined(separator: " "))
        case .subtractive, .perIncident:
            parts.append("每\(p.unit ?? "项") 扣\(p.deduction?.description ?? "?")")
            if let c = p.cutoff { parts.append("\(c.op.rawValue) \(ScoreFormat.number(c.value))\(p.unit ?? "项") 不得分") }
            if let items = p.options, !items.isEmpty { parts.append("items " + items.map { $0.label }.joined(separator: ",")) }
        case .threshold:
            if let f = p.full { parts.append("满分 \(f)") }
            if let s = p.step, let d = p.deduction { parts.append("每\(ScoreFormat.number(s))\(p.unit ?? "%") 扣\(d)") }
            if let c = p.cutoff { parts.append("\(c) 不得分") }
            if let o = p.otherwise { parts.append("否则\(o)") }
        case .proportional:
            if let f = p.full { parts.append("\(f) 满分") }
            parts.append("得分 = \(p.metric ?? "完成率")\(p.divisor.map { " / \(ScoreFormat.number($0))%" } ?? "") × \(ScoreFormat.number(weight))，封顶满分")
            if let c = p.cutoff { parts.append("\(c) 不得分") }
        case .range:
            if let f = p.full, let z = p.zero { parts.append("\(f) 满分，\(z) 0分，区间内按比例") }
        case .tiers:
            parts.append((p.options ?? []).map { ($0.conditions ?? []).map { $0.description + ($0.percent ? "" : (p.unit ?? "")) }.joined(separator: " 且 ") + "→" + ($0.award?.description ?? "?") }.joined(separator: "；"))
            if let o = p.otherwise { parts.append("否则\(o)") }
        case .veto:
            parts.append("出现1\(p.unit ?? "例")即不得分")
        case .deadline:
            parts.append("每超期\(ScoreFormat.number(p.step ?? 1))天 扣\(p.deduction?.description ?? "?")")
            if let c = p.cutoff { parts.append("超期\(c.op.rawValue) \(ScoreFormat.number(c.value))天 不得分") }
        case .discretionary:
            parts.append("酌情 \(ScoreFormat.number(p.minimum ?? 0))–\(ScoreFormat.number(p.maximum ?? weight))分")
        case .target:
            if let f = p.full { parts.append("年度指标值 \(f.op.rawValue) \(ScoreFormat.number(f.value, decimals: 6))\(f.percent ? "%" : (p.unit ?? ""))，实际完成值/年度指标值 × \(ScoreFormat.number(weight))") }
        case .qualitative:
            parts.append((p.options ?? []).map { "\($0.label) \(($0.conditions ?? []).map { $0.description }.joined(separator: " "))" }.joined(separator: "；"))
        case .manual:
            parts.append(note ?? "人工评分")
        }
        if let cap = p.maxDeduction { parts.append("最多扣\(ScoreFormat.number(cap))分") }
        return kind.rawValue + " " + parts.joined(separator: ", ")
    }
}

/// Number formatting for scores and explanations: at most 2 decimals, no trailing zeros.
public enum ScoreFormat {
    /// Rounds to 2 decimals (half away from zero).
    public static func round2(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    /// `2`, `0.6`, `96.86`.
    public static func number(_ v: Double, decimals: Int = 2) -> String {
        let f = pow10(decimals)
        let r = (v * f).rounded() / f
        if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
        var s = String(r)
        if s.utf8.contains(UInt8(ascii: "e")) { s = "\(r)" }
        // Trim binary noise: format with fixed decimals then strip zeros.
        let scaled = Int64((abs(r) * f).rounded())
        let ip = scaled / Int64(f)
        var fp = String(scaled % Int64(f))
        while fp.count < decimals { fp = "0" + fp }
        while fp.hasSuffix("0") { fp.removeLast() }
        s = (r < 0 ? "-" : "") + String(ip) + (fp.isEmpty ? "" : "." + fp)
        return s
    }

    private static func pow10(_ n: Int) -> Double {
        var f = 1.0
        for _ in 0..<n { f *= 10 }
        return f
    }
}
