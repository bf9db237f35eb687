import Foundation
import IndicatorModel
import SheetCore

/// One input a leaf's score came from.
public struct ScoreInput: Sendable, Hashable {
    /// `value` (a measured value), `actual`/`target` (自评表 cells), `manual` (a person's score), `table`
    /// (the score already in the table).
    public var source: String
    /// As written.
    public var text: String
    /// How it was read (`percent`, `ratio`, `count`, ...), for values.
    public var kind: String?
    public var location: Location?
    public var note: String?

    public init(source: String, text: String, kind: String? = nil, location: Location? = nil, note: String? = nil) {
        self.source = source
        self.text = text
        self.kind = kind
        self.location = location
        self.note = note
    }
}

/// How a leaf got its score.
public enum ScoreMethod: String, Sendable, Hashable, Codable {
    /// Computed by its rule from a measured value.
    case rule
    /// Given by a person in the measures file.
    case manual
    /// Kept from the table.
    case table
    /// Not scored.
    case none
}

/// A scored leaf: its rule, inputs, score and the sentence that explains it.
public struct ScoredLeaf: Sendable, Hashable {
    public var code: String
    public var name: String
    /// The leaf's rule (recognised when first read for a score kept from the table: a batch run without
    /// measures never reads it).
    public var rule: Rule {
        get { lazyRule.value }
        set { lazyRule = .rule(newValue) }
    }
    /// Where the score came from (built when first read: a batch run never reads them).
    public var inputs: [ScoreInput] {
        get { lazyInputs.value }
        set { lazyInputs = .list(newValue) }
    }
    /// Rounded to 2 decimals, within [0, weight]; nil when not scored.
    public var score: Double?
    public var method: ScoreMethod
    /// `B13 预算执行率 96.86% ≥ 95%: 满分 2` (built when first read: a batch run never reads it).
    public var explanation: String {
        get { lazyExplanation.value }
        set { lazyExplanation = .text(newValue) }
    }

    var lazyRule: LazyRule
    var lazyInputs: LazyInputs
    var lazyExplanation: LazyExplanation

    init(code: String, name: String, rule: LazyRule, inputs: LazyInputs, score: Double?, method: ScoreMethod,
         explanation: LazyExplanation) {
        self.code = code
        self.name = name
        self.lazyRule = rule
        self.lazyInputs = inputs
        self.score = score
        self.method = method
        self.lazyExplanation = explanation
    }

    /// The rule as given, or the fields of the leaf it is recognised from, recognised when read.
    enum LazyRule: Sendable {
        // Boxed: a Rule is large, and a ScoredLeaf is copied a few times on its way into the array.
        indirect case rule(Rule)
        /// The leaf itself (one reference: its fields are read when the rule is).
        case of(Indicator)

        var value: Rule {
            switch self {
            case .rule(let r): return r
            case .of(let leaf): return RuleSource(leaf).rule
            }
        }
    }

    /// The inputs as given, or the one input of a score kept from the table, made when read.
    enum LazyInputs: Sendable {
        case list([ScoreInput])
        case table(score: Double, at: Location?)

        var value: [ScoreInput] {
            switch self {
            case .list(let l): return l
            case .table(let t, let at): return [ScoreInput(source: "table", text: ScoreFormat.number(t), kind: "points", location: at)]
            }
        }
    }

    /// The explanation as given, or that of a score kept from the table, made when read.
    enum LazyExplanation: Sendable {
        case text(String)
        /// `B11 立项依据 需人工评分，保留表中得分 3` (why the table's score is kept follows from the rule).
        /// The leaf's code, name and rule are read from it when the text is made.
        case keptFromTable(leaf: Indicator, score: Double)

        var value: String {
            switch self {
            case .text(let s): return s
            case .keptFromTable(let leaf, let t):
                let rule = LazyRule.of(leaf).value
                return "\(leaf.code) \(leaf.name) \(Scorer.whyKept(rule))，保留表中得分 \(ScoreFormat.number(t))"
            }
        }
    }

    // Equal when what can be read is equal (however it is stored).
    public static func == (a: ScoredLeaf, b: ScoredLeaf) -> Bool {
        a.code == b.code && a.name == b.name && a.rule == b.rule && a.score == b.score && a.method == b.method
            && a.inputs == b.inputs && a.explanation == b.explanation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(name)
        hasher.combine(rule)
        hasher.combine(inputs)
        hasher.combine(score)
        hasher.combine(method)
        hasher.combine(explanation)
    }
}

