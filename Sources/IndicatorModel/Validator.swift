#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Checks a framework the way a reviewer at the finance bureau would, and reports every finding with its
/// severity, a short rule id, the indicator code and the cell.
///
/// Rules (errors unless noted):
/// - `weight-children`: a parent's stated weight against the sum of its children's weights;
/// - `weight-leaves`: a parent's stated weight against the sum of its leaves' weights (when that differs
///   from the children's sum, e.g. a child's own stated weight is off);
/// - `weight-name-column`: a leaf's weight in its name against its 分值 cell;
/// - `weight-missing`: a leaf without a weight;
/// - `total-weight`, `total-weight-leaves`, `total-score`: the 合计 row against the sums;
///   `total-not-100` (warning) when the weights sum to a total other than 100, stated or not;
/// - `score-above-weight`, `score-negative`; `score-missing` (warning, when only some leaves are scored),
///   `no-scores` (info, when none is);
/// - `code-duplicate`; `code-malformed` (warning) for a code that does not extend its parent's;
/// - `criteria-weight` (warning): a weight quoted in the criteria (`该指标权重15分`, `酌情得0-2分`) or an
///   outcome score that disagrees with the weight;
/// - `criteria-same-score` (warning): criteria giving the same score to different outcomes;
/// - the normaliser's own findings (`not-a-number`, `missing-parent`, `row-outside-tree`).
public enum Validator {
    /// Tolerance for comparing sums of weights and scores.
    public static let epsilon = 1e-6

    /// Every finding, errors first, then in table order.
    public static func validate(_ framework: Framework, bands: GradeBands = .standard) -> [Finding] {
        var v = Run(f: framework)
        v.findings = framework.diagnostics
        v.checkTree()
        v.checkTotals()
        v.checkCodes()
        if !bands.isOrdered {
            v.findings.append(Finding(.warning, rule: "grade-bands", "grade bands are not ordered: 优 \(TextKit.show(bands.excellent)), 良 \(TextKit.show(bands.good)), 中 \(TextKit.show(bands.fair))"))
        }
        return sorted(v.findings)
    }

    /// Whether an all-ASCII code fits the hierarchy, on its bytes: `parent` followed by one or two digits, or
    /// one capital letter at level 1. Nil when either code has non-ASCII text (the Character rules decide then).
    static func codeFits(_ code: String, parent: String?) -> Bool? {
        var code = code
        return code.withUTF8 { c -> Bool? in
            guard c.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard var p = parent else { return c.count == 1 && c[0] >= 65 && c[0] <= 90 }
            return p.withUTF8 { p -> Bool? in
                guard p.allSatisfy({ $0 < 0x80 }) else { return nil }
                // ASCII Characters are single bytes (CR LF is one Character, but not made of digits either).
                guard c.count > p.count, c.count - p.count <= 2,
                      p.count == 0 || memcmp(c.baseAddress!, p.baseAddress!, p.count) == 0 else { return false }
                return c[p.count...].allSatisfy { $0 >= 48 && $0 <= 57 }
            }
        }
    }

    /// Errors first, then warnings, then info; within a severity by row and column, stable otherwise.
    static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.severity != y.severity { return x.severity < y.severity }
            let cx = x.location?.cell, cy = y.location?.cell
            if let cx, let cy, cx != cy { return cx < cy }
            if (cx == nil) != (cy == nil) { return cx != nil }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// A criteria finding without the indicator: its rule and its message after `code name: `.
    struct CriteriaFinding: Sendable {
        var rule: String
        var tail: String
    }

    /// The criteria findings of a (criteria text, weight) pair: a batch repeats both in every workbook, and
    /// most pairs give none.
    private static let criteriaMemo = SampledMemo<[CriteriaFinding]>(capacity: 8192)

    /// What `criteria-weight` and `criteria-same-score` say about a leaf with this criteria text and weight
    /// (memoised: a pure function of the two).
    static func criteriaFindings(_ criteria: String, weight w: Double) -> [CriteriaFinding] {
        // The weight's bits: -0 and 0 (and NaNs) print differently, so they are different keys.
        criteriaMemo.value(criteria, extra: w.bitPattern) { criteriaFindingsUncached(criteria, weight: w) }
    }

