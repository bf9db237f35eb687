import Foundation

/// Normalises a 评分标准 text before recognition: full-width forms to ASCII, comparison words to symbols
/// (`不低于` → `≥`, `95%以上` → `≥95%`), steps (`每低于1%` → `每↓1%`), Chinese numerals before units
/// (`一项` → `1项`), spaces removed. Line breaks stay (they separate clauses).
public enum CriteriaPhrases {
    static let charMap: [Character: String] = [
        "％": "%", "＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "＝": "=", "（": "(", "）": ")", "：": ":",
        "／": "/", "＊": "*", "×": "*", "✕": "*", "﹥": ">", "﹤": "<", "．": ".", "～": "-", "~": "-", "—": "-",
        "－": "-", "–": "-", "，": ",", "；": ";", "。": "。", "、": "、", "\r": "\n", "⩾": "≥", "⩽": "≤",
        "＋": "+", "“": "\"", "”": "\"",
    ]

    static let numerals: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]

    /// Chinese numerals (up to 99) directly before a unit.
    static let chineseNumber = Rx("([零〇一二两三四五六七八九十]+)(?=[分项次例个处点天日%件起条名人周星季月万元篇期])")
    static let percentWords = Rx("(?:个)?百分点")
    static let percentOf = Rx("百分之(\\d+(?:\\.\\d+)?)")
    static let percentOfChinese = Rx("百分之([零〇一二两三四五六七八九十]+)")
    /// Units a count or amount is written with (no 天: days are deadlines).
    /// (个 but not 个月 or 个工作日: those are time, read by the deadline rules.)
    static let units = "(?:%|次|项|个(?!月|工作日)|人次|人|件|家|户|篇|场|期|名|条|份|万元|元|台|套|分|例|起|处|笔|所|座|批|辆|册|亩|吨)"
    /// `每低于1%`, `每少1个百分点`, `每低于目标值1%` (a few words between the verb and the number).
    static let stepDown = Rx("每(?:低于|降低|下降|减少|少于|少|减|差|低|未达)[^\\d,;。\\n]{0,6}?(\\d+(?:\\.\\d+)?)(\(units))")
    static let stepUp = Rx("每(?:超出|超过|高于|增加|多于|多|提高|上升|超|高)[^\\d,;。\\n]{0,6}?(\\d+(?:\\.\\d+)?)(\(units))")
    /// `少1次扣0.5分`, `下降1%扣0.1分` right after a separator: a step written without 每 (not `低于95%扣1分`, a
    /// flat deduction below a threshold).
    static let bareStepDown = Rx("(?<=[,;:。\\n]|^)(?:(?:少|减少|差)(\\d+(?:\\.\\d+)?)|(?:降低|下降)(1))(\(units))(?=扣)")
    /// `超1天扣0.1分`: lateness per day written without 每.
    static let bareDaysLate = Rx("(?<=[,;:。\\n]|^)(?:超|超期|逾期|延期|延迟|推迟)(\\d+(?:\\.\\d+)?)(个工作日|工作日|天|日)(?=扣)")
    static let inclusive = Rx("\\((?:含|不含)\\)")
    static let times = Rx("乘以|乘上")
    static let geWords = Rx("大于或等于|大于等于|不低于|不少于|不小于|不得低于")
    static let leWords = Rx("小于或等于|小于等于|不高于|不超过|不大于|不多于|不得高于|不得超过")
    static let gtWords = Rx("(?<![每↓↑])(?:高于|超过|大于|多于|超出)(?=\\d+(?:\\.\\d+)?\(units))")
    static let ltWords = Rx("(?<![每↓↑])(?:低于|小于|不足|未达到|未达|少于)(?=\\d+(?:\\.\\d+)?\(units))")
    static let reachWords = Rx("(?:达到|达)(?=\\d+(?:\\.\\d+)?\(units))")
    static let above = Rx("(\\d+(?:\\.\\d+)?\(units))(?:\\(含\\))?(?:及以上|或以上|以上)")
    static let below = Rx("(\\d+(?:\\.\\d+)?\(units))(?:\\(含\\))?(?:及以下|或以下|以下|以内)")
    static let reachOp = Rx("(?:达到|达)([≥≤<>])")
    /// `80至90`, `80%（含）至90%`, `80%到90%`: a range written with words.
    static let rangeTo = Rx("(\\d(?:%|分)?)(?:\\((?:含|不含)\\))?(?:至|到)(?=\\d)")
    static let spaces = Rx("[ \\t\\u00A0\\u3000]+")
    static let seriesSeparators = Rx("\\n+")

    public static func normalise(_ text: String) -> String {
        var s = ""
        s.reserveCapacity(text.utf8.count)
        for ch in text {
            if let r = charMap[ch] { s += r; continue }
            if let a = ch.asciiValue { s.append(Character(UnicodeScalar(a))); continue }
            // ⑴…⒇ (parenthesised numbers) and ⒈…⒛ (numbers with a full stop), as list markers are typed.
            if let u = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, u.value >= 0x2474, u.value <= 0x249B {
                s += u.value <= 0x2487 ? "(\(u.value - 0x2473))" : "\(u.value - 0x2487)."
                continue
            }
            // Full-width digits and letters.
            if let u = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, u.value >= 0xFF01, u.value <= 0xFF5E {
                s.append(Character(UnicodeScalar(u.value - 0xFEE0)!))
                continue
            }
            s.append(ch)
        }
        s = spaces.replace(s, "")
        s = rangeTo.replace(s, "$1-")
        s = s.replacingOccurrences(of: ">=", with: "≥").replacingOccurrences(of: "<=", with: "≤")
        s = percentWords.replace(s, "%")
        s = s.replacingOccurrences(of: "百分之百", with: "100%")
        s = percentOf.replace(s, "$1%")
        for m in percentOfChinese.matches(s).reversed() {
            if let v = chineseValue(m[1] ?? "") {
                s = s.utf16Slice(0, m.range.location) + "\(v)%" + s.utf16Slice(m.range.location + m.range.length, (s as NSString).length)
            }
        }
        s = replaceChineseNumbers(s)
        s = bareStepDown.replace(s, "每↓$1$2$3")
        s = bareDaysLate.replace(s, "每逾期$1$2")
        s = stepDown.replace(s, "每↓$1$2")
        s = stepUp.replace(s, "每↑$1$2")
        s = geWords.replace(s, "≥")
        s = leWords.replace(s, "≤")
        s = above.replace(s, "≥$1")
        s = below.replace(s, "≤$1")
        s = inclusive.replace(s, "")
        s = times.replace(s, "*")
        s = gtWords.replace(s, ">")
        s = ltWords.replace(s, "<")
        s = reachWords.replace(s, "≥")
        s = reachOp.replace(s, "$1")
        s = s.replacingOccurrences(of: "≥≥", with: "≥").replacingOccurrences(of: "≤≤", with: "≤")
        return s
    }

    static func replaceChineseNumbers(_ s: String) -> String {
        let ms = chineseNumber.matches(s)
        guard !ms.isEmpty else { return s }
        var out = ""
        var last = 0
        for m in ms {
            out += s.utf16Slice(last, m.range.location)
            let word = m[1] ?? ""
            out += chineseValue(word).map(String.init) ?? word
            last = m.range.location + m.range.length
        }
        out += s.utf16Slice(last, (s as NSString).length)
        return out
    }

    /// 一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十五 → 25; nil for anything else.
    public static func chineseValue(_ w: String) -> Int? {
        let chars = Array(w)
        guard !chars.isEmpty else { return nil }
        if let i = chars.firstIndex(of: "十") {
            let tens = i == 0 ? 1 : (i == 1 ? numerals[chars[0]] : nil)
            guard let t = tens else { return nil }
            let rest = chars[(i + 1)...]
            if rest.isEmpty { return t * 10 }
            guard rest.count == 1, let u = numerals[rest.first!] else { return nil }
            return t * 10 + u
        }
        guard chars.count == 1 else { return nil }
        return numerals[chars[0]]
    }
}
