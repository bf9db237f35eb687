import Foundation
import IndicatorModel
import SheetCore

/// One row of a measures file: which indicator, the measured value as written, an optional note and an
/// optional manual score.
public struct Measure: Sendable, Hashable {
    /// The indicator code (`B13`), when the row names one.
    public var code: String?
    /// The indicator name (`预算执行率`), when the row names one.
    public var name: String?
    /// The value cell as written, and as read.
    public var valueText: String?
    public var value: MeasuredValue?
    public var note: String?
    /// A manual score (`score`/得分 column).
    public var score: Double?
    /// Where the value (or, without one, the indicator) is.
    public var location: Location
    public var scoreLocation: Location?

    public init(code: String? = nil, name: String? = nil, valueText: String? = nil, value: MeasuredValue? = nil,
                note: String? = nil, score: Double? = nil, location: Location, scoreLocation: Location? = nil) {
        self.code = code
        self.name = name
        self.valueText = valueText
        self.value = value
        self.note = note
        self.score = score
        self.location = location
        self.scoreLocation = scoreLocation
    }
}

/// The measured values of one evaluation: read from a measures sheet (CSV or XLSX, loaded by the
/// pipeline) with the columns `code,value,note[,score]` or 指标代码/指标编号/指标, 值/实际值/完成值,
/// 说明/备注, 得分, in any order.
public struct Measures: Sendable {
    public var file: String
    public var entries: [Measure]
    /// Problems met while reading (an unreadable score, a duplicate indicator).
    public var findings: [Finding]

    public init(file: String = "", entries: [Measure] = [], findings: [Finding] = []) {
        self.file = file
        self.entries = entries
        self.findings = findings
    }

    public static let empty = Measures()

    enum Column: String { case code, name, key, value, note, score }

    /// Header words, compared after removing spaces (also full-width), line breaks and case.
    static let headerWords: [(Column, [String])] = [
        (.code, ["code", "指标代码", "指标编号", "编号", "代码", "指标编码", "编码"]),
        (.name, ["name", "indicator", "指标名称", "名称", "三级指标", "四级指标", "末级指标"]),
        (.key, ["指标", "绩效指标", "评价指标"]),
        (.value, ["value", "值", "实际值", "完成值", "实际完成值", "测量值", "数值", "实际", "measured", "实际完成情况"]),
        (.note, ["note", "notes", "说明", "备注", "注释", "依据", "偏差原因分析及改进措施"]),
        (.score, ["score", "得分", "人工得分", "评分", "人工评分", "manualscore", "manual_score"]),
    ]

    /// A unit in brackets after a header word: `实际完成值（%）`, `完成值(万元)`, `value [%]`.
    static let bracketedUnitRx = Rx("[(（\\[【][^()（）\\[\\]【】]{1,8}[)）\\]】]\\s*$")

    static func headerKey(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        let base = bracketedUnitRx.replace(t, "")
        return (base.isEmpty ? t : base).lowercased().filter { !$0.isWhitespace && !"*:：（）()".contains($0) }
    }


    static func column(for header: String) -> Column? {
        let k = headerKey(header)
        guard !k.isEmpty else { return nil }
        for (c, words) in headerWords where words.contains(k) { return c }
        return nil
    }

