import SheetCore

/// Reads the code, the name and a stated weight out of an indicator cell as written:
/// `A.项目决策（20%）`, `A1部门目标（12分）`, `B232财务制度执行有效性`, `C1.项目产出（30%）（说明：…）`,
/// `昆明市盘龙区政务服务管理局部门决策（35分）` (no code; the organisation is split off by the normaliser).
struct ParsedName: Hashable {
    var code: String?
    /// The name without code, weight and trailing notes.
    var name: String
    var weight: Double?
    var unit: WeightUnit?
    /// Bracketed text after the weight, such as `（说明：…）`.
    var note: String?
}

enum NameParser {
    /// Names already parsed: a batch repeats the same indicator names in every workbook.
    private static let memo = MemoCache<SampledKey, ParsedName>(capacity: 8192)

    /// The parts of an indicator cell (memoised: a pure function of the text).
    static func parse(_ raw: String) -> ParsedName {
        memo.value(SampledKey(raw)) { parseUncached($0.text) }
    }

    static func parseUncached(_ raw: String) -> ParsedName {
        let cleaned = TextKit.clean(raw)
        var original: [Unicode.Scalar] = []
        var folded: [Unicode.Scalar] = []
        original.reserveCapacity(cleaned.utf8.count)
        folded.reserveCapacity(cleaned.utf8.count)
        for u in cleaned.unicodeScalars {
            original.append(u)
            folded.append(TextKit.fold(u))
        }
        var i = 0
        var code: String?
        // Code: one capital letter, then digits, then not an ASCII letter or digit.
        if let first = folded.first, first.value >= 65 && first.value <= 90 {
            var j = 1
            while j < folded.count, TextKit.digit(folded[j]) != nil { j += 1 }
            let next = j < folded.count ? folded[j] : nil
            // (The ASCII scalars with the Alphabetic property are the letters A–Z and a–z.)
            let nextIsASCIIAlnum = next.map { u in
                let lower = u.value | 0x20
                return u.isASCII && ((lower >= 97 && lower <= 122) || TextKit.digit(u) != nil)
            } ?? false
            if !nextIsASCIIAlnum && j < folded.count {
                code = TextKit.string(folded[0..<j])
                i = j
                // Separators between code and name.
                while i < folded.count, isCodeSeparator(folded[i]) { i += 1 }
            }
        }
        // The first bracket group holding a weight ends the name; the rest is a note.
        var k = i
        var weight: Double?
        var unit: WeightUnit?
        var nameEnd = folded.count
        var note: String?
        while k < folded.count {
            if let close = closingBracket(folded[k]), let end = matchingClose(folded, from: k, open: folded[k], close: close) {
                if let w = weightInBrackets(folded[(k + 1)..<end]) {
                    weight = w.value
                    unit = w.unit
                    nameEnd = k
                    let rest = TextKit.clean(TextKit.string(original[(end + 1)...]))
                    note = rest.isEmpty ? nil : rest
                    break
                }
                k = end + 1
            } else {
                k += 1
            }
        }
        if code == nil { i = afterEnumerator(folded, from: i, end: nameEnd) }
        let name = TextKit.clean(TextKit.string(original[i..<nameEnd]))
        return ParsedName(code: code, name: name, weight: weight, unit: unit, note: note)
    }

    static let chineseNumerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// Skips a list enumerator in front of a name: `一、`, `（一）`, `(1)`, `1.`, `1、`, `1.1`, `1.1.`; returns
    /// where the name starts (`from` when there is none, or when nothing would be left).
    static func afterEnumerator(_ s: [Unicode.Scalar], from start: Int, end: Int) -> Int {
        var i = start
        if i < end, s[i] == "(" {
            var j = i + 1
            while j < end, chineseNumerals.contains(s[j]) || TextKit.digit(s[j]) != nil { j += 1 }
            if j > i + 1, j < end, s[j] == ")" { i = j + 1 } else { return start }
        } else if i < end, chineseNumerals.contains(s[i]) {
            var j = i
            while j < end, chineseNumerals.contains(s[j]) { j += 1 }
            guard j < end, s[j] == "、" || s[j] == "." else { return start }
            i = j + 1
        } else if i < end, TextKit.digit(s[i]) != nil {
            var j = i
            while j < end, TextKit.digit(s[j]) != nil || (s[j] == "." && j + 1 < end && TextKit.digit(s[j + 1]) != nil) { j += 1 }
            guard j < end, s[j] == "、" || s[j] == "." || s[j] == " " || s[j] == ")" else { return start }
            i = j + 1
        } else {
            return start
        }
        while i < end, isCodeSeparator(s[i]) { i += 1 }
        return i < end ? i : start
    }

