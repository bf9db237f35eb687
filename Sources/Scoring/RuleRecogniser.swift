import Foundation
import SheetCore

/// Reads the 评分标准 text of a leaf into a `Rule`.
///
/// Table-driven: the text is normalised (`CriteriaPhrases`), cut into clauses at each outcome phrase
/// (得满分 / 不得分 / 得X分 / 得权重的X% / 扣X分 / 扣权重的X% / ×标准分 / 酌情…), each clause keeps its
/// condition (label, comparisons such as `≥95%`, steps such as `每低于1%`, counts such as `一项`), and the
/// rule kind follows from the shape of the clauses. A text that does not fit a shape with confidence
/// becomes a `manual` rule: never a guess.
public enum RuleRecogniser {
    /// Rules below this confidence are turned into `manual`.
    public static let minimumConfidence = 0.6

    // MARK: Phrase tables

    enum Outcome: Equatable {
        case award(Award)
        case deduct(Amount)
        case proportional
        /// `得分=满意度×5`: proportional when the number is the weight.
        case scaled(Double)
        case discretionary(Double?, Double?)
    }

    /// Outcome phrases, in priority order (at the same start, the first listed and then the longest wins).
    static let outcomePatterns: [(Rx, (Rx.Match) -> Outcome?)] = [
        (Rx("(?:酌情|视情况|视[^,;。\\n]{0,8}情况)(?:得|给|计|评|打)?分?\\(?(\\d+(?:\\.\\d+)?)分?-(\\d+(?:\\.\\d+)?)分\\)?"),
         { .discretionary($0.double(1), $0.double(2)) }),
        (Rx("(?:得|给|计|记)(\\d+(?:\\.\\d+)?)-(\\d+(?:\\.\\d+)?)分"), { .discretionary($0.double(1), $0.double(2)) }),
        (Rx("(?:酌情|视情况|视[^,;。\\n\\d]{0,8}?(?:情况|程度|情节|轻重|质量|效果))(?:酌情)?(?:进行)?(?:扣分|扣减|得分|评分|打分|给分|计分)分?"), { _ in .discretionary(nil, nil) }),
        (Rx("(?:该指标|该项|此项|本项)?(?:不得分|不计分|不给分|不记分|(?:得|计|记|给)0分)"), { _ in .award(.zero) }),
        (Rx("(?:得|计|记|给)?满分(?![为是:]?\\d)"), { _ in .award(.full) }),
        (Rx("(?:得|计|记|给)(?:该项|本项|此项|该指标|本指标)?(?:权重|分值|标准分|满分)分?(?:\\(\\d+(?:\\.\\d+)?分\\))?的(\\d+(?:\\.\\d+)?)%"),
         { $0.double(1).map { .award(.init(.share, $0 / 100)) } }),
        (Rx("(?:得|计|记|给)(\\d+(?:\\.\\d+)?)分"), { $0.double(1).map { .award(.init(.points, $0)) } }),
        (Rx("(?:得|计|记|给)(\\d+(?:\\.\\d+)?)%(?:的?(?:分值|权重|权重分|标准分))?(?![≥≤<>\\d])"),
         { $0.double(1).map { .award(.init(.share, $0 / 100)) } }),
        (Rx("(?<=[,:])(\\d+(?:\\.\\d+)?)分(?=[;。\\n]|$)"), { $0.double(1).map { .award(.init(.points, $0)) } }),
        (Rx("扣(?:除|减)?(?:该项|本项|此项|该指标|本指标)?(?:权重|分值|标准分|总分)分?(?:\\(\\d+(?:\\.\\d+)?分\\))?的(\\d+(?:\\.\\d+)?)%"),
         { $0.double(1).map { .deduct(.share($0 / 100)) } }),
        (Rx("按(?:权重|分值|标准分)分?(?:\\(\\d+(?:\\.\\d+)?分\\))?的(\\d+)/(\\d+)(?:扣分|扣除|扣减)"),
         { m in m.double(1).flatMap { a in m.double(2).flatMap { b in b > 0 ? .deduct(.share(a / b)) : nil } } }),
        (Rx("扣(?:除|减)?(?:权重|分值|标准分)分?(?:\\(\\d+(?:\\.\\d+)?分\\))?的(\\d+)/(\\d+)"),
         { m in m.double(1).flatMap { a in m.double(2).flatMap { b in b > 0 ? .deduct(.share(a / b)) : nil } } }),
        (Rx("(?:扣(?:除|减)?|减)(\\d+(?:\\.\\d+)?)分"), { $0.double(1).map { .deduct(.points($0)) } }),
        // 按权重的60%计分, 得分为分值的60%.
        (Rx("(?:按|得分为|得分按)(?:该项|本项|该指标)?(?:权重|分值|标准分|满分)分?(?:\\(\\d+(?:\\.\\d+)?分\\))?的(\\d+(?:\\.\\d+)?)%(?:计分|得分|计算|赋分|给分|计)?"),
         { $0.double(1).map { .award(.init(.share, $0 / 100)) } }),
        (Rx("(?:按|以)?(?:完成)?比例(?:得分|计分|计算得分|计算|记分|赋分)"), { _ in .proportional }),
        (Rx("按(?:实际)?(?:完成|执行|达成|到位|使用)(?:率|比例|程度)(?:计算|折算)?(?:得分|计分|赋分|记分)"), { _ in .proportional }),
        (Rx("[*](?:100%[*])?(?:该指标|该项|本项|此项|本指标)?的?(?:标准分|分值|权重分?|满分|指标分值)"), { _ in .proportional }),
        (Rx("(?<=[率度数值比])[*](\\d+(?:\\.\\d+)?)分?(?=[;。\\n,]|$)"), { $0.double(1).map { .scaled($0) } }),
        // 分值×完成率: the product written the other way round.
        (Rx("(?:该项|本项|该指标)?(?:标准分|分值|权重分?|指标分值)[*]\\p{Han}{0,8}?(?:率|度)(?=[;。\\n,]|$)"), { _ in .proportional }),
        // ①…（0.5分）；②…（1分）: an item's points in brackets after its text (not `满分（2分）`).
        (Rx("(?<![分%])\\((\\d+(?:\\.\\d+)?)分\\)(?=[;。\\n,]|$)"), { $0.double(1).map { .award(.init(.points, $0)) } }),
        // 以下每项0.5分：①…；②…: what each item met earns, written without 得.
        (Rx("(?<=每[项个条点处])(\\d+(?:\\.\\d+)?)分"), { $0.double(1).map { .award(.init(.points, $0)) } }),
    ]

