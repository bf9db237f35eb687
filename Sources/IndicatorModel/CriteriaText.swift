import SheetCore

/// What the validator reads out of a criteria text (评分标准): weights it quotes (`该指标权重15分`,
/// `该指标分值为5分`, `按权重（3分）`, `酌情得0-2分`, `满分10分`) and the score each outcome gets (`良好得满分`, `一般得15分`,
/// `不得分`, `得权重的60%`).
enum CriteriaText {
    struct Quote: Hashable {
        var value: Double
        /// The words quoted, for the message.
        var snippet: String
    }

    struct Outcome: Hashable {
        /// The clause as written (trimmed).
        var clause: String
        var score: Double
    }

    private struct OutcomesKey: Hashable {
        var text: TextKey
        var weight: Double?
    }

    /// Memo tables: a batch repeats the same criteria texts in every workbook.
    private static let quotedMemo = MemoCache<TextKey, [Quote]>(capacity: 8192)
    private static let outcomesMemo = MemoCache<OutcomesKey, [Outcome]>(capacity: 8192)

    /// Weights quoted in the text (memoised).
    static func quotedWeights(_ text: String) -> [Quote] {
        quotedMemo.value(TextKey(text)) { quotedWeightsUncached($0.text) }
    }

    /// The outcomes of a text (memoised; see ``outcomesUncached(_:weight:)``).
    static func outcomes(_ text: String, weight: Double?) -> [Outcome] {
        outcomesMemo.value(OutcomesKey(text: TextKey(text), weight: weight)) { outcomesUncached($0.text.text, weight: $0.weight) }
    }

    static func quotedWeightsUncached(_ text: String) -> [Quote] {
        let s = Array(text.unicodeScalars.map(TextKit.fold))
        var out: [Quote] = []
        var i = 0
        // `（3分）完成得满分`, `3分：…`: the weight written first.
        var j0 = 0
        skip(s, &j0, ["(", "[", "【", " "])
        if let (v, end) = number(s, j0), end < s.count, s[end] == "分", end + 1 < s.count,
           [")", "]", "】", ":", ",", ";", "。"].contains(s[end + 1]) {
            out.append(Quote(value: v, snippet: string(s, 0, end + 2)))
            i = end + 2
        }
        while i < s.count {
            // `本指标3分`, `该项共3分`, `本项满分3分` (not `该项得3分`, `本项扣1分`).
            let subject = ["本指标", "该指标", "此指标", "本项", "该项", "此项"].first { match(s, i, $0) }
            if let subject {
                var j = i + subject.unicodeScalars.count
                skip(s, &j, ["共", "为", ":", " ", "计"])
                if let (v, end) = number(s, j), end < s.count, s[end] == "分" {
                    out.append(Quote(value: v, snippet: string(s, i, end + 1)))
                    i = end + 1
                    continue
                }
            }
            if match(s, i, "权重") || match(s, i, "满分") || (match(s, i, "分值") && !perItem(s, before: i)) {
                var j = i + 2
                skip(s, &j, ["分", "为", ":", "(", " ", "是"])
                if let (v, end) = number(s, j) {
                    var k = end
                    skip(s, &k, [" "])
                    if k < s.count && s[k] == "分" {
                        out.append(Quote(value: v, snippet: string(s, i, k + 1)))
                        i = k + 1
                        continue
                    }
                }
            }
            // 0-N分, 0～N分, 0至N分
            if s[i] == "0", i == 0 || TextKit.digit(s[i - 1]) == nil && s[i - 1] != "." {
                var j = i + 1
                if j < s.count, ["-", "~", "～", "—", "–", "至", "到", "－"].contains(s[j]) {
                    j += 1
                    if let (v, end) = number(s, j), end < s.count, s[end] == "分" {
                        out.append(Quote(value: v, snippet: string(s, i, end + 1)))
                        i = end + 1
                        continue
                    }
                }
            }
            i += 1
        }
        return out
    }