    static func criteriaFindingsUncached(_ criteria: String, weight w: Double) -> [CriteriaFinding] {
        func eq(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= Validator.epsilon }
        var out: [CriteriaFinding] = []
        for q in CriteriaText.quotedWeightsUncached(criteria) where !eq(q.value, w) {
            out.append(CriteriaFinding(rule: "criteria-weight",
                                       tail: "the criteria say “\(q.snippet)” but the weight is \(TextKit.show(w))"))
        }
        let outcomes = CriteriaText.outcomesUncached(criteria, weight: w)
        for o in outcomes where o.score > w + Validator.epsilon {
            out.append(CriteriaFinding(rule: "criteria-weight",
                                       tail: "the criteria give \(TextKit.show(o.score)) (“\(o.clause)”) but the weight is \(TextKit.show(w))"))
        }
        // Additive items (①…得0.5分；②…得0.5分) add up to at most the weight; alternatives do not.
        let positive = outcomes.filter { $0.score > Validator.epsilon }
        guard positive.count >= 2, positive.reduce(0, { $0 + $1.score }) > w + Validator.epsilon else { return out }
        var reported = Set<Double>()
        for (i, a) in positive.enumerated() {
            for b in positive[(i + 1)...] where eq(a.score, b.score) && a.clause != b.clause && !reported.contains(a.score) {
                reported.insert(a.score)
                out.append(CriteriaFinding(rule: "criteria-same-score",
                                           tail: "the criteria give the same score \(TextKit.show(a.score)) to different outcomes: “\(a.clause)” and “\(b.clause)”"))
            }
        }
        return out
    }

    /// The criteria findings of the (criteria text, weight) pairs met in one table: its leaves repeat a few
    /// criteria texts, and comparing the bytes of a few recent texts costs less than a lookup in the process-wide
    /// memo (a hash of the text, a lock).
    struct RecentCriteria {
        // Apart, so that a search reads only weights and lengths, and compares the texts of those that match.
        var weights: [UInt64] = []
        var lengths: [Int] = []
        var texts: [String] = []
        var results: [[CriteriaFinding]] = []
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            weights.reserveCapacity(capacity)
            lengths.reserveCapacity(capacity)
            texts.reserveCapacity(capacity)
            results.reserveCapacity(capacity)
        }