/// A framework after scoring: leaves scored and explained, parents rolled up, grade, findings.
public struct ScoredFramework: Sendable {
    public var framework: Framework
    public var leaves: [ScoredLeaf]
    /// Findings of scoring (not of validation): values of the wrong kind, disagreements, unscored leaves.
    public var findings: [Finding]
    public var bands: GradeBands

    public var total: Double? { framework.totals.score }
    public var grade: Grade? { framework.grade(bands: bands) }

    /// The `check` report of the scored table (validation findings plus scoring findings), each indicator
    /// adding `rule`, `inputs`, `method` and `explanation` (how the score came about; the 指标解释 text is
    /// under `indicator_explanation`), and the grade.
    public func report() -> CheckReport { report(details: true) }

    /// The report; without `details` the per-indicator JSON extras (rule, inputs, method, explanation) are
    /// left out — they matter only to the JSON output, and building them costs more than the validation.
    public func report(details: Bool) -> CheckReport {
        var r = CheckReport(framework: framework, findings: Validator.validate(framework, bands: bands) + findings, bands: bands)
        guard details else { return r }
        var definitions: [String: String?] = [:]
        Scorer.forEachLeaf(framework) { leaf in
            if definitions[leaf.code] == nil { definitions[leaf.code] = .some(leaf.explanation) }
        }
        for l in leaves {
            r.indicatorExtras[l.code] = [
                // The standard key `explanation` (the 指标解释 column in `check`) becomes how the score came
                // about; the 指标解释 text moves to `indicator_explanation`.
                JSONMember("explanation", .string(l.explanation)),
                JSONMember("indicator_explanation", .string(definitions[l.code] ?? nil)),
                JSONMember("method", .string(l.method.rawValue)),
                JSONMember("rule", Scorer.json(l.rule)),
                JSONMember("inputs", .array(l.inputs.map { i in
                    .object([
                        JSONMember("source", .string(i.source)),
                        JSONMember("text", .string(i.text)),
                        JSONMember("kind", .string(i.kind)),
                        JSONMember("cell", .string(i.location?.description)),
                        JSONMember("note", .string(i.note)),
                    ])
                })),
            ]
        }
        return r
    }
}

/// Scores every leaf of a framework from its rule and measured value, keeps the table's scores where a
/// person must judge, rolls up and grades.
public enum Scorer {
    /// The rule of a leaf: from the 年度指标值 for a 自评表 leaf without criteria, else from the criteria text.
    public static func rule(for leaf: Indicator) -> Rule {
        var none = RecentRules(capacity: 0)
        return rule(for: RuleSource(leaf), recent: &none)
    }

    /// `rule(for:)` from the fields it reads; recognised criteria are looked up first in `recent` (the rules
    /// of one table).
    static func rule(for leaf: RuleSource, recent: inout RecentRules) -> Rule {
        let weight = leaf.weight ?? (leaf.statedWeightUnit == .points ? leaf.statedWeight : nil) ?? 0
        if leaf.weight == nil && leaf.statedWeight == nil {
            return .manual(weight: 0, sourceText: leaf.criteria ?? "", note: "无分值")
        }
        if let t = leaf.target, !t.isEmpty, (leaf.criteria ?? "").isEmpty {
            return SelfEvaluationRules.rule(target: t, weight: weight)
        }
        let criteria = leaf.criteria ?? ""
        if let r = recent.rule(criteria, weight: weight) { return r }
        let r = RuleRecogniser.recognise(criteria, weight: weight)
        recent.add(criteria, weight: weight, r)
        return r
    }

    /// Why a leaf without a measured value or a manual score keeps the table's score.
    static func whyKept(_ rule: Rule) -> String {
        rule.isComputable ? "无测量值" : (rule.kind == .discretionary ? "酌情评分" : "需人工评分")
    }

    /// The rules recognised for one table: its leaves repeat a few criteria texts, and comparing the bytes of
    /// a few recent texts costs less than a lookup in the process-wide memo (hashing the whole text, a lock).
    struct RecentRules {
        // Apart, so that a search reads only weights and texts (a tuple with the rule would be copied whole).
        var texts: [TextKey] = []
        var weights: [Double] = []
        var rules: [Rule] = []
        let capacity: Int

        init(capacity: Int) { self.capacity = capacity }