    static func isCodeSeparator(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case ".", "、", ":", " ", "-", "·", "。", "\t", "\n": return true
        default: return false
        }
    }

    static func closingBracket(_ u: Unicode.Scalar) -> Unicode.Scalar? {
        switch u {
        case "(": return ")"
        case "[": return "]"
        case "【": return "】"
        case "〔": return "〕"
        default: return nil
        }
    }

    static func matchingClose(_ s: [Unicode.Scalar], from start: Int, open: Unicode.Scalar, close: Unicode.Scalar) -> Int? {
        var depth = 0
        var i = start
        while i < s.count {
            if s[i] == open { depth += 1 } else if s[i] == close {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// `20%`, `12分`, `权重20%`, `分值：12分`, `12`; nil otherwise.
    static func weightInBrackets(_ s: ArraySlice<Unicode.Scalar>) -> TextKit.Number? {
        // Most bracket texts are ASCII and CJK ideographs, where every scalar is a Character of its own: match
        // the prefixes on the scalars. Anything else goes the Character way below.
        var scalars = s.filter { !TextKit.isSpace($0) }
        if scalars.allSatisfy(TextKit.isOwnCharacter) {
            for prefix in weightPrefixScalars where scalars.starts(with: prefix) {
                scalars.removeFirst(prefix.count)
                if scalars.first == ":" { scalars.removeFirst() }
                break
            }
            guard let n = TextKit.parseNumber(scalars: scalars), n.unit != nil else { return nil }
            return n
        }
        return weightInBracketsByCharacters(s)
    }

    /// `weightInBrackets` on Characters (any text).
    static func weightInBracketsByCharacters(_ s: ArraySlice<Unicode.Scalar>) -> TextKit.Number? {
        var text = TextKit.string(s.lazy.filter { !TextKit.isSpace($0) })
        for prefix in weightPrefixes where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
            if text.hasPrefix(":") { text.removeFirst() }
            break
        }
        guard let n = TextKit.parseNumber(text), n.unit != nil else { return nil }
        return n
    }

    /// Words that may come before the weight in brackets (`权重20%`, `分值：12分`), longest first where one
    /// starts another.
    static let weightPrefixes = ["权重分", "权重", "分值", "分数", "满分", "标准分"]
    static let weightPrefixScalars = weightPrefixes.map { Array($0.unicodeScalars) }

    /// Usual level-1 names of the 共性指标体系 (after an organisation glued in front).
    static let commonLevel1Names = [
        "部门决策", "部门管理", "部门绩效", "部门产出", "部门效益", "部门效果",
        "项目决策", "项目管理", "项目过程", "项目产出", "项目效益", "项目绩效", "满意度",
        "决策", "过程", "管理", "产出", "效益", "绩效",
    ]

    /// Last characters of an organisation's name (局, 委员会, 中心, …).
    static let organisationEndings = [
        "局", "委", "办", "院", "中心", "政府", "厅", "部", "委员会", "公司", "学校", "医院", "所", "站",
        "队", "处", "馆", "会", "社", "园", "台", "室", "科", "街道", "镇", "乡", "校", "团",
    ]

    /// Splits `昆明市盘龙区政务服务管理局部门决策` into (`昆明市盘龙区政务服务管理局`, `部门决策`) when the name ends
    /// in a usual level-1 name (or in `siblingCore`, the part the other level-1 names share) and what comes before
    /// ends like an organisation. Nil when there is no such split.
    static func splitOrganisation(_ name: String, siblingNames: [String]) -> (organisation: String, name: String)? {
        var candidates = commonLevel1Names
        // Sibling level-1 names such as 部门管理 / 部门绩效 share 部门: try every suffix of the name starting there.
        let prefix = commonPrefix(siblingNames)
        if prefix.count >= 2, let tail = lastSuffix(of: name, startingWith: prefix) {
            candidates.insert(tail, at: 0)
        }
        for c in candidates where name.hasSuffix(c) && name.count > c.count {
            let org = String(name.dropLast(c.count))
            guard org.count >= 2, organisationEndings.contains(where: { org.hasSuffix($0) }) else { continue }
            return (org, c)
        }
        return nil
    }

    /// The shortest suffix of `name` that starts with `prefix`.
    static func lastSuffix(of name: String, startingWith prefix: String) -> String? {
        let chars = Array(name)
        let p = Array(prefix)
        guard chars.count >= p.count else { return nil }
        var i = chars.count - p.count
        while i >= 0 {
            if Array(chars[i..<(i + p.count)]) == p { return String(chars[i...]) }
            i -= 1
        }
        return nil
    }

    static func commonPrefix(_ names: [String]) -> String {
        guard var p = names.first else { return "" }
        for n in names.dropFirst() {
            while !n.hasPrefix(p) { p.removeLast() }
        }
        return p
    }
}