    static let circledMarkers: Set<Character> = Set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
    static let markerRx = Rx("(?:^|(?<=[;。\\n,:]))(?:([①-⑳])|\\(?([1-9])\\)[、.]?|([a-hA-H])[.、)]|([1-9])[.、](?=\\p{Han})|([一二三四五六七八九十])、)")
    static let comparisonRx = Rx("([≥≤<>=])(\\d+(?:\\.\\d+)?)(" + CriteriaPhrases.units + ")")
    static let reversedComparisonRx = Rx("(\\d+(?:\\.\\d+)?)(" + CriteriaPhrases.units + ")([≥≤<>])(?!\\d)")
    static let stepRx = Rx("每([↓↑])(\\d+(?:\\.\\d+)?)(" + CriteriaPhrases.units + ")")
    static let countRx = Rx("(每|存在|有|出现|发现|一旦)?[^,;。\\n]{0,10}?(\\d+)?(项|次|例|个|处|点|起|件|条|笔|季度|月|篇|期)")
    /// `以下每项`: the unit counted, when the count pattern's first match took the text before 每.
    static let eachUnitRx = Rx("每(?:\\d+)?(项|次|例|个|处|点|起|件|条|笔|季度|月|篇|期)")
    /// `2项不合格`, `发现3次`: the count a clause states.
    static let leadingCountRx = Rx("(?:^|[^\\d.])(\\d+)(?:项|次|例|个|处|点|起|件|条|笔)")
    static let oneCountRx = Rx("(?:^|[^\\d.])1(项|次|例|个|处|点|起|件|条)")
    static let daysRx = Rx("(?:超出|超过|超期|逾期|延期|延迟|推迟|晚于|滞后)[^,;。\\n\\d]{0,8}(\\d+(?:\\.\\d+)?)个?(工作日|天|日|周|星期|月)")
    static let failWordsRx = Rx("不符合|不合理|不合规|不规范|不完整|不满足|不达标|不健全|不明确|缺少|缺失|未按(?:照)?(?:规定|要求)|不按(?:照)?(?:规定|要求)")
    static let metricRx = Rx("([\\p{Han}\"“”]{2,14}?)(?:[≥≤<>=]\\d|=|\\()")
    static let rateRx = Rx("([\\p{Han}]{1,10}(?:率|度))")
    static let untilZeroRx = Rx("扣完为止|扣完即止|直至扣完|最低0分|最低为0分|扣至0分")
    static let rangeWordsRx = Rx("区间内|之间按|之间的按|区间按|线性|按比例扣|按比例得|按比例计|中间值")
    static let bareRangeRx = Rx("(\\d+(?:\\.\\d+)?)%?-(\\d+(?:\\.\\d+)?)%")
    static let barePercentRx = Rx("(?<![\\d.*/])(\\d+(?:\\.\\d+)?)%$")
    /// `1-2次`, `80-89分`: a range of counts or points (both ends included, as whole numbers are written).
    static let countRangeRx = Rx("(?<![\\d.])(\\d+(?:\\.\\d+)?)(?:次|项|个|例|起|处|件|条|篇|人|名|分)?-(\\d+(?:\\.\\d+)?)(次|项|个|例|起|处|件|条|篇|人|名|分)")
    /// `3次得权重的75%`: a count the condition ends with (not 每3次).
    static let bareCountRx = Rx("(?<![每\\d.↓↑])(\\d+)(?:次|项|个|篇|场|期|家|户|件|条|例|起|处)$")
    /// `投诉次数为0得满分`, `差错数为0次的`: a count stated with 为/是/等于.
    static let statedCountRx = Rx("(?:为|是|等于|=)(\\d+(?:\\.\\d+)?)(次|项|个|例|起|处|件|条|篇)?$")
    /// `完成年度目标任务的，得满分`: the full tier stated in words (taken as 100%).
    static let targetWordsRx = Rx("完成(?:年度|全年|全部|既定|预定|预期|计划)?(?:的)?(?:绩效)?(?:目标|任务|计划)|达到(?:年度|预期|既定)?(?:目标|预期)|足额完成|全额完成")
    /// Texts that extrapolate (以此类推) or measure both ways (±5%以内): read by a person.
    static let unreadableRx = Rx("以此类推|依此类推|依次类推|类推|±|\\+/-|每偏离|每偏差|(?<![\\d.])(?:1|100%)-\\p{Han}[^,;。\\n=]*[*](?:该项|本项|该指标)?(?:标准分|分值|权重|满分)|(?:分值|权重|标准分)/\\d")
    /// `完成率/95%×分值`: a value divided by a percentage (only the full condition's, else manual).
    static let percentDivisorRx = Rx("/(\\d+(?:\\.\\d+)?)%")
    /// `优：90分以上`, `良好:80-89分`: a grade's name before a colon.
    static let gradeNameRx = Rx("^(\\p{Han}{1,4}):")
    /// `以100%为标准`: the edge of the full score, named without a comparison.
    static let standardRx = Rx("以(\\d+(?:\\.\\d+)?)%?为(?:标准|基准|目标|满分标准|上限|下限)")
    /// 且/并且/同时/或: a condition made of two.
    static let compoundRx = Rx("且|同时|或")
    /// A clause that states a fact (not "otherwise"): 抽查发现重大质量问题的，本项不得分.
    static let factWordsRx = Rx("发现|存在|出现|发生|一旦|一经|一票否决|违规|违纪|违法|事故")
    /// 每偏离1%扣…: a step in percent is never a count of incidents.
    static let percentStepRx = Rx("每[^,;。\\n\\d]{0,6}\\d+(?:\\.\\d+)?%")
    /// 逾期30天以内, 超期10天以上: a limit in days (tiers over lateness).
    static let dayLimitRx = Rx("(?:逾期|超期|延期|滞后|推迟|延迟|超出|超过)(\\d+(?:\\.\\d+)?)个?(工作日|天|日|周|月)(以内|之内|内|以下|及以下|以上|及以上)")
    static let onTimeRx = Rx("按期|按时|如期|准时|规定时间内|规定期限内|计划时间内|约定时间内")
    static let capRx = Rx("(?:最多|最高|至多|累计最多|累计最高|上限)(?:扣|扣除|扣减)?(\\d+(?:\\.\\d+)?)分|扣分上限(?:为)?(\\d+(?:\\.\\d+)?)分|(?:累计)?扣(?:分|除|减)?(?:≤|不超过|最多|至多|以)(\\d+(?:\\.\\d+)?)分(?:为限)?")
    static let allWordsRx = Rx("全部|全面|完全|所有|100%")
    static let vetoWordsRx = Rx("一旦|一经|存在|发现|出现|发生|有")