        func rule(_ criteria: String, weight: Double) -> Rule? {
            guard !texts.isEmpty else { return nil }
            let key = TextKey(criteria)
            for i in weights.indices where weights[i].bitPattern == weight.bitPattern && texts[i] == key { return rules[i] }
            return nil
        }

        mutating func add(_ criteria: String, weight: Double, _ rule: Rule) {
            guard texts.count < capacity else { return }
            texts.append(TextKey(criteria))
            weights.append(weight)
            rules.append(rule)
        }
    }

    /// Every leaf with its rule, in table order.
    public static func rules(for framework: Framework) -> [(Indicator, Rule)] {
        framework.leaves.map { ($0, rule(for: $0)) }
    }

    static func n(_ v: Double) -> String { ScoreFormat.number(v) }

    /// Scores a framework. Never throws: every problem is a `Finding` naming the cell.
    public static func score(_ framework: Framework, measures: Measures = .empty, bands: GradeBands = .standard) -> ScoredFramework {
        var findings = measures.findings
        var order: [ScoredLeaf] = []
        var count = 0
        forEachLeaf(framework) { _ in count += 1 }
        order.reserveCapacity(count)
        // Whether a leaf's score changes (compared bit for bit, as the roll-up would see it).
        var changed = false
        var recent = RecentRules(capacity: 32)
        // Names that more than one leaf has (满意度 under two parents): a measure naming one of them, without a
        // code, cannot say which.
        var ambiguous: [String: [String]] = [:]
        if !measures.entries.isEmpty {
            var byName: [String: [String]] = [:]
            forEachLeaf(framework) { byName[Measures.nameKey($0.name), default: []].append($0.code) }
            ambiguous = byName.filter { $0.value.count > 1 }
        }
        var reported = Set<String>()
        forEachLeaf(framework) { leaf in
            var leafMeasures = measures
            if !ambiguous.isEmpty, case let key = Measures.nameKey(leaf.name), let codes = ambiguous[key],
               let m = measures.measure(for: leaf), m.code == nil {
                // Not used for any of them; said once.
                leafMeasures = Measures(file: measures.file, entries: measures.entries.filter { $0 != m })
                if reported.insert(key).inserted {
                    findings.append(Finding(.warning, rule: "measure-ambiguous", code: nil, at: m.location,
                                            "“\(m.name ?? "")” names \(codes.count) indicators (\(codes.joined(separator: ", "))): write the code / 指标名称对应多个指标，请填写指标编号"))
                }
            }
            let sl = scoreLeaf(leaf, in: framework, measures: leafMeasures, recent: &recent, findings: &findings)
            if !same(sl.score, leaf.score) { changed = true }
            order.append(sl)
        }
        for m in measures.unmatched(in: framework) where !(m.code == nil && m.name.map { ambiguous[Measures.nameKey($0)] != nil } == true) {
            findings.append(Finding(.warning, rule: "measure-unmatched", code: m.code, at: m.location,
                                    "\(m.code ?? m.name ?? "?") matches no indicator of the table / 测量值没有对应的指标"))
        }
        if !changed && isRolledUp(framework) {
            // Every leaf keeps its score and the parents and totals are their sums already: setting the scores
            // and rolling up would give the same framework (a batch without measures; no copy of the tree).
            return ScoredFramework(framework: framework, leaves: order, findings: findings, bands: bands)
        }
        var f = framework
        var next = 0
        for i in f.roots.indices { apply(&f.roots[i], order, &next) }
        RollUp.apply(&f)
        return ScoredFramework(framework: f, leaves: order, findings: findings, bands: bands)
    }

    /// Calls `body` with every leaf of the framework in table order (the order of `Framework.leaves`), without
    /// copying the tree.
    static func forEachLeaf(_ framework: Framework, _ body: (Indicator) -> Void) {
        // Through buffer pointers: the nodes are borrowed where they are, not copied out of their arrays.
        func walk(_ nodes: UnsafeBufferPointer<Indicator>) {
            for i in nodes.indices {
                if nodes[i].children.isEmpty {
                    body(nodes[i])
                } else {
                    nodes[i].children.withUnsafeBufferPointer(walk)
                }
            }
        }
        framework.roots.withUnsafeBufferPointer(walk)
    }

