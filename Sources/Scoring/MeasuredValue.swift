import Foundation
import SheetCore

/// A measured value as people write it in a measures file or a 实际完成值 cell.
public enum MeasuredValue: Sendable, Hashable, CustomStringConvertible {
    /// A plain number: `0.9686`, `127`, `7474490.38`.
    case number(Double)
    /// A percentage, in percent: `96.86%` → 96.86.
    case percent(Double)
    /// A quotient written out: `7474490.38/7716520`.
    case ratio(Double, Double)
    /// A count with its unit: `2次`, `1项`, `127人`.
    case count(Double, unit: String)
    /// Days late: `超期12天` → 12, `按时` → 0.
    case days(Double)
    /// `是`/`否`, `TRUE`/`FALSE`, `√`/`×`.
    case yesNo(Bool)
    /// A score in points, written with 分: `4分`.
    case points(Double)
    /// Checklist items: `①③` → ["①", "③"], `a,c` → ["a", "c"].
    case items([String])
    /// Anything else: a level (`有效执行`, `达成`), a label.
    case text(String)

    public var description: String {
        switch self {
        case .number(let v): return ScoreFormat.number(v, decimals: 6)
        case .percent(let v): return ScoreFormat.number(v, decimals: 4) + "%"
        case .ratio(let a, let b): return "\(ScoreFormat.number(a, decimals: 6))/\(ScoreFormat.number(b, decimals: 6))"
        case .count(let v, let u): return ScoreFormat.number(v, decimals: 6) + u
        case .days(let d): return d == 0 ? "按时" : "超期\(ScoreFormat.number(d))天"
        case .yesNo(let b): return b ? "是" : "否"
        case .points(let v): return ScoreFormat.number(v) + "分"
        case .items(let i): return i.joined(separator: ",")
        case .text(let t): return t
        }
    }

    /// The kind as a word, for JSON and messages.
    public var kind: String {
        switch self {
        case .number: return "number"
        case .percent: return "percent"
        case .ratio: return "ratio"
        case .count: return "count"
        case .days: return "days"
        case .yesNo: return "yesNo"
        case .points: return "points"
        case .items: return "items"
        case .text: return "text"
        }
    }

    static let yesWords: Set<String> = ["是", "y", "yes", "true", "√", "✓", "✔", "对", "有", "已", "完成", "全部完成"]
    static let noWords: Set<String> = ["否", "n", "no", "false", "×", "✗", "✘", "x", "未", "未完成"]
    static let zeroCountWords: Set<String> = ["无", "没有", "零", "未发现", "不存在", "未出现", "0", "未发生", "没有发生", "无问题",
                                              "未发现问题", "无投诉", "无事故", "未发生事故"]
    static let onTimeWords: Set<String> = ["按时", "如期", "按期", "准时", "未超期", "无超期", "未逾期", "按时完成", "年度内完成", "及时",
                                           "按期完成", "如期完成", "按时完工", "按期完工", "已按时完成", "已按期完成", "及时完成"]
    static let thousandsRx = Rx("(?<=\\d),(?=\\d{3}(?:\\D|$))")
    static let percentRx = Rx("^([+-]?\\d+(?:\\.\\d+)?)%$")
    static let ratioRx = Rx("^(\\d+(?:\\.\\d+)?)/(\\d+(?:\\.\\d+)?)$")
    static let countRx = Rx("^(\\d+(?:\\.\\d+)?)(人次|户次|次|项|例|个|处|点|起|件|条|笔|人|名|家|户|元|千元|万元|万|亿元|台|套|篇|场|期|份|所|座|批|辆|册|本|亩|吨|公里|平方米|节点)$")
    static let daysRx = Rx("^(?:超期|逾期|延期|延迟|超出|超时|推迟|滞后|晚)?(\\d+(?:\\.\\d+)?)(个工作日|工作日|天|日|周|星期|个月)$")

    /// Days in a unit of lateness: a week is 7 days, a month 30.
    static func daysPer(_ unit: String?) -> Double {
        switch unit {
        case "周", "星期": return 7
        case "个月", "月": return 30
        default: return 1
        }
    }
    static let pointsRx = Rx("^(\\d+(?:\\.\\d+)?)分$")
    static let numberRx = Rx("^[+-]?\\d+(?:\\.\\d+)?$")
    static let circledRx = Rx("^[①-⑳,、;\\s]+$")
    static let lettersRx = Rx("^[a-hA-H](?:[,、;\\s]*[a-hA-H])*$")