    struct Clause {
        var marker: String?
        /// Everything between the previous outcome and this one.
        var condition: String
        /// The last comma-part of the condition, as a level label.
        var label: String
        var outcome: Outcome
        var comparisons: [Comparison]
        var step: (up: Bool, size: Double, unit: String)?
        var hasEach: Bool
        var countUnit: String?
        var days: Double?
        /// The comparisons are days late (逾期30天以内).
        var dayLimit = false
        /// The comparisons come from a range written with a dash (80%-90%), whose ends the text leaves open.
        var bareRange = false
    }

    // MARK: Entry point

    private struct MemoKey: Hashable {
        var criteria: TextKey
        var weight: Double
    }

    /// Rules already recognised: a batch repeats the same criteria texts in every workbook.
    private static let memo = MemoCache<MemoKey, Rule>(capacity: 8192)

    /// Reads `criteria` (the 评分标准 text) for a leaf of `weight` points (memoised: a pure function of both).
    public static func recognise(_ criteria: String, weight: Double) -> Rule {
        memo.value(MemoKey(criteria: TextKey(criteria), weight: weight)) { recogniseUncached($0.criteria.text, weight: $0.weight) }
    }

    /// The part of recognising a text that does not depend on the weight: the text normalised with its cap
    /// (最多扣X分) cut out, and its clauses. Nil for a blank text.
    struct Prepared {
        var text: String
        var cap: Double?
        var clauses: [Clause]
    }

    /// Texts already prepared: the same 评分标准 comes with many different weights (a batch sees a few texts
    /// but dozens of text-and-weight pairs), and preparing is most of the cost of recognising.
    private static let preparedMemo = MemoCache<TextKey, Prepared?>(capacity: 8192)

    static func prepared(_ criteria: String) -> Prepared? {
        preparedMemo.value(TextKey(criteria)) { prepareUncached($0.text) }
    }

    static func prepareUncached(_ criteria: String) -> Prepared? {
        let raw = criteria.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !raw.isEmpty else { return nil }
        var text = CriteriaPhrases.normalise(raw)
        var cap: Double?
        if let m = capRx.first(text) {
            cap = m.double(1) ?? m.double(2) ?? m.double(3)
            text = capRx.replace(text, "")
        }
        return Prepared(text: text, cap: cap, clauses: clauses(text))
    }

    static func recogniseUncached(_ criteria: String, weight: Double) -> Rule {
        guard let prepared = prepared(criteria) else { return .manual(weight: weight, sourceText: criteria, note: "无评分标准") }
        let text = prepared.text, cap = prepared.cap, clauses = prepared.clauses
        guard !clauses.isEmpty else {
            return .manual(weight: weight, sourceText: criteria, note: "评分标准中未找到得分或扣分的表述")
        }
        var rule = classify(text, clauses, weight: weight) ?? .manual(weight: weight, sourceText: criteria,
                                                                       note: "评分标准的结构无法可靠识别")
        rule.sourceText = criteria
        rule.weight = weight
        if let cap, [.threshold, .subtractive, .perIncident, .deadline].contains(rule.kind) {
            rule.parameters.maxDeduction = cap
        }
        if rule.kind != .manual && rule.confidence < minimumConfidence {
            return .manual(weight: weight, sourceText: criteria,
                           note: "识别把握不足（\(rule.kind.rawValue)，\(ScoreFormat.number(rule.confidence))）：" + (rule.note ?? ""))
        }
        return rule
    }

    // MARK: Clauses

    static func clauses(_ text: String) -> [Clause] {
        // All outcome matches, earliest first, overlaps dropped.
        var found: [(range: NSRange, outcome: Outcome, order: Int)] = []
        for (i, (rx, make)) in outcomePatterns.enumerated() {
            for m in rx.matches(text) {
                if let o = make(m) { found.append((m.range, o, i)) }
            }
        }
        found.sort { a, b in
            a.range.location != b.range.location ? a.range.location < b.range.location
                : (a.order != b.order ? a.order < b.order : a.range.length > b.range.length)
        }
        var kept: [(range: NSRange, outcome: Outcome)] = []
        var end = 0
        for f in found where f.range.location >= end {
            kept.append((f.range, f.outcome))
            end = f.range.location + f.range.length
        }
        var result: [Clause] = []
        var start = 0
        for k in kept {
            let cond = text.utf16Slice(start, k.range.location)
            start = k.range.location + k.range.length
            result.append(makeClause(cond, k.outcome))
        }
        return result
    }