    /// Scores one leaf: its rule, inputs, score, method and explanation; findings go to `findings`.
    static func scoreLeaf(_ leaf: Indicator, in framework: Framework, measures: Measures, recent: inout RecentRules,
                          findings: inout [Finding]) -> ScoredLeaf {
        // Where the table's score is (not a closure: capturing the framework would copy it for every leaf).
        func tableAt(_ leaf: Indicator) -> Location? {
            guard let c = leaf.scoreCell else { return leaf.cell }
            return Location(file: framework.file, sheet: framework.sheet, cell: c)
        }
        let m = measures.measure(for: leaf)
        let table = leaf.score
        if m == nil, leaf.actual == nil, let t = table {
            // No measured value and no manual score: the table's score stands whatever the rule (a batch without
            // measures, every leaf). The same outcome as the general path below, with the rule, the input and
            // the explanation made when read.
            return ScoredLeaf(code: leaf.code, name: leaf.name, rule: .of(leaf), inputs: .table(score: t, at: tableAt(leaf)),
                              score: t, method: .table, explanation: .keptFromTable(leaf: leaf, score: t))
        }
        let rule = rule(for: RuleSource(leaf), recent: &recent)
        let w = rule.weight
        // `B13 预算执行率`: made only when a finding or an explanation needs it.
        var labelText: String?
        func label() -> String {
            if let l = labelText { return l }
            let l = "\(leaf.code) \(leaf.name)"
            labelText = l
            return l
        }
        let manual = m?.score
        var inputs: [ScoreInput] = []
        // The measured value: the measures file first, else the 实际完成值 of a 自评表.
        var value: MeasuredValue?
        var valueAt: Location?
        if let m, let v = m.value {
            value = v
            valueAt = m.location
            inputs.append(ScoreInput(source: "value", text: m.valueText ?? v.description, kind: v.kind, location: m.location, note: m.note))
        } else if let a = leaf.actual, let v = MeasuredValue.parse(a) {
            value = v
            valueAt = leaf.cell
            if rule.kind == .proportional, let t = leaf.target, case .number(let tv)? = MeasuredValue.parse(t),
               case .number(let av) = v {
                // 预算执行率 row: 全年执行数 / 全年预算数.
                value = .ratio(av, tv)
                inputs.append(ScoreInput(source: "target", text: t, kind: "number", location: leaf.cell))
            }
            inputs.append(ScoreInput(source: "actual", text: a, kind: v.kind, location: leaf.cell))
        }
        var result: (score: Double?, method: ScoreMethod, explanation: String)
        // The value as the file has it, when it reads differently (abc read as the items a,b,c).
        func asWritten() -> String {
            guard let v = value, let t = inputs.first(where: { $0.source == "value" || $0.source == "actual" })?.text,
                  t.trimmingCharacters(in: .whitespacesAndNewlines) != v.description else { return "" }
            return "（填写为“\(t)”）"
        }

        var computed: Evaluation?
        if let value {
            computed = rule.kind == .qualitative
                ? SelfEvaluationRules.evaluateQualitative(rule, value, score: manual ?? table)
                : RuleEvaluator.evaluate(rule, value)
        }
        if let s = manual {
            let at = m?.scoreLocation
            inputs.append(ScoreInput(source: "manual", text: n(s), kind: "points", location: at, note: m?.note))
            var x = s
            if s < 0 || s > w + 1e-9 {
                findings.append(Finding(.error, rule: "manual-score-range", code: leaf.code, at: at,
                                        "\(label()): manual score \(n(s)) is outside 0–\(n(w)) / 人工评分超出 0–\(n(w))"))
                x = Swift.min(Swift.max(s, 0), w)
            }
            if rule.kind == .discretionary, let lo = rule.parameters.minimum, let hi = rule.parameters.maximum,
               s < lo - 1e-9 || s > hi + 1e-9 {
                findings.append(Finding(.warning, rule: "manual-score-range", code: leaf.code, at: at,
                                        "\(label()): manual score \(n(s)) is outside the criteria's \(n(lo))–\(n(hi)) / 人工评分不在酌情范围内"))
            }
            var e = "\(label()) 人工评分 \(n(x))"
            if let note = m?.note { e += "（\(note)）" }
            if let c = computed, let cs = c.score, rule.kind != .qualitative, abs(cs - x) > 0.005 {
                e += "；按规则应为 \(n(cs))（\(c.explanation)）"
                findings.append(Finding(.warning, rule: "manual-differs", code: leaf.code, at: at,
                                        "\(label()): manual score \(n(x)) differs from the rule's \(n(cs)) (\(c.explanation)) / 人工评分与规则计算不一致"))
            } else if let c = computed, rule.kind == .qualitative {
                if let p = c.problem {
                    findings.append(Finding(.warning, rule: "manual-outside-band", code: leaf.code, at: at, "\(label()): \(p)"))
                } else {
                    e = "\(label()) \(c.explanation)"
                }
            }
            result = (ScoreFormat.round2(x), .manual, e)
        } else if let c = computed, let s = c.score {
            // A qualitative band checked against the table's score keeps the table's judgement.
            let method: ScoreMethod = rule.kind == .qualitative && table != nil && c.explanation.contains("人工评分") ? .table : .rule
            if method == .table, let t = table { inputs.append(ScoreInput(source: "table", text: n(t), kind: "points", location: tableAt(leaf))) }
            result = (s, method, "\(label()) \(c.explanation)")
        } else if let t = table {
            if let c = computed, let p = c.problem {
                findings.append(Finding(.warning, rule: "measure-unusable", code: leaf.code, at: valueAt, "\(label()): \(p)\(asWritten())"))
            }
            inputs.append(ScoreInput(source: "table", text: n(t), kind: "points", location: tableAt(leaf)))
            let why = rule.isComputable && value != nil ? "测量值无法评分" : whyKept(rule)
            result = (t, .table, "\(label()) \(why)，保留表中得分 \(n(t))")
        } else {
            let why: String
            if let c = computed, let p = c.problem {
                why = p
                findings.append(Finding(.warning, rule: "measure-unusable", code: leaf.code, at: valueAt, "\(label()): \(p)\(asWritten())"))
            } else if rule.isComputable {
                why = "无测量值"
                findings.append(Finding(.warning, rule: "unscored", code: leaf.code, at: leaf.cell,
                                        "\(label()): no measured value, not scored / 无测量值，未评分"))
            } else {
                why = rule.kind == .discretionary
                    ? "酌情评分（\(n(rule.parameters.minimum ?? 0))–\(n(rule.parameters.maximum ?? w))分），需人工评分"
                    : "需人工评分（\(rule.note ?? "评分标准未识别")）"
                findings.append(Finding(.warning, rule: "unscored", code: leaf.code, at: leaf.cell,
                                        "\(label()): needs a manual score (score/得分 column) / \(why)"))
            }
            result = (nil, .none, "\(label()) 未评分：\(why)")
        }
        if let t = table, let s = result.score, result.method != .table, abs(t - s) > 0.005 {
            findings.append(Finding(.warning, rule: "score-differs", code: leaf.code, at: tableAt(leaf),
                                    "\(label()): the table's score \(n(t)) differs from \(n(s)) (\(result.method.rawValue)) / 表中得分与评分结果不一致"))
            result.explanation += "（表中原为 \(n(t))）"
        }
        return ScoredLeaf(code: leaf.code, name: leaf.name, rule: .rule(rule), inputs: .list(inputs), score: result.score,
                          method: result.method, explanation: .text(result.explanation))
    }

