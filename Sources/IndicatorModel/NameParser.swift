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
    private static let memo = SampledMemo<ParsedName>(capacity: 8192)

    /// The parts of an indicator cell (memoised: a pure function of the text).
    static func parse(_ raw: String) -> ParsedName {
        if let p = parseSimple(raw) { return p }
        return memo.value(raw) { parseUncached(raw) }
    }

    /// The common shapes (`A1.项目立项（12分）`, `A11.管理制度`, `项目决策（20%）`) read straight from the UTF-8 bytes,
    /// with the answer `parseUncached` gives; nil for any other text (the general parser answers then).
    ///
    /// The shape: an optional code (`A`–`Z`, ASCII digits, then `.` or `、` separators), a name of scalars
    /// U+4000–U+9FFF only (3-byte UTF-8 with lead byte E4–E9: no space, bracket, separator or foldable scalar
    /// among them), and optionally a weight `（N分）`, `（N%）`, `（N％）` (either bracket width) ending the text.
    /// Without a code the name must not start with a Chinese numeral (an enumerator such as `一、`).
    static func parseSimple(_ raw: String) -> ParsedName? {
        var s = raw
        return s.withUTF8 { u -> ParsedName? in
            let n = u.count
            guard n > 0 else { return nil }
            var i = 0
            var codeEnd = 0
            if u[0] >= 65 && u[0] <= 90 {
                var j = 1
                while j < n, u[j] >= 48 && u[j] <= 57 { j += 1 }
                codeEnd = j
                i = j
                while i < n {
                    if u[i] == 0x2E { i += 1 } else if i + 2 < n, u[i] == 0xE3, u[i + 1] == 0x80, u[i + 2] == 0x81 { i += 3 } else { break }
                }
            }
            let nameStart = i
            while i + 2 < n, u[i] >= 0xE4 && u[i] <= 0xE9 { i += 3 }
            guard i > nameStart else { return nil }
            if codeEnd == 0 {
                // An enumerator (`一、`) would be skipped by the general parser.
                let v = (UInt32(u[0] & 0x0F) << 12) | (UInt32(u[1] & 0x3F) << 6) | UInt32(u[2] & 0x3F)
                guard let first = Unicode.Scalar(v), !chineseNumerals.contains(first) else { return nil }
            }
            let nameEnd = i
            var weight: Double?
            var unit: WeightUnit?
            if i < n {
                // Opening bracket: `(` or `（` (EF BC 88).
                if u[i] == 0x28 { i += 1 } else if i + 2 < n, u[i] == 0xEF, u[i + 1] == 0xBC, u[i + 2] == 0x88 { i += 3 } else { return nil }
                let numberStart = i
                var intValue = 0
                var intDigits = 0
                while i < n, u[i] >= 48 && u[i] <= 57 { intValue = intValue &* 10 &+ Int(u[i] - 48); intDigits += 1; i += 1 }
                guard intDigits > 0 else { return nil }
                var fraction = false
                if i < n, u[i] == 0x2E {
                    i += 1
                    let f = i
                    while i < n, u[i] >= 48 && u[i] <= 57 { i += 1 }
                    guard i > f else { return nil }
                    fraction = true
                }
                let numberEnd = i
                // Unit: `%`, `％` (EF BC 85) or `分` (E5 88 86).
                if i < n, u[i] == 0x25 { unit = .percent; i += 1 }
                else if i + 2 < n, u[i] == 0xEF, u[i + 1] == 0xBC, u[i + 2] == 0x85 { unit = .percent; i += 3 }
                else if i + 2 < n, u[i] == 0xE5, u[i + 1] == 0x88, u[i + 2] == 0x86 { unit = .points; i += 3 }
                else { return nil }
                // Closing bracket, and nothing after it: `)` or `）` (EF BC 89).
                if i + 1 == n, u[i] == 0x29 { i += 1 } else if i + 3 == n, u[i] == 0xEF, u[i + 1] == 0xBC, u[i + 2] == 0x89 { i += 3 } else { return nil }
                if !fraction && intDigits <= 15 {
                    weight = Double(intValue)
                } else {
                    // The general parser's exact rounding (`Double(String)`).
                    guard let d = Double(String(decoding: UnsafeBufferPointer(rebasing: u[numberStart..<numberEnd]), as: UTF8.self)) else { return nil }
                    weight = d
                }
            }
            // The strings are made here, from the bytes (one pass over the text in all).
            let code = codeEnd > 0 ? String(decoding: UnsafeBufferPointer(rebasing: u[0..<codeEnd]), as: UTF8.self) : nil
            let name = String(decoding: UnsafeBufferPointer(rebasing: u[nameStart..<nameEnd]), as: UTF8.self)
            return ParsedName(code: code, name: name, weight: weight, unit: unit, note: nil)
        }
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
        if weight == nil, let trailing = trailingPoints(folded, from: i) {
            // `A1项目立项12分`, `项目决策 20分`: a weight glued to the end without brackets.
            weight = trailing.value
            unit = .points
            nameEnd = trailing.start
        }
        if code == nil { i = afterEnumerator(folded, from: i, end: nameEnd) }
        let name = TextKit.clean(TextKit.string(original[i..<nameEnd]))
        return ParsedName(code: code, name: name, weight: weight, unit: unit, note: note)
    }

    /// A weight written after the name without brackets: `项目立项12分`, `项目决策 20分`, `项目立项：2.5分`.
    /// The number must follow a name (at least two scalars before it, the last an ideograph or a separator) and
    /// not a word that makes it a condition or an amount (`满意度达90分`, `得5分`, `第2分`, `≥90分`).
    /// Nil when the text does not end so. `start`: where the name ends (before separators and the number).
    static func trailingPoints(_ s: [Unicode.Scalar], from nameStart: Int) -> (value: Double, start: Int)? {
        var end = s.count
        while end > nameStart, TextKit.isSpace(s[end - 1]) { end -= 1 }
        guard end - nameStart >= 4, s[end - 1] == "分" else { return nil }
        var j = end - 1
        while j > nameStart, TextKit.isSpace(s[j - 1]) { j -= 1 }
        let numberEnd = j
        while j > nameStart, TextKit.digit(s[j - 1]) != nil || s[j - 1] == "." { j -= 1 }
        guard j < numberEnd, TextKit.digit(s[j]) != nil, let v = TextKit.parseDecimal(s[j..<numberEnd]) else { return nil }
        var k = j
        while k > nameStart, TextKit.isSpace(s[k - 1]) || trailingWeightSeparators.contains(s[k - 1]) { k -= 1 }
        guard k - nameStart >= 2 else { return nil }
        let before = s[k - 1]
        guard TextKit.digit(before) == nil else { return nil }
        let separated = k < j
        guard separated || (before.value >= 0x4E00 && before.value <= 0x9FFF) else { return nil }
        guard !trailingWeightBlockers.contains(before) else { return nil }
        return (v, k)
    }

    static let trailingWeightSeparators: Set<Unicode.Scalar> = [":", "-", "—", "–", "/", ",", "、", "·"]
    /// Words right before a trailing `N分` that make it part of the name, not a weight.
    static let trailingWeightBlockers: Set<Unicode.Scalar> = [
        "达", "到", "于", "得", "扣", "计", "满", "第", "每", "约", "超", "低", "高", "近", "共", "为", "至", "及", "加", "减", "分", "是", "在",
        "≥", "≤", ">", "<", "=", "≧", "≦", "＞", "＜", "~", "～",
    ]

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