    static func makeClause(_ rawCondition: String, _ outcome: Outcome) -> Clause {
        var cond = rawCondition.trimmingCharacters(in: CharacterSet(charactersIn: ",;。\n:、 "))
        // The item marker: the last marker in the condition starts this clause's own text.
        var marker: String?
        if let m = markerRx.matches(cond).last {
            marker = m[1] ?? m[2].map { "(\($0))" } ?? m[3]?.lowercased() ?? m[4].map { "(\($0))" }
                ?? m[5].flatMap { CriteriaPhrases.chineseValue($0) }.map { "(\($0))" }
            let after = cond.utf16Slice(m.range.location + m.range.length, (cond as NSString).length)
            cond = after
            // `c.…。符合所有条件，得满分`: a sentence after the item belongs to no item.
            if let lastSep = lastHardSeparator(cond.trimmingCharacters(in: CharacterSet(charactersIn: ",;。\n:、 "))) {
                let trimmed = cond.trimmingCharacters(in: CharacterSet(charactersIn: ",;。\n:、 "))
                let tail = String(trimmed[trimmed.index(after: lastSep)...])
                if !tail.isEmpty { cond = tail; marker = nil }
            }
        } else if let lastSep = lastHardSeparator(cond) {
            // Keep only the text after the last ; or 。 or line break: earlier parts are a preamble.
            let tail = String(cond[cond.index(after: lastSep)...])
            if !tail.isEmpty { cond = tail }
        }
        cond = cond.trimmingCharacters(in: CharacterSet(charactersIn: ",;。\n:、 "))
        var label = cond
        if let comma = label.lastIndex(where: { $0 == "," || $0 == ":" }) {
            let tail = String(label[label.index(after: comma)...])
            if !tail.isEmpty { label = tail }
        }
        label = label.trimmingCharacters(in: CharacterSet(charactersIn: ",;。\n:、 "))
        if label.hasSuffix("的") { label.removeLast() }
        if label.hasSuffix("时") && label.count >= 4 { label.removeLast() }
        var comps: [Comparison] = []
        var stepped = cond
        var step: (Bool, Double, String)?
        if let s = stepRx.first(cond), let size = s.double(2) {
            step = (s[1] == "↑", size, s[3] ?? "%")
            stepped = stepRx.replace(cond, "")
        }
        for m in comparisonRx.matches(stepped) {
            if let op = Comparison.Op(rawValue: m[1] ?? ""), let v = m.double(2) {
                comps.append(Comparison(op, v, percent: m[3] == "%"))
            }
        }
        for m in reversedComparisonRx.matches(stepped) {
            if let op = Comparison.Op(rawValue: m[3] ?? ""), let v = m.double(1) {
                comps.append(Comparison(op.flipped, v, percent: m[2] == "%"))
            }
        }
        var bareRange = false
        if comps.isEmpty, let m = bareRangeRx.first(stepped), let a = m.double(1), let b = m.double(2), a != b {
            // 80%-90%: from the lower (inclusive) to the upper (exclusive).
            comps = [Comparison(.ge, Swift.min(a, b)), Comparison(.lt, Swift.max(a, b))]
            bareRange = true
        }
        if comps.isEmpty, let m = countRangeRx.first(stepped), let a = m.double(1), let b = m.double(2), a < b {
            // 1-2次, 80-89分: both ends included (the tiers' order settles a shared end).
            comps = [Comparison(.ge, a, percent: false), Comparison(.le, b, percent: false)]
        }
        if comps.isEmpty, case .award = outcome, let m = statedCountRx.first(stepped), let v = m.double(1) {
            // 投诉次数为0得满分: exactly none; 为5次: reaching it.
            comps = [Comparison(v == 0 ? .le : .ge, v, percent: false)]
        }
        if comps.isEmpty, case .award(let a) = outcome, a.value > 0, a.kind == .points || a.value < 1, !cond.contains("每"),
           let m = bareCountRx.first(stepped), let v = m.double(1) {
            // 3次得权重的75% (a middle tier, not 存在1例不得分 or 0次得满分): reaching the count (the tiers' order
            // settles the rest).
            comps = [Comparison(.ge, v, percent: false)]
        }
        if comps.isEmpty, case .award = outcome, let m = barePercentRx.first(stepped), let v = m.double(1) {
            // 完成率100%得满分, 满意度90%得10分: reaching the number.
            comps = [Comparison(.ge, v)]
        }
        var unit: String?
        for m in countRx.matches(cond) where m[1] != nil || m[2] != nil {
            unit = m[3]
            break
        }
        if unit == nil, let m = eachUnitRx.first(cond) { unit = m[1] }
        let days = daysRx.first(cond).flatMap { m in m.double(1).map { $0 * MeasuredValue.daysPer(m[2]) } }
        var dayLimit = false
        if comps.isEmpty, let m = dayLimitRx.first(cond), let d = m.double(1) {
            let within = ["以内", "之内", "内", "以下", "及以下"].contains(m[3] ?? "")
            comps = [Comparison(within ? .le : .ge, d * MeasuredValue.daysPer(m[2]), percent: false)]
            dayLimit = true
        }
        var clause = Clause(marker: marker, condition: cond, label: label, outcome: outcome, comparisons: comps,
                            step: step, hasEach: cond.contains("每"), countUnit: unit, days: days)
        clause.dayLimit = dayLimit
        clause.bareRange = bareRange
        return clause
    }

    static func lastHardSeparator(_ s: String) -> String.Index? {
        s.lastIndex(where: { $0 == ";" || $0 == "。" || $0 == "\n" })
    }

    // MARK: Classification