    /// Reads a measures sheet.
    ///
    /// - Throws: `JixiaoError(.invalidValue)` naming the file and sheet when no header row is found, or
    ///   when the indicator column or the value/score column is missing (the message says which).
    public static func read(grid: Grid, file: String) throws -> Measures {
        let here = Location(file: file, sheet: grid.name.isEmpty ? nil : grid.name)
        // The header: the first of the top 20 rows that names at least two known columns.
        var header: (row: UInt32, map: [Column: UInt16])?
        for row in grid.rows.prefix(20) {
            var map: [Column: UInt16] = [:]
            for c in row.cells {
                if let col = column(for: c.value.text), map[col] == nil { map[col] = c.col }
            }
            if map.count >= 2 { header = (row.index, map); break }
        }
        guard let (headerRow, map) = header else {
            let first = grid.rows.first.map { $0.cells.map { $0.value.text }.joined(separator: ", ") } ?? ""
            throw JixiaoError(.invalidValue,
                              "measures file has no header row: expected columns code/指标代码/指标编号/指标 and value/值/实际值/完成值 (first row: \(first)) / 测量值文件缺少表头",
                              at: here)
        }
        let keyCols = [map[.code], map[.name], map[.key]].compactMap { $0 }
        // The header as found, for the message: `(header: 指标编号, 说明)`.
        let found = (grid.row(at: headerRow)?.cells.map { $0.value.text } ?? []).filter { !$0.isEmpty }.joined(separator: ", ")
        guard !keyCols.isEmpty else {
            throw JixiaoError(.invalidValue,
                              "measures file has no indicator column: expected code, 指标代码, 指标编号 or 指标 (header: \(found)) / 测量值文件缺少指标列",
                              at: here.with(cell: CellRef(row: headerRow, col: 0)))
        }
        guard map[.value] != nil || map[.score] != nil else {
            throw JixiaoError(.invalidValue,
                              "measures file has no value column: expected value, 值, 实际值 or 完成值 (or score/得分) (header: \(found)) / 测量值文件缺少值列",
                              at: here.with(cell: CellRef(row: headerRow, col: 0)))
        }
        var out = Measures(file: file)
        var seen: [String: Location] = [:]
        for row in grid.rows where row.index > headerRow {
            func text(_ c: Column) -> String? {
                guard let col = map[c], let v = row.cell(at: col)?.value, !v.isEmpty else { return nil }
                let t = v.text.trimmingCharacters(in: .whitespacesAndNewlines)
                return t.isEmpty ? nil : t
            }
            var code = text(.code)
            var name = text(.name)
            if let k = text(.key) {
                if let (c, rest) = splitCode(k) {
                    code = code ?? c
                    if !rest.isEmpty { name = name ?? rest }
                } else {
                    name = name ?? k
                }
            }
            if let c = code {
                if let (cc, rest) = splitCode(c) {
                    code = cc
                    if !rest.isEmpty { name = name ?? rest }
                } else {
                    // A name in the code column: match by name.
                    code = nil
                    name = name ?? c
                }
            }
            // A name written with its code in front (`B13.预算执行率`, `A11部门目标（2分）`).
            if code == nil, let n = name, let (cc, rest) = splitCode(n), cc.count >= 2, !rest.isEmpty {
                code = cc
                name = rest
            }
            guard code != nil || name != nil else { continue }
            let valueCol = map[.value] ?? keyCols[0]
            var m = Measure(code: code, name: name, location: here.with(cell: CellRef(row: row.index, col: valueCol)))
            if let vc = map[.value], let v = row.cell(at: vc)?.value, !v.isEmpty {
                m.valueText = v.text
                m.value = MeasuredValue.from(v)
            }
            m.note = text(.note)
            if let sc = map[.score], let v = row.cell(at: sc)?.value, !v.isEmpty {
                let loc = here.with(cell: CellRef(row: row.index, col: sc))
                m.scoreLocation = loc
                switch MeasuredValue.from(v, lenient: false) {
                case .number(let x)?, .points(let x)?: m.score = x
                default:
                    out.findings.append(Finding(.error, rule: "measure-score", code: code, at: loc,
                                                "score “\(v.text)” is not a number / 得分不是数字"))
                }
            }
            let key = code ?? name!
            if let prev = seen[key] {
                out.findings.append(Finding(.warning, rule: "measure-duplicate", code: code, at: m.location,
                                            "\(key) is measured twice (also \(prev)); the last row counts / 重复的测量值，以最后一行为准"))
                out.entries.removeAll { ($0.code ?? $0.name!) == key }
            }
            seen[key] = m.location
            out.entries.append(m)
        }
        return out
    }

    static let codeRx = Rx("^([A-Za-z][0-9]{0,6})(?:[.．、:：\\s]+|(?=\\p{Han})|$)(.*)$")

    /// `B13.预算执行率` → (`B13`, `预算执行率`); `B13` → (`B13`, ``); nil for a name without code.
    static func splitCode(_ s: String) -> (String, String)? {
        // Ｂ１３ typed with a Chinese input method: the ASCII letters and digits.
        let ascii = String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            (0xFF10...0xFF19).contains(u.value) || (0xFF21...0xFF3A).contains(u.value) || (0xFF41...0xFF5A).contains(u.value)
                ? Unicode.Scalar(u.value - 0xFEE0)! : u
        }))
        guard let m = codeRx.first(ascii.trimmingCharacters(in: .whitespaces)), let c = m[1] else { return nil }
        return (c.uppercased(), (m[2] ?? "").trimmingCharacters(in: .whitespaces))
    }

    static func nameKey(_ s: String) -> String {
        s.filter { !$0.isWhitespace && !",，。.、;；:：()（）\"“”".contains($0) }
    }

    /// A bracketed part of a name: `预算执行率（%）`, `群众满意度(10分)`.
    static let bracketedRx = Rx("[(（【\\[][^()（）【】\\[\\]]*[)）】\\]]")

    /// The measure of an indicator: by code, else by name (as written or without punctuation, else without
    /// bracketed parts such as a unit or the weight).
    public func measure(for indicator: Indicator) -> Measure? {
        guard !entries.isEmpty else { return nil }
        if let m = entries.last(where: { $0.code?.uppercased() == indicator.code.uppercased() }) { return m }
        let k = Self.nameKey(indicator.name)
        let candidates = entries.filter { $0.name != nil && ($0.code == nil || $0.code?.uppercased() == indicator.code.uppercased()) }
        if let m = candidates.last(where: { Self.nameKey($0.name!) == k }) { return m }
        let bare = Self.nameKey(Self.bracketedRx.replace(indicator.name, ""))
        guard !bare.isEmpty else { return nil }
        return candidates.last { Self.nameKey(Self.bracketedRx.replace($0.name!, "")) == bare }
    }

    /// The entries no indicator of the framework took.
    public func unmatched(in framework: Framework) -> [Measure] {
        guard !entries.isEmpty else { return [] }
        let leaves = framework.leaves
        return entries.filter { m in !leaves.contains { measure(for: $0) == m } }
    }
}