    /// Whether the words just before `i` make a 分值 a per-item score (`每项分值1分`, `单项分值`, `各项分值`), not the
    /// indicator's weight.
    static func perItem(_ s: [Unicode.Scalar], before i: Int) -> Bool {
        var k = i - 1
        while k >= 0, k >= i - 3 {
            let u = s[k]
            if u == "每" || u == "单" || u == "各" { return true }
            if u == "," || u == ";" || u == "。" || u == ":" || u == "\n" { return false }
            k -= 1
        }
        return false
    }

    /// The outcomes the text scores, clause by clause (clauses end at ；。; line breaks, ①②…, and commas when
    /// the clause scores more than once). Deductions (`扣0.5分`) are not outcomes.
    static func outcomesUncached(_ text: String, weight: Double?) -> [Outcome] {
        let original = Array(text.unicodeScalars)
        let s = original.map(TextKit.fold)
        var clauses: [(Int, Int)] = []
        var start = 0
        for (i, u) in s.enumerated() {
            let isBreak = u == ";" || u == "。" || u == "\n" || (u.value >= 0x2460 && u.value <= 0x2473)
            if isBreak {
                if i > start { clauses.append((start, i)) }
                start = i + 1
            }
        }
        if start < s.count { clauses.append((start, s.count)) }
        var out: [Outcome] = []
        for (a, b) in clauses {
            // Split at commas when several scores sit in one clause.
            var parts: [(Int, Int)] = []
            var ps = a
            for i in a..<b where s[i] == "," {
                parts.append((ps, i))
                ps = i + 1
            }
            parts.append((ps, b))
            let scored = parts.compactMap { p -> Outcome? in
                guard let v = score(s, p.0, p.1, weight: weight) else { return nil }
                return Outcome(clause: TextKit.clean(string(original, p.0, p.1)), score: v)
            }
            if scored.count <= 1, let only = scored.first {
                // Keep the whole clause as the outcome's words (the condition often sits before the comma).
                out.append(Outcome(clause: TextKit.clean(string(original, a, b)), score: only.score))
            } else {
                out.append(contentsOf: scored)
            }
        }
        return out
    }

    /// The score a piece of text gives, if it gives one.
    static func score(_ s: [Unicode.Scalar], _ a: Int, _ b: Int, weight: Double?) -> Double? {
        var i = a
        while i < b {
            if s[i] == "扣" { return nil }
            if match(s, i, "不得分") || match(s, i, "不计分") || match(s, i, "不给分") { return 0 }
            if s[i] == "得" || s[i] == "计" || s[i] == "给" {
                var j = i + 1
                if match(s, j, "满分") { return weight }
                if match(s, j, "权重的") || match(s, j, "权重分的") {
                    j += match(s, j, "权重的") ? 3 : 4
                    if let (p, end) = number(s, j), end < b, s[end] == "%", let w = weight { return w * p / 100 }
                    return nil
                }
                skip(s, &j, [" "])
                if let (v, end) = number(s, j) {
                    var k = end
                    skip(s, &k, [" "])
                    if k < b && s[k] == "分" { return v }
                }
            }
            i += 1
        }
        return nil
    }

    static func match(_ s: [Unicode.Scalar], _ i: Int, _ word: String) -> Bool {
        var k = i
        for u in word.unicodeScalars {
            guard k < s.count, s[k] == u else { return false }
            k += 1
        }
        return true
    }

    static func skip(_ s: [Unicode.Scalar], _ i: inout Int, _ set: [Unicode.Scalar]) {
        while i < s.count, set.contains(s[i]) { i += 1 }
    }

    static func number(_ s: [Unicode.Scalar], _ i: Int) -> (Double, Int)? {
        var j = i
        while j < s.count, TextKit.digit(s[j]) != nil { j += 1 }
        guard j > i else { return nil }
        if j + 1 < s.count, s[j] == ".", TextKit.digit(s[j + 1]) != nil {
            j += 1
            while j < s.count, TextKit.digit(s[j]) != nil { j += 1 }
        }
        guard let v = TextKit.parseDecimal(s[i..<j]) else { return nil }
        return (v, j)
    }

    static func string(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> String {
        TextKit.string(s[a..<min(b, s.count)])
    }
}