        /// The findings for the pair, from the recent ones or else the memo (and then remembered).
        mutating func findings(_ criteria: String, weight w: Double) -> [CriteriaFinding] {
            let bits = w.bitPattern
            let length = criteria.utf8.count
            for i in weights.indices where weights[i] == bits && lengths[i] == length
                && TextKit.sameBytes(texts[i], criteria) {
                return results[i]
            }
            let r = Validator.criteriaFindings(criteria, weight: w)
            if weights.count < capacity {
                weights.append(bits)
                lengths.append(length)
                texts.append(criteria)
                results.append(r)
            }
            return r
        }
    }

    struct Run {
        let f: Framework
        var findings: [Finding] = []
        var recent = RecentCriteria(capacity: 32)

        /// Points per percent: a percentage weight is a share of the stated total (100 when none is stated).
        var base: Double { f.totals.statedWeight.flatMap { $0 > 0 ? $0 : nil } ?? 100 }

        func points(_ ind: Indicator) -> Double? {
            guard let w = ind.statedWeight else { return nil }
            return ind.statedWeightUnit == .percent ? w * base / 100 : w
        }

        func stated(_ ind: Indicator) -> String {
            guard let w = ind.statedWeight else { return "" }
            if ind.statedWeightUnit == .percent {
                return base == 100 ? "\(TextKit.show(w))%" : "\(TextKit.show(w))% (= \(TextKit.show(w * base / 100)))"
            }
            return TextKit.show(w)
        }

        /// The weight a node brings to its parent: a leaf's 分值 (its name's weight when there is no 分值),
        /// a parent's stated weight (its leaves' sum when none is stated).
        func ownWeight(_ ind: Indicator) -> Double? {
            ind.isLeaf ? ind.weight : (points(ind) ?? ind.weight)
        }

        func label(_ ind: Indicator) -> String { "\(ind.code) \(ind.name)" }

        func eq(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= Validator.epsilon }

        func at(_ ind: Indicator, _ ref: CellRef?) -> Location? {
            guard let ref else { return ind.cell }
            return Location(file: f.file, sheet: f.sheet, cell: ref)
        }

        mutating func checkTree() {
            let leaves = f.leaves
            var scored = 0
            for l in leaves where l.score != nil { scored += 1 }
            for node in f.allNodes {
                if node.isLeaf { checkLeaf(node, someScored: scored > 0) } else { checkParent(node) }
            }
            if scored == 0 && !leaves.isEmpty {
                findings.append(Finding(.info, rule: "no-scores",
                                        at: f.columns.score.flatMap { c in f.headerRow.map { Location(file: f.file, sheet: f.sheet, cell: CellRef(row: $0, col: c)) } } ?? Location(file: f.file, sheet: f.sheet),
                                        "no indicator has a score yet (得分 is empty)"))
            }
        }

        mutating func checkParent(_ p: Indicator) {
            // A 得分 on the parent's own row that is not the sum of its children's scores.
            if let stated = p.statedScore, let sum = RollUp.sum(p.children, { $0.score }), !eq(stated, sum) {
                findings.append(Finding(.error, rule: "score-children", code: p.code, at: at(p, p.statedScoreCell),
                                        "\(label(p)): stated score \(TextKit.show(stated)) but its sub-indicators' scores sum to \(TextKit.show(sum))"))
            }
            guard let s = points(p) else { return }
            let childSum = RollUp.sum(p.children, ownWeight)
            let leafSum = p.weight
            if let c = childSum, !eq(c, s) {
                findings.append(Finding(.error, rule: "weight-children", code: p.code, at: p.cell,
                                        "\(label(p)): stated weight \(stated(p)) but its sub-indicators sum to \(TextKit.show(c))"))
            }
            if let l = leafSum, !eq(l, s), childSum.map({ !eq($0, l) }) ?? true {
                findings.append(Finding(.error, rule: "weight-leaves", code: p.code, at: p.cell,
                                        "\(label(p)): stated weight \(stated(p)) but the weights of its \(p.leaves.count) leaf indicators sum to \(TextKit.show(l))"))
            }
        }

        mutating func checkLeaf(_ leaf: Indicator, someScored: Bool) {
            if let w = leaf.weight {
                if leaf.weightCell != nil, let s = points(leaf), !eq(s, w) {
                    findings.append(Finding(.error, rule: "weight-name-column", code: leaf.code, at: at(leaf, leaf.weightCell),
                                            "\(label(leaf)): the name says \(stated(leaf)) but 分值 is \(TextKit.show(w))"))
                }
            } else {
                findings.append(Finding(.error, rule: "weight-missing", code: leaf.code, at: at(leaf, leaf.weightCell),
                                        "\(label(leaf)): no weight (分值) / 缺少分值"))
            }
            if let score = leaf.score {
                if score < -Validator.epsilon {
                    findings.append(Finding(.error, rule: "score-negative", code: leaf.code, at: at(leaf, leaf.scoreCell),
                                            "\(label(leaf)): score \(TextKit.show(score)) is below 0"))
                }
                if let w = leaf.weight, score > w + Validator.epsilon {
                    findings.append(Finding(.error, rule: "score-above-weight", code: leaf.code, at: at(leaf, leaf.scoreCell),
                                            "\(label(leaf)): score \(TextKit.show(score)) is above its weight \(TextKit.show(w)) / 得分超过分值"))
                }
            } else if someScored {
                findings.append(Finding(.warning, rule: "score-missing", code: leaf.code, at: at(leaf, leaf.scoreCell),
                                        "\(label(leaf)): no score (得分 is empty)"))
            }
            if let criteria = leaf.criteria { checkCriteria(leaf, criteria) }
        }

        mutating func checkCriteria(_ leaf: Indicator, _ criteria: String) {
            guard let w = leaf.weight else { return }
            for t in recent.findings(criteria, weight: w) {
                findings.append(Finding(.warning, rule: t.rule, code: leaf.code, at: leaf.cell, "\(label(leaf)): \(t.tail)"))
            }
        }

        mutating func checkTotals() {
            let t = f.totals
            let file = f.file, sheet = f.sheet, labelCol = f.columns.levels.first ?? 0
            let totalsAt = { (ref: CellRef?) -> Location in
                Location(file: file, sheet: sheet, cell: ref ?? t.row.map { CellRef(row: $0, col: labelCol) })
            }
            if let s = t.statedWeight {
                let rootSum = RollUp.sum(f.roots, ownWeight)
                if let r = rootSum, !eq(r, s) {
                    findings.append(Finding(.error, rule: "total-weight", at: totalsAt(t.statedWeightCell),
                                            "合计: stated total weight \(TextKit.show(s)) but the level-1 indicators sum to \(TextKit.show(r))"))
                }
                let leavesDisagree = t.weight.map { !eq($0, s) } ?? false
                if let l = t.weight, leavesDisagree, rootSum.map({ !eq($0, l) }) ?? true {
                    findings.append(Finding(.error, rule: "total-weight-leaves", at: totalsAt(t.statedWeightCell),
                                            "合计: stated total weight \(TextKit.show(s)) but the weights of the \(f.leaves.count) leaf indicators sum to \(TextKit.show(l))"))
                }
                // Consistent, but not out of 100 (百分制).
                if !eq(s, 100), !leavesDisagree, rootSum.map({ eq($0, s) }) ?? true {
                    findings.append(Finding(.warning, rule: "total-not-100", at: totalsAt(t.statedWeightCell),
                                            "合计: the stated total weight is \(TextKit.show(s)), not 100 / 总分值应为100分"))
                }
            } else if let l = t.weight, !eq(l, 100) {
                findings.append(Finding(.warning, rule: "total-not-100", at: totalsAt(nil),
                                        "the weights of the \(f.leaves.count) leaf indicators sum to \(TextKit.show(l)), not 100"))
            }
            if let s = t.statedScore {
                let sum = t.score ?? 0
                if !eq(sum, s) {
                    findings.append(Finding(.error, rule: "total-score", at: totalsAt(t.statedScoreCell),
                                            "合计: stated total score \(TextKit.show(s)) but the scores of the leaf indicators sum to \(TextKit.show(sum))"))
                }
            }
        }

        mutating func checkCodes() {
            let nodes = f.allNodes
            var seen: [String: Int] = [:]  // code → the first node with it
            seen.reserveCapacity(nodes.count)
            for (i, node) in nodes.enumerated() {
                let code = node.code
                // One probe per code (a duplicate, rare, puts the first node back).
                if let j = seen.updateValue(i, forKey: code) {
                    seen[code] = j
                    let first = nodes[j]
                    findings.append(Finding(.error, rule: "code-duplicate", code: code, at: node.cell,
                                            "code \(code) is used twice: “\(node.rawName)” and “\(first.rawName)” (\(first.cell.map(\.description) ?? ""))"))
                }
            }
            for root in f.roots { checkCode(root, parent: nil) }
        }

        mutating func checkCode(_ node: Indicator, parent: Indicator?) {
            let ok: Bool
            if let fast = Validator.codeFits(node.code, parent: parent?.code) {
                ok = fast
            } else if let parent {
                let suffix = node.code.hasPrefix(parent.code) ? node.code.dropFirst(parent.code.count) : ""
                ok = !suffix.isEmpty && suffix.count <= 2 && suffix.allSatisfy(\.isASCII) && suffix.allSatisfy(\.isNumber)
            } else {
                ok = node.code.count == 1 && node.code.allSatisfy { $0.isASCII && $0.isUppercase }
            }
            if !ok {
                // Only built when reported.
                let expected = parent.map { "\($0.code) followed by a number, as under \($0.code) \($0.name)" }
                    ?? "one capital letter at level 1"
                findings.append(Finding(.warning, rule: "code-malformed", code: node.code, at: node.cell,
                                        "code \(node.code) of “\(node.name)” does not fit the hierarchy: expected \(expected)"))
            }
            for c in node.children { checkCode(c, parent: node) }
        }
    }
}
