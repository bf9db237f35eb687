import IndicatorModel
import SheetCore
import Testing
import TestSupport
@testable import Scoring

/// The short cuts of `Scorer.score` (a table-kept score made lazily, the per-table rule cache, no roll-up when
/// nothing changed) against the general path, on seeded random tables.
@Suite struct ScorerFastPathTests {
    static let criteria = [
        "符合，得满分；不符合，不得分。", "完成率100%得满分，每降低1%扣权重的2%，扣完为止。",
        "规范，得满分；部分规范，得权重的60%；不规范，不得分。", "满意度≥90%得满分；80%≤满意度<90%得权重的80%；低于80%不得分。",
        "存在一项问题扣0.5分，扣完为止。", "视情况酌情得0-4分", "", "看情况", "得分=预算执行率×标准分",
    ]

    /// A random table: 1–4 roots, 1–3 levels below, leaves with or without weights, scores (some -0.0),
    /// criteria, 自评表 values and cells; rolled up, or not, or rolled up and then disturbed.
    static func framework(_ rng: inout SeededRNG) -> Framework {
        var leafNo = 0
        func node(level: Int, code: String) -> Indicator {
            var n = Indicator(code: code, name: "指标\(code)", level: level)
            if level < 4 && (level == 1 || Int.random(in: 0..<3, using: &rng) > 0) {
                n.children = (0..<Int.random(in: 1...3, using: &rng)).map { node(level: level + 1, code: code + "\($0 + 1)") }
                return n
            }
            leafNo += 1
            // Codes repeat now and then (a damaged table).
            if Int.random(in: 0..<10, using: &rng) == 0 { n.code = "A11" }
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: n.weight = nil
            case 1: n.weight = nil; n.statedWeight = Double(Int.random(in: 1...5, using: &rng)); n.statedWeightUnit = .points
            case 2: n.weight = 0
            default: n.weight = Double(Int.random(in: 1...10, using: &rng))
            }
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: n.score = nil
            case 1: n.score = -0.0
            default: n.score = Double(Int.random(in: 0...20, using: &rng)) / 2
            }
            n.criteria = Int.random(in: 0..<8, using: &rng) == 0 ? nil : criteria.randomElement(using: &rng)!
            if Int.random(in: 0..<6, using: &rng) == 0 { n.actual = ["96%", "2次", "xyz"].randomElement(using: &rng)! }
            if Int.random(in: 0..<6, using: &rng) == 0 { n.target = ["≥95%", "100%"].randomElement(using: &rng)! }
            if Int.random(in: 0..<4, using: &rng) > 0 { n.cell = Location(file: "t.xlsx", sheet: "S", cell: CellRef(row: UInt32(leafNo), col: 2)) }
            if Int.random(in: 0..<4, using: &rng) > 0 { n.scoreCell = CellRef(row: UInt32(leafNo), col: 4) }
            return n
        }
        let roots = (0..<Int.random(in: 1...4, using: &rng)).map { node(level: 1, code: String(UnicodeScalar(UInt8(65 + $0)))) }
        var f = Framework(file: "t.xlsx", sheet: "S", levels: 4, roots: roots)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: break
        case 1: RollUp.apply(&f); f.totals.score = (f.totals.score ?? 0) + 1
        case 2: RollUp.apply(&f); if !f.roots[0].children.isEmpty { f.roots[0].weight = -0.0 }
        default: RollUp.apply(&f)
        }
        return f
    }

    @Test func fastPathEqualsGeneralPath() {
        var rng = SeededRNG(seed: 20_261_127)
        var kept = 0, unchanged = 0
        for _ in 0..<400 {
            let f = Self.framework(&rng)
            let fast = Scorer.score(f)
            // A measure without value or score for every leaf sends each one through the general path, with
            // the same outcome.
            var codes: [String] = []
            Scorer.forEachLeaf(f) { if !codes.contains($0.code) { codes.append($0.code) } }
            let slow = Scorer.score(f, measures: Measures(file: "m.csv", entries: codes.map {
                Measure(code: $0, location: Location(file: "m.csv"))
            }))
            #expect(fast.leaves.count == slow.leaves.count)
            for (a, b) in zip(fast.leaves, slow.leaves) {
                #expect(a.explanation == b.explanation)
                #expect(a.inputs == b.inputs)
                #expect(a.method == b.method && Scorer.same(a.score, b.score))
                #expect(a.rule == b.rule)
                #expect(a == b)
                #expect(a.hashValue == b.hashValue)
                if case .keptFromTable = a.lazyExplanation { kept += 1 }
            }
            #expect(fast.findings == slow.findings)
            // The framework: each leaf's score set by position, then rolled up.
            var expected = f
            var next = 0
            for i in expected.roots.indices { Scorer.apply(&expected.roots[i], fast.leaves, &next) }
            RollUp.apply(&expected)
            #expect(fast.framework == expected)
            #expect(slow.framework == expected)
            if Scorer.isRolledUp(f) {
                #expect(RollUp.applied(f) == f)
            }
            #expect(Scorer.isRolledUp(RollUp.applied(f)))
            if fast.framework.roots == f.roots { unchanged += 1 }
            // The per-table rule cache gives what `rule(for:)` gives.
            var rules: [Rule] = []
            Scorer.forEachLeaf(f) { rules.append(Scorer.rule(for: $0)) }
            #expect(fast.leaves.map(\.rule) == rules)
        }
        #expect(kept > 1000)
        #expect(unchanged > 50)
    }

    @Test func forEachLeafIsTableOrder() {
        var rng = SeededRNG(seed: 7)
        for _ in 0..<100 {
            let f = Self.framework(&rng)
            var walked: [Indicator] = []
            Scorer.forEachLeaf(f) { walked.append($0) }
            #expect(walked == f.leaves)
        }
    }

    @Test func lazyTextsReadAndWrite() {
        let rule = Rule.manual(weight: 3, sourceText: "看情况", note: "评分标准中未找到得分或扣分的表述")
        let at = Location(file: "t.xlsx", sheet: "S", cell: CellRef(row: 4, col: 4))
        var leaf = Indicator(code: "B11", name: "立项依据", level: 3, weight: 3, score: 2.5, criteria: "看情况")
        leaf.scoreCell = CellRef(row: 4, col: 4)
        let source = ScoredLeaf.LazyRule.of(leaf)
        #expect(source.value == rule && Scorer.rule(for: leaf) == rule)
        var lazy = ScoredLeaf(code: "B11", name: "立项依据", rule: source, inputs: .table(score: 2.5, at: at), score: 2.5,
                              method: .table, explanation: .keptFromTable(leaf: leaf, score: 2.5))
        let eager = ScoredLeaf(code: "B11", name: "立项依据", rule: .rule(rule),
                               inputs: .list([ScoreInput(source: "table", text: "2.5", kind: "points", location: at)]), score: 2.5,
                               method: .table, explanation: .text("B11 立项依据 需人工评分，保留表中得分 2.5"))
        #expect(lazy.explanation == "B11 立项依据 需人工评分，保留表中得分 2.5")
        #expect(lazy.inputs == [ScoreInput(source: "table", text: "2.5", kind: "points", location: at)])
        #expect(lazy == eager && lazy.hashValue == eager.hashValue)
        // The recipe keeps its own leaf: renaming the scored leaf later does not rewrite the sentence.
        lazy.code = "X"
        #expect(lazy.explanation.hasPrefix("B11 "))
        // Nor does setting another rule.
        lazy.rule = .manual(weight: 3, sourceText: "", note: "无分值")
        #expect(lazy.explanation == "B11 立项依据 需人工评分，保留表中得分 2.5")
        lazy.rule = RuleRecogniser.recognise("符合，得满分；不符合，不得分。", weight: 3)
        #expect(lazy.explanation == "B11 立项依据 需人工评分，保留表中得分 2.5")
        lazy.explanation += "（表中原为 3）"
        #expect(lazy.explanation == "B11 立项依据 需人工评分，保留表中得分 2.5（表中原为 3）")
        lazy.inputs.append(ScoreInput(source: "manual", text: "1"))
        #expect(lazy.inputs.count == 2 && lazy.inputs[0].text == "2.5")
    }

    @Test func preparedOncePerTextWhateverTheWeight() {
        let text = "满意度≥90%得满分；80%≤满意度<90%得权重的80%；低于80%不得分。最多扣3分"
        let p = RuleRecogniser.prepared(text)
        let q = RuleRecogniser.prepareUncached(text)
        #expect(p?.text == q?.text && p?.cap == q?.cap && p?.clauses.count == q?.clauses.count)
        #expect(RuleRecogniser.prepared("  \n") == nil)
        for w in [1.0, 2, 7.5, 10, 2] {
            let r = RuleRecogniser.recognise(text, weight: w)
            #expect(r.weight == w && r.sourceText == text)
            #expect(r == RuleRecogniser.recogniseUncached(text, weight: w))
        }
    }
}