    static func classify(_ text: String, _ clauses: [Clause], weight: Double) -> Rule? {
        func rule(_ kind: RuleKind, _ p: RuleParameters, _ confidence: Double, _ note: String? = nil) -> Rule {
            Rule(kind: kind, parameters: p, weight: weight, sourceText: text, confidence: confidence, note: note)
        }
        var clauses = clauses
        for i in clauses.indices {
            if case .scaled(let x) = clauses[i].outcome {
                // 得分=满意度×5 for a leaf of 5分: proportional; another number is not this leaf's weight.
                guard abs(x - weight) < 1e-9 else {
                    return rule(.manual, RuleParameters(), 0, "得分公式中的乘数\(ScoreFormat.number(x))与分值\(ScoreFormat.number(weight))不一致，需人工评分")
                }
                clauses[i].outcome = .proportional
            }
        }
        if clauses.contains(where: { $0.dayLimit }) {
            // 按期完工得满分；逾期30天以内…: on time is 0 days late.
            for i in clauses.indices where clauses[i].comparisons.isEmpty && isFull(clauses[i].outcome, weight)
                && onTimeRx.test(clauses[i].condition) {
                clauses[i].comparisons = [Comparison(.le, 0, percent: false)]
            }
        }
        let fullLabels = clauses.filter { isFull($0.outcome, weight) && $0.comparisons.isEmpty && !$0.label.isEmpty }
            .map { $0.label }
        var base = RuleParameters()
        base.fullLabels = fullLabels.isEmpty ? nil : fullLabels
        if let m = unreadableRx.first(text) {
            return rule(.manual, RuleParameters(), 0, "评分标准含“\(m[0] ?? "")”，无法可靠换算，需人工评分")
        }
        let divisors = percentDivisorRx.matches(text).compactMap { $0.double(1) }

        // 1. Discretionary: 酌情得0-4分, 酌情扣分.
        if let d = clauses.first(where: { if case .discretionary = $0.outcome { return true }; return false }),
           case .discretionary(let lo, let hi) = d.outcome {
            var p = base
            p.minimum = lo ?? 0
            p.maximum = hi ?? weight
            var note: String?
            if let hi, hi > weight + 1e-9 { note = "酌情上限\(ScoreFormat.number(hi))分高于分值\(ScoreFormat.number(weight))分，按分值封顶" }
            return rule(.discretionary, p, 0.9, note)
        }

        let comparing = clauses.filter { !$0.comparisons.isEmpty }
        let stepClause = clauses.first { $0.step != nil }

        // 2. Range: ≤100%得满分，≥120%得0分，区间内按比例.
        if rangeWordsRx.test(text) || (text.contains("区间") && comparing.count == 2), comparing.count == 2,
           let f = comparing.first(where: { isFull($0.outcome, weight) }),
           let z = comparing.first(where: { isZero($0.outcome) }),
           let fc = f.comparisons.first, let zc = z.comparisons.first, fc.value != zc.value {
            var p = base
            p.full = fc
            p.zero = zc
            p.metric = metric(in: text)
            return rule(.range, p, 0.95)
        }

        // 3. Proportional: 实际完成数/计划数×标准分; 得分=预算执行率×标准分.
        if clauses.contains(where: { $0.outcome == .proportional }) && stepClause == nil
            && comparing.allSatisfy({ isFull($0.outcome, weight) || $0.outcome == .proportional || (isZero($0.outcome) && $0.comparisons.count == 1) })
            && comparing.filter({ isFull($0.outcome, weight) }).count <= 1 && comparing.filter({ isZero($0.outcome) }).count <= 1 {
            // 达到100%得满分，未达到按执行率×分值: the full condition, proportional below it; 低于60%的不得分: a
            // cut-off.
            var p = base
            p.metric = metric(in: text) ?? "完成率"
            p.full = comparing.first { isFull($0.outcome, weight) }?.comparisons.first
            p.cutoff = comparing.first { isZero($0.outcome) }?.comparisons.first
            if let d = divisors.first {
                // 低于95%按实际完成率/95%×分值: the value against the full condition's number.
                guard divisors.count == 1, let f = p.full, f.percent, abs(f.value - d) < 1e-9, d > 0 else {
                    return rule(.manual, RuleParameters(), 0, "得分公式除以\(ScoreFormat.number(d))%，与满分条件不一致，需人工评分")
                }
                p.divisor = d
            } else if let f = p.full, f.percent, abs(f.value - 100) > 1e-9, text.contains("比例"), !text.contains("*") {
                // 满意度90%以上得满分，90%以下按比例得分: 85% × 分值 or 85/90 × 分值 — the text does not say.
                return rule(.manual, RuleParameters(), 0, "满分条件为\(f)，“按比例”未写明是完成值×分值还是完成值/\(ScoreFormat.number(f.value))%×分值，需人工评分")
            }
            return rule(.proportional, p, 0.95)
        }

        // ≥95%得满分，低于95%扣1分: a flat deduction on the other side of the full condition.
        if stepClause == nil, comparing.count == 2, let f = comparing.first(where: { isFull($0.outcome, weight) }),
           let d = comparing.first(where: { if case .deduct = $0.outcome { return true }; return false }),
           f.comparisons.count == 1, d.comparisons.count == 1, complementary(f.comparisons[0], d.comparisons[0]),
           clauses.allSatisfy({ $0.comparisons.count == 1 || isFull($0.outcome, weight) }) {
            var p = base
            p.metric = metric(in: text)
            p.full = f.comparisons[0]
            p.fullLabels = nil
            p.otherwise = award(of: d.outcome)
            return rule(.threshold, p, 1.0)
        }

        if let d = divisors.first {
            // `/90%` in a text that is not a proportional formula: not readable with confidence.
            return rule(.manual, RuleParameters(), 0, "评分标准含“/\(ScoreFormat.number(d))%”，无法可靠换算，需人工评分")
        }

        // 4. Threshold with a linear deduction per step.
        let countStepWithoutTarget = stepClause.map { sc in
            sc.step!.unit != "%" && !comparing.contains { c in isFull(c.outcome, weight) && c.comparisons.contains { !$0.percent } }
                && !sc.comparisons.contains { !$0.percent }
        } ?? false
        if let sc = stepClause, !countStepWithoutTarget, case .deduct(let amount) = sc.outcome {
            if let middle = comparing.first(where: { !isFull($0.outcome, weight) && !isZero($0.outcome) && $0.step == nil }) {
                // ≥90%得满分，80%-90%得权重的50%，每降低1%扣0.1分: a tier and a step cannot both hold.
                return rule(.manual, RuleParameters(), 0, "档次（“\(middle.label)”）与逐级扣分并存，需人工评分")
            }
            var p = base
            p.step = sc.step!.size
            p.deduction = amount
            p.metric = metric(in: text)
            if sc.step!.unit != "%" { p.unit = sc.step!.unit }
            var confidence = 1.0
            var note: String?
            if let f = comparing.first(where: { isFull($0.outcome, weight) }), let c = f.comparisons.first {
                p.full = c
            } else if clauses.contains(where: { isFull($0.outcome, weight) }) {
                // 全部招满，得满分；每降低1%…: full at 100%.
                p.full = Comparison(sc.step!.up ? .le : .ge, 100)
                confidence = 0.85
                note = "满分条件未写数值，按100%（“\(fullLabels.first ?? "全部")”）"
            } else if let c = sc.comparisons.first {
                let down = !sc.step!.up
                if (down && (c.op == .ge || c.op == .gt)) || (!down && (c.op == .le || c.op == .lt)) {
                    // 不少于4次，每少1次扣0.5分: the comparison is the target itself.
                    p.full = c
                } else {
                    // 低于95%，每下降1%…: the full score holds on the other side.
                    p.full = Comparison(c.op.flipped == .gt ? .ge : (c.op.flipped == .lt ? .le : c.op.flipped), c.value,
                                        percent: c.percent)
                }
                confidence = 0.8
            } else if let m = standardRx.first(text), let v = m.double(1) {
                // 以100%为标准，每超过1个百分点扣0.1分: the standard is the full score's edge.
                p.full = Comparison(sc.step!.up ? .le : .ge, v, percent: sc.step!.unit == "%")
                confidence = 0.85
            } else {
                return nil
            }
            if let z = comparing.first(where: { isZero($0.outcome) }), let c = z.comparisons.first { p.cutoff = c }
            return rule(.threshold, p, confidence, note)
        }

        // 不存在，得满分；存在1例及以上，不得分: a veto, not a tier (1例及以上 reads as ≥1例).
        if let v = veto(clauses, base, weight) { return rule(.veto, v, 1.0) }

        // 5. Tiers or a threshold without steps (no deduction left out: 扣2分 next to 2起以上不得分 is per incident).
        if !comparing.isEmpty && comparing.allSatisfy({ if case .award = $0.outcome { return true }; return false })
            && !clauses.contains(where: { if case .deduct = $0.outcome { return true }; return false }) {
            if let c = comparing.first(where: { compoundRx.test($0.condition) && $0.comparisons.count < 2 }) {
                // 满意度≥90%且无重大投诉得满分: a second condition without a number.
                return rule(.manual, RuleParameters(), 0, "条件“\(c.condition)”含数值以外的要求，需人工评分")
            }
            var p = base
            p.metric = metric(in: text)
            var comparing = comparing
            var confidence = 1.0
            var note: String?
            // 全部完成得满分 before tiers of percentages: the full tier is 100%.
            if let fc = clauses.first(where: { $0.comparisons.isEmpty && isFull($0.outcome, weight) }) {
                if allWordsRx.test(fc.condition) || targetWordsRx.test(fc.condition) || fc.condition.isEmpty {
                    var c = fc
                    c.comparisons = [Comparison(.ge, 100)]
                    comparing.insert(c, at: 0)
                    note = "“\(fc.label)”按100%"
                    confidence = 0.9
                } else if comparing.allSatisfy({ !isFull($0.outcome, weight) }) {
                    // 满分 on a condition without a number next to tiers of numbers: which values it covers is
                    // not written.
                    return rule(.manual, RuleParameters(), 0, "满分条件“\(fc.label)”未写数值，无法与各档次比较")
                }
            }
            let unnumbered = clauses.filter { $0.comparisons.isEmpty && !isFull($0.outcome, weight) }
            if Set(unnumbered.compactMap { award(of: $0.outcome) }).count > 1 {
                // Two outcomes without a number next to the tiers: which values they cover is not written.
                return rule(.manual, RuleParameters(), 0, "档次之外另有多个未写数值的得分条件，需人工评分")
            }
            if let o = unnumbered.first, case .award(let a) = o.outcome {
                if factWordsRx.test(o.condition) {
                    // 抽查发现重大质量问题的，本项不得分 next to the tiers: a condition the value cannot show.
                    return rule(.manual, RuleParameters(), 0, "除档次外另有得分条件（“\(o.label)”），需人工评分")
                }
                p.otherwise = a
            }
            if comparing.count == 1, isFull(comparing[0].outcome, weight) {
                p.full = comparing[0].comparisons.first
                p.fullLabels = nil
                let note = p.otherwise == nil ? "未达到\(p.full!)时的得分未写明，需人工评分" : nil
                return rule(.threshold, p, p.otherwise == nil ? 0.8 : 1.0, note)
            }
            let lowerEnds = Set(comparing.flatMap { $0.comparisons.filter { $0.op == .ge }.map { $0.value } })
            let openAbove = Set(comparing.flatMap { $0.comparisons.filter { $0.op == .gt }.map { $0.value } })
            p.options = comparing.map { c in
                guard case .award(let a) = c.outcome else { return RuleOption(label: c.label) }
                // 80-90分 next to 90分以上: the upper end belongs to the tier above.
                let conds = c.comparisons.map { k in
                    if k.op == .le && !k.percent && c.comparisons.count == 2 && lowerEnds.contains(k.value) { return Comparison(.lt, k.value, percent: false) }
                    // 10%-20% next to >20%: the upper end belongs to the range.
                    if k.op == .lt && c.bareRange && openAbove.contains(k.value) { return Comparison(.le, k.value, percent: k.percent) }
                    return k
                }
                // 优：90分以上: the grade's name, for a value written as the grade.
                let grade = gradeNameRx.first(c.condition)?[1]
                return RuleOption(label: c.marker ?? c.label, text: grade, conditions: conds, award: a)
            }
            p.fullLabels = nil
            if comparing.contains(where: { $0.dayLimit }) { p.unit = "天" }
            if let over = p.options?.compactMap({ $0.award }).first(where: { $0.kind == .points && $0.value > weight + 1e-9 }) {
                confidence = 0.7
                note = "档次得分\(ScoreFormat.number(over.value))分高于分值\(ScoreFormat.number(weight))分"
            }
            return rule(.tiers, p, confidence, note)
        }

        // 6. Deadline: 超出10天扣1分.
        if let dc = clauses.first(where: { $0.days != nil }), case .deduct(let amount) = dc.outcome {
            var p = base
            p.step = dc.days
            p.deduction = amount
            p.unit = "天"
            // 逾期超过10天不得分 / 超期30天以上不得分: nothing beyond a number of days.
            if let z = clauses.first(where: { isZero($0.outcome) && $0.days != nil }), let d = z.days {
                p.cutoff = Comparison(z.condition.contains("以上") ? .ge : .gt, d, percent: false)
            }
            // 未完成的不得分: labelled outcomes besides the lateness (a value may name them).
            let labelled = clauses.filter { $0.days == nil && !$0.label.isEmpty && (isFull($0.outcome, weight) || isZero($0.outcome)) }
            if labelled.contains(where: { isZero($0.outcome) }) {
                p.options = labelled.map { RuleOption(label: $0.label, award: award(of: $0.outcome)) }
            }
            return rule(.deadline, p, 0.9)
        }

        // 7. Per-incident or subtractive checklist: 每存在一次扣权重的10%；一项不符合，扣0.5分，扣完为止.
        let untilZero = untilZeroRx.test(text)
        if let dc = clauses.first(where: { c in
            if case .deduct = c.outcome { return c.hasEach || oneCountRx.test(c.condition) || (untilZero && c.countUnit != nil) || untilZero }
            return false
        }), case .deduct(let amount) = dc.outcome, !percentStepRx.test(dc.condition) {
            var p = base
            p.deduction = amount
            p.unit = dc.countUnit ?? "项"
            let items = clauses.contains(where: { $0.marker != nil }) ? [] : letterItems(text)
            if !items.isEmpty {
                p.options = items
            }
            let subtractive = !items.isEmpty || (failWordsRx.test(dc.condition) && !dc.hasEach && !(dc.condition.contains("次")))
            // Only one clause besides full ones is expected.
            var others = clauses.filter { !isFull($0.outcome, weight) && $0.condition != dc.condition }
            // 发生2起及以上不得分: nothing from a count on.
            if let z = others.first(where: { isZero($0.outcome) && $0.comparisons.count == 1 && !$0.comparisons[0].percent
                                             && [.ge, .gt].contains($0.comparisons[0].op) }) {
                p.cutoff = z.comparisons[0]
                others.removeAll { $0.condition == z.condition }
            }
            // 两项不合格扣1分 next to 一项不合格扣0.5分: a restatement when it is the same rate, else a scale the
            // rate does not give.
            for o in others {
                guard case .deduct(let d) = o.outcome else { continue }
                guard let m = leadingCountRx.first(o.condition), let k = m.double(1), d.unit == amount.unit,
                      abs(k * amount.value - d.value) < 1e-9 else {
                    return rule(.manual, RuleParameters(), 0, "扣分表述不一致（“\(o.label)”），需人工评分")
                }
                others.removeAll { $0.condition == o.condition }
            }
            if let z = others.first(where: { isZero($0.outcome) }) {
                // 存在重大违纪问题的，本项不得分: a second condition a count cannot express.
                return rule(.manual, RuleParameters(), 0, "除按\(p.unit ?? "项")扣分外另有不得分的情形（“\(z.label)”），需人工评分")
            }
            let confidence = others.isEmpty ? 1.0 : 0.75
            return rule(subtractive ? .subtractive : .perIncident, p, confidence,
                        others.isEmpty ? nil : "另有表述：" + others.map { $0.condition }.joined(separator: "；"))
        }

        // 7b. 每项得0.5分 / 每完成1项得1分: the items met add up, one award each.
        if let ac = clauses.first(where: { c in
            if case .award(let a) = c.outcome, a.kind == .points, a.value > 0, c.label.contains("每"), c.countUnit != nil { return true }
            return false
        }), case .award(let a) = ac.outcome, clauses.count == 1 || clauses.allSatisfy({ $0.condition == ac.condition || isFull($0.outcome, weight) || isZero($0.outcome) }) {
            var p = base
            p.unit = ac.countUnit
            let items = clauses.contains(where: { $0.marker != nil }) ? [] : letterItems(text)
            if !items.isEmpty {
                p.options = items.map { RuleOption(label: $0.label, text: $0.text, award: a) }
            } else {
                p.deduction = nil
                p.perItem = .points(a.value)
            }
            return rule(.additive, p, 0.9)
        }

        // 8. Checklist items with their own points (①…得0.5分), maybe one veto item; or alternatives.
        let marked = clauses.filter { $0.marker != nil }
        if marked.count >= 2 {
            let pointsItems = marked.filter { if case .award(let a) = $0.outcome { return a.kind == .points && a.value > 0 }; return false }
            let vetoItems = marked.filter { isZero($0.outcome) && vetoWordsRx.test($0.condition) && pointsItems.count >= 2 }
            let sum = pointsItems.reduce(0.0) { s, c in if case .award(let a) = c.outcome { return s + a.value }; return s }
            if pointsItems.count + vetoItems.count == marked.count, abs(sum - weight) < 0.011 {
                var p = base
                p.fullLabels = nil
                p.options = marked.map { c in
                    if case .award(let a) = c.outcome, a.kind == .points, a.value > 0 {
                        return RuleOption(label: c.marker!, text: c.condition, award: a)
                    }
                    return RuleOption(label: c.marker!, text: c.condition, veto: true)
                }
                return rule(.additive, p, 1.0)
            }
            // Alternatives: ①…得1分；②…得0.5分；③…得0分 (one applies).
            let awards = marked.compactMap { c -> Award? in if case .award(let a) = c.outcome { return a }; return nil }
            if awards.count == marked.count, awards.contains(where: { $0.score(weight: weight) >= weight - 1e-9 }),
               awards.contains(where: { $0.score(weight: weight) <= 1e-9 }) {
                var p = base
                p.options = marked.map { RuleOption(label: $0.marker!, text: $0.condition, award: award(of: $0.outcome)) }
                return rule(.levels, p, 0.9)
            }
            if pointsItems.count == marked.count {
                var p = base
                p.fullLabels = nil
                p.options = marked.map { RuleOption(label: $0.marker!, text: $0.condition, award: award(of: $0.outcome)) }
                return rule(.additive, p, 0.6, "分项合计\(ScoreFormat.number(sum))分，分值\(ScoreFormat.number(weight))分")
            }
        }

        // 9. Veto: 不存在，得满分；存在1例，不得分.
        if let v = veto(clauses, base, weight) { return rule(.veto, v, 1.0) }

        // 9b. 存在违规问题的，该项不得分 (a single zero clause: the full score otherwise).
        if clauses.count == 1, isZero(clauses[0].outcome), vetoWordsRx.test(clauses[0].condition) {
            var p = base
            p.unit = clauses[0].countUnit ?? "例"
            p.options = [RuleOption(label: "不存在", award: .full), RuleOption(label: clauses[0].label, award: .zero)]
            return rule(.veto, p, 0.85, "仅写明不得分的情形，其余按满分")
        }

        // 10. Labels: 符合，得满分；不符合，不得分 / levels.
        let labelled = clauses.filter { !$0.label.isEmpty }
        if labelled.count == clauses.count, clauses.count >= 2,
           clauses.allSatisfy({ if case .award = $0.outcome { return true }; if case .deduct = $0.outcome { return true }; return false }) {
            var p = base
            p.options = clauses.map { RuleOption(label: $0.label, award: award(of: $0.outcome)) }
            p.fullLabels = nil
            let labels = Set(clauses.map { $0.label })
            let confidence = labels.count == clauses.count ? 1.0 : 0.5
            if clauses.count == 2, isFull(clauses[0].outcome, weight), isZero(clauses[1].outcome) {
                return rule(.yesNo, p, confidence)
            }
            return rule(.levels, p, confidence)
        }
        return nil
    }