    /// Reads a text as written. Thousands separators (`7,716,520`), full-width digits and signs, and spaces
    /// are tolerated. Returns nil for an empty text.
    /// - Parameter lenient: also read the value inside a note or words (`96.86%（抽查）`, `约96%`, `两次`); off for
    ///   scores, which must be written as numbers.
    public static func parse(_ raw: String, lenient: Bool = true) -> MeasuredValue? {
        var s = ""
        for ch in raw {
            if let u = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, u.value >= 0xFF01, u.value <= 0xFF5E {
                s.append(Character(UnicodeScalar(u.value - 0xFEE0)!))
            } else if let u = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, u.value >= 0x2474, u.value <= 0x2487 {
                // ⑴…⒇: the items (1)…(20) as a list marker is typed.
                s += "(\(u.value - 0x2473))"
            } else if ch == "\u{3000}" || ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\u{A0}" {
                continue
            } else {
                s.append(ch)
            }
        }
        guard !s.isEmpty else { return nil }
        // -, /, —, N/A, 不适用: nothing measured (the leaf is reported as without a value).
        if notApplicableWords.contains(s.lowercased()) { return nil }
        let v = parseWritten(s)
        guard lenient, case .text = v else { return v }
        // 96.86%（抽查）, 约96%, 共2次, 两次, 提前3天: the value without the note, the approximation or the words
        // around it, when that reads as something other than text.
        for alt in alternatives(s) {
            let w = parseWritten(alt)
            if case .text = w { continue }
            return w
        }
        return v
    }

    static let notApplicableWords: Set<String> = ["-", "--", "/", "—", "——", "n/a", "na", "#n/a", "不适用", "无数据", "暂无"]
    static let trailingNoteRx = Rx("^(.+?)\\([^()]*\\)$")
    static let approximateRx = Rx("^(?:约为|约|大约|近|≈|共计|共|累计|合计|总计|全年|实际完成|实际|完成了|完成|达到|达)(?=[\\d零〇一二两三四五六七八九十])")
    static let earlyRx = Rx("^(?:提前|已提前)(?:\\d+(?:\\.\\d+)?(?:个工作日|工作日|天|日|周|个月))?(?:完成|完工|交付)?$")

    static func alternatives(_ s: String) -> [String] {
        var out: [String] = []
        var t = s
        if let m = trailingNoteRx.first(t), let head = m[1] {
            t = head
            out.append(t)
        }
        if approximateRx.test(t) {
            t = approximateRx.replace(t, "")
            out.append(t)
        }
        let numerals = CriteriaPhrases.replaceChineseNumbers(t)
        if numerals != t { out.append(numerals) }
        if earlyRx.test(s) { out.append("按时") }
        return out
    }

    /// `parse` without the alternatives.
    static func parseWritten(_ s: String) -> MeasuredValue {
        let lower = s.lowercased()
        if yesWords.contains(lower) { return .yesNo(true) }
        if noWords.contains(lower) { return .yesNo(false) }
        if zeroCountWords.contains(s) { return .count(0, unit: "") }
        if onTimeWords.contains(s) { return .days(0) }
        // Thousands separators inside numbers: 7,716,520.00.
        let compact = thousandsRx.replace(s, "")
        if let m = percentRx.first(compact), let v = m.double(1) { return .percent(v) }
        if let m = ratioRx.first(compact), let a = m.double(1), let b = m.double(2) { return .ratio(a, b) }
        if let m = pointsRx.first(compact), let v = m.double(1) { return .points(v) }
        if let m = daysRx.first(compact), let v = m.double(1) { return .days(v * daysPer(m[2])) }
        if let m = countRx.first(compact), let v = m.double(1) { return .count(v, unit: m[2] ?? "") }
        if numberRx.test(compact), let v = Double(compact) { return .number(v) }
        if circledRx.test(s) { return .items(s.compactMap { ch in ch >= "①" && ch <= "⑳" ? String(ch) : nil }) }
        if s.count <= 15, lettersRx.test(s) {
            return .items(s.compactMap { $0.isLetter ? String($0).lowercased() : nil })
        }
        return .text(s)
    }

    /// Reads a cell: numbers stay numbers, booleans yes/no, strings are parsed.
    public static func from(_ cell: CellValue, lenient: Bool = true) -> MeasuredValue? {
        switch cell {
        case .empty: return nil
        case .number(let d): return .number(d)
        case .bool(let b): return .yesNo(b)
        case .string(let s): return parse(s, lenient: lenient)
        case .date, .error: return .text(cell.text)
        }
    }

    /// The value as a fraction (0.9686) for rate rules: percents divided by 100, ratios divided out,
    /// plain numbers up to 2 taken as fractions (`0.9686`, `1.05`) and larger ones as percents (`96.86`).
    public var fraction: Double? {
        switch self {
        case .percent(let p): return p / 100
        case .ratio(let a, let b): return b == 0 ? nil : a / b
        case .number(let n): return abs(n) <= 2 ? n : n / 100
        default: return nil
        }
    }

    /// A count of items/incidents: `2次`, `2`, `无`.
    public var count: Double? {
        switch self {
        case .count(let c, _): return c
        case .number(let n) where n >= 0 && n == n.rounded(): return n
        default: return nil
        }
    }
}