    /// Sets each leaf's score from `scored` (in table order, `next` counting the leaves done).
    static func apply(_ node: inout Indicator, _ scored: [ScoredLeaf], _ next: inout Int) {
        if node.isLeaf {
            // `explanation` of the model is the 指标解释 column: the scoring explanation stays on ScoredLeaf.
            node.score = scored[next].score
            next += 1
            return
        }
        for i in node.children.indices { apply(&node.children[i], scored, &next) }
    }

    /// Two optional numbers with the same bits (so `-0.0` differs from `0.0`, as it would once written out).
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return x.bitPattern == y.bitPattern
        default: return false
        }
    }

    /// Whether `RollUp.apply` would leave the framework as it is: every parent's weight and score, and the
    /// totals, are already the sums (as `RollUp` computes them, bit for bit) of those below.
    static func isRolledUp(_ framework: Framework) -> Bool {
        /// `RollUp.sum`: the values present added in order from 0, rounded to six decimals; nil when none is.
        struct Sum {
            var total = 0.0
            var any = false
            mutating func add(_ v: Double?) {
                if let v { total += v; any = true }
            }
            var value: Double? { any ? (total * 1_000_000).rounded() / 1_000_000 : nil }
        }
        /// Whether each node with children is rolled up, and the sums of the nodes' weights and scores.
        func rolled(_ nodes: UnsafeBufferPointer<Indicator>) -> (Bool, weight: Double?, score: Double?) {
            var w = Sum(), s = Sum()
            for i in nodes.indices {
                if !nodes[i].children.isEmpty {
                    let (ok, cw, cs) = nodes[i].children.withUnsafeBufferPointer(rolled)
                    guard ok, same(nodes[i].weight, cw), same(nodes[i].score, cs) else { return (false, nil, nil) }
                }
                w.add(nodes[i].weight)
                s.add(nodes[i].score)
            }
            return (true, w.value, s.value)
        }
        let (ok, w, s) = framework.roots.withUnsafeBufferPointer(rolled)
        return ok && same(framework.totals.weight, w) && same(framework.totals.score, s)
    }

    /// A rule as JSON: `{"type","confidence","parameters":{…},"note","summary","source"}`.
    public static func json(_ rule: Rule) -> JSONValue {
        let p = rule.parameters
        var params: [JSONMember] = []
        func cmp(_ c: Comparison?) -> JSONValue {
            guard let c else { return .null }
            return .object([JSONMember("op", .string(c.op.rawValue)), JSONMember("value", .number(c.value)),
                            JSONMember("percent", .bool(c.percent))])
        }
        func award(_ a: Award?) -> JSONValue {
            guard let a else { return .null }
            return .object([JSONMember("kind", .string(a.kind.rawValue)), JSONMember("value", .number(a.value))])
        }
        if let v = p.metric { params.append(JSONMember("metric", .string(v))) }
        if let v = p.full { params.append(JSONMember("full", cmp(v))) }
        if let v = p.step { params.append(JSONMember("step", .number(v))) }
        if let v = p.deduction {
            params.append(JSONMember("deduction", .object([JSONMember("unit", .string(v.unit.rawValue)),
                                                           JSONMember("value", .number(v.value))])))
        }
        if let v = p.cutoff { params.append(JSONMember("cutoff", cmp(v))) }
        if let v = p.zero { params.append(JSONMember("zero", cmp(v))) }
        if let v = p.otherwise { params.append(JSONMember("otherwise", award(v))) }
        if let v = p.minimum { params.append(JSONMember("minimum", .number(v))) }
        if let v = p.maximum { params.append(JSONMember("maximum", .number(v))) }
        if let v = p.unit { params.append(JSONMember("unit", .string(v))) }
        if let v = p.maxDeduction { params.append(JSONMember("max_deduction", .number(v))) }
        if let v = p.divisor { params.append(JSONMember("divisor", .number(v))) }
        if let v = p.perItem {
            params.append(JSONMember("per_item", .object([JSONMember("unit", .string(v.unit.rawValue)),
                                                          JSONMember("value", .number(v.value))])))
        }
        if let v = p.fullLabels { params.append(JSONMember("full_labels", .array(v.map { .string($0) }))) }
        if let v = p.options {
            params.append(JSONMember("options", .array(v.map { o in
                var members = [JSONMember("label", .string(o.label))]
                if let t = o.text { members.append(JSONMember("text", .string(t))) }
                if let c = o.conditions { members.append(JSONMember("conditions", .array(c.map { cmp($0) }))) }
                if let a = o.award { members.append(JSONMember("award", award(a))) }
                if o.veto == true { members.append(JSONMember("veto", .bool(true))) }
                return .object(members)
            })))
        }
        return .object([
            JSONMember("type", .string(rule.kind.rawValue)),
            JSONMember("weight", .number(rule.weight)),
            JSONMember("confidence", .number(ScoreFormat.round2(rule.confidence))),
            JSONMember("parameters", .object(params)),
            JSONMember("summary", .string(rule.summary)),
            JSONMember("note", .string(rule.note)),
        ])
    }
}

/// The fields of a leaf its rule is read from (`Scorer.rule(for:)`), kept to recognise the rule later.
struct RuleSource: Sendable {
    var weight: Double?
    var statedWeight: Double?
    var statedWeightUnit: WeightUnit?
    var target: String?
    var criteria: String?

    init(_ leaf: Indicator) {
        weight = leaf.weight
        statedWeight = leaf.statedWeight
        statedWeightUnit = leaf.statedWeightUnit
        target = leaf.target
        criteria = leaf.criteria
    }

    var rule: Rule {
        var none = Scorer.RecentRules(capacity: 0)
        return Scorer.rule(for: self, recent: &none)
    }
}