    /// 不存在，得满分；存在1例（及以上），不得分: the parameters of a veto, or nil.
    static func veto(_ clauses: [Clause], _ base: RuleParameters, _ weight: Double) -> RuleParameters? {
        guard clauses.count == 2, isFull(clauses[0].outcome, weight), isZero(clauses[1].outcome),
              clauses[0].comparisons.isEmpty,
              oneCountRx.test(clauses[1].condition) || clauses[1].condition.hasPrefix("一旦") else { return nil }
        // A count stated as a comparison must start at one (≥1例, >0例): 3次以上不得分 leaves 1–2 open.
        let comps = clauses[1].comparisons
        guard comps.isEmpty || (comps.count == 1 && !comps[0].percent
                                && ((comps[0].op == .ge && comps[0].value == 1) || (comps[0].op == .gt && comps[0].value == 0))) else { return nil }
        var p = base
        p.unit = clauses[1].countUnit ?? "例"
        p.options = [RuleOption(label: clauses[0].label, award: .full), RuleOption(label: clauses[1].label, award: .zero)]
        return p
    }

    /// `≥95%` and `<95%`: the two sides of one number.
    static func complementary(_ a: Comparison, _ b: Comparison) -> Bool {
        guard abs(a.value - b.value) < 1e-9, a.percent == b.percent else { return false }
        switch (a.op, b.op) {
        case (.ge, .lt), (.gt, .le), (.le, .gt), (.lt, .ge): return true
        default: return false
        }
    }

    static func award(of o: Outcome) -> Award? {
        switch o {
        case .award(let a): return a
        case .deduct(let d): return d.unit == .points ? Award(.minusPoints, d.value) : Award(.minusShare, d.value)
        default: return nil
        }
    }

    static func isFull(_ o: Outcome, _ weight: Double) -> Bool {
        if case .award(let a) = o { return a.isFull || (a.kind == .points && abs(a.value - weight) < 1e-9) }
        return false
    }

    static func isZero(_ o: Outcome) -> Bool {
        if case .award(let a) = o { return a.isZero }
        return false
    }

    /// `a.是否已制定…；b.…；c.…` → items a, b, c.
    static let letterItemRx = Rx("(?:^|(?<=[;。\\n]))([a-hA-H])[.、)]([^;。\\n]*)")
    static let numberedItemRx = Rx("(?:^|(?<=[;。\\n]))\\(?([1-9])[.、)](?=\\p{Han})([^;。\\n]*)")
    static let circledItemRx = Rx("([①-⑳])([^①-⑳;。\\n]*)")
    static func letterItems(_ text: String) -> [RuleOption] {
        let letters = letterItemRx.matches(text).map { RuleOption(label: ($0[1] ?? "").lowercased(), text: $0[2]) }
        if !letters.isEmpty { return letters }
        // 1.制定了工作方案；2.方案经过审批；3.… → items (1), (2), (3), when numbered from 1 in order.
        let numbered = numberedItemRx.matches(text).map { RuleOption(label: "(\($0[1] ?? ""))", text: $0[2]) }
        if numbered.count >= 2, numbered.enumerated().allSatisfy({ $0.element.label == "(\($0.offset + 1))" }) { return numbered }
        // ①…；②…；③… listed without outcomes of their own (the outcome comes after, for all of them).
        return circledItemRx.matches(text).map { RuleOption(label: $0[1] ?? "", text: $0[2]) }
    }

    /// The measured quantity a text names: `预算执行率`, `满意度`.
    static func metric(in text: String) -> String? {
        for m in rateRx.matches(text) {
            guard var s = m[1] else { continue }
            for p in ["根据", "按照", "按", "得分=", "其中", "若", "如"] where s.hasPrefix(p) { s.removeFirst(p.count) }
            if s.count >= 2 { return s }
        }
        return nil
    }
}
