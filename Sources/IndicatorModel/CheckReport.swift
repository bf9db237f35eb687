import SheetCore

/// The result of `jixiao check`: the framework, its findings, total and grade, as one JSON object with a
/// stable key order, or as a readable report.
///
/// JSON shape: `{"file","sheet","title","organisation","levels","indicators":[{"code","path","level","weight",
/// "score","explanation","criteria","source","cell"}],"parents":[{"code","path","level","stated_weight","weight",
/// "score"}],"total":{"weight","score","stated_weight","stated_score"},"grade","findings":[{"severity","rule",
/// "code","cell","message"}]}`. `path` lists the names from level 1 down as written; `cell` prints as
/// `file!sheet!F23`; weights are points (a stated percentage is converted with the stated total).
public struct CheckReport: Sendable {
    public var framework: Framework
    public var findings: [Finding]
    public var bands: GradeBands
    /// More keys for an indicator, by code (used by scoring: `rule`, `inputs`, ...). Appended after the standard
    /// keys; a key that is already there is replaced in place.
    public var indicatorExtras: [String: [JSONMember]] = [:]
    /// More top-level keys, appended after `findings` (a key already there is replaced).
    public var extras: [JSONMember] = []

    public init(framework: Framework, findings: [Finding], bands: GradeBands = .standard) {
        self.framework = framework
        self.findings = findings
        self.bands = bands
    }

    /// Validates the framework (after rolling it up) and wraps the result.
    public init(validating framework: Framework, bands: GradeBands = .standard) {
        let f = RollUp.applied(framework)
        self.init(framework: f, findings: Validator.validate(f, bands: bands), bands: bands)
    }

    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
    public var grade: Grade? { framework.grade(bands: bands) }

    /// Exit code for `jixiao check`: 1 when there are errors, else 0.
    public var exitCode: Int32 { hasErrors ? 1 : 0 }

    // MARK: JSON

    public var json: JSONValue {
        let f = framework
        let base = f.totals.statedWeight.flatMap { $0 > 0 ? $0 : nil } ?? 100
        let indicators: [JSONValue] = f.leaves.map { leaf in
            let v = JSONValue.object([
                JSONMember("code", .string(leaf.code)),
                JSONMember("path", .array(leaf.path.map { .string($0) })),
                JSONMember("level", .number(Double(leaf.level))),
                JSONMember("weight", .number(leaf.weight)),
                JSONMember("score", .number(leaf.score)),
                JSONMember("explanation", .string(leaf.explanation)),
                JSONMember("criteria", .string(leaf.criteria)),
                JSONMember("source", .string(leaf.source)),
                JSONMember("cell", .string(leaf.cell?.description)),
            ])
            return indicatorExtras[leaf.code].map { v.merging($0) } ?? v
        }
        let parents: [JSONValue] = f.parents.map { p in
            let stated = p.statedWeight.map { p.statedWeightUnit == .percent ? $0 * base / 100 : $0 }
            return .object([
                JSONMember("code", .string(p.code)),
                JSONMember("path", .array(p.path.map { .string($0) })),
                JSONMember("level", .number(Double(p.level))),
                JSONMember("stated_weight", .number(stated)),
                JSONMember("weight", .number(p.weight)),
                JSONMember("score", .number(p.score)),
            ])
        }
        let findingValues: [JSONValue] = findings.map { x in
            .object([
                JSONMember("severity", .string(x.severity.rawValue)),
                JSONMember("rule", .string(x.rule)),
                JSONMember("code", .string(x.code)),
                JSONMember("cell", .string(x.location?.description)),
                JSONMember("message", .string(x.message)),
            ])
        }
        let root = JSONValue.object([
            JSONMember("file", .string(f.file)),
            JSONMember("sheet", .string(f.sheet)),
            JSONMember("title", .string(f.title)),
            JSONMember("organisation", .string(f.organisation)),
            JSONMember("levels", .number(Double(f.levels))),
            JSONMember("indicators", .array(indicators)),
            JSONMember("parents", .array(parents)),
            JSONMember("total", .object([
                JSONMember("weight", .number(f.totals.weight)),
                JSONMember("score", .number(f.totals.score)),
                JSONMember("stated_weight", .number(f.totals.statedWeight)),
                JSONMember("stated_score", .number(f.totals.statedScore)),
            ])),
            JSONMember("grade", .string(grade?.rawValue)),
            JSONMember("findings", .array(findingValues)),
        ])
        return extras.isEmpty ? root : root.merging(extras)
    }

    /// The JSON text (pretty by default), ending with a newline.
    public func jsonText(pretty: Bool = true) -> String { json.render(pretty: pretty) + "\n" }

    // MARK: Text

    /// The readable report: the tree with weights and scores, then the findings, then total and grade.
    public func text() -> String {
        let f = framework
        var lines: [String] = []
        if let t = f.title { lines.append(t) }
        var head = "\(f.file)!\(f.sheet) · \(f.levels) levels · \(f.leaves.count) indicators"
        if let o = f.organisation { head += " · \(o)" }
        lines.append(head)
        lines.append("")
        // Tree rows: label, stated, weight, score.
        var rows: [(String, String, String, String)] = [("indicator 指标", "stated", "weight", "score")]
        func walk(_ n: Indicator) {
            let indent = String(repeating: "  ", count: n.level - 1)
            let stated = n.statedWeight.map { TextKit.show($0) + (n.statedWeightUnit == .percent ? "%" : "") } ?? ""
            rows.append(("\(indent)\(n.code) \(n.name)", stated, n.weight.map(TextKit.show) ?? "-",
                         n.score.map(TextKit.show) ?? "-"))
            n.children.forEach(walk)
        }
        f.roots.forEach(walk)
        rows.append(("合计 total", f.totals.statedWeight.map(TextKit.show) ?? "", f.totals.weight.map(TextKit.show) ?? "-",
                     f.totals.score.map(TextKit.show) ?? "-"))
        let w0 = rows.map { TextKit.displayWidth($0.0) }.max() ?? 0
        let w1 = max(6, rows.map { $0.1.count }.max() ?? 0)
        let w2 = max(6, rows.map { $0.2.count }.max() ?? 0)
        for r in rows {
            let pad = String(repeating: " ", count: w0 - TextKit.displayWidth(r.0))
            lines.append("\(r.0)\(pad)  \(lpad(r.1, w1))  \(lpad(r.2, w2))  \(r.3)")
        }
        lines.append("")
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        let infos = findings.count - errors - warnings
        if findings.isEmpty {
            lines.append("No findings. 未发现问题。")
        } else {
            lines.append("Findings: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
                         + (infos > 0 ? ", \(infos) info" : ""))
            for x in findings {
                let loc = x.location.map { "\($0): " } ?? ""
                lines.append("  \(loc)\(x.severity.rawValue) [\(x.rule)] \(x.message)")
            }
        }
        lines.append("")
        var total = "Total 总分: "
        let outOf = f.totals.statedWeight ?? f.totals.weight
        if let s = f.totals.score {
            total += TextKit.show(s) + (outOf.map { " of \(TextKit.show($0))" } ?? "")
        } else {
            total += "not scored yet 未评分" + (outOf.map { " (weights total \(TextKit.show($0)))" } ?? "")
        }
        if let s = f.totals.statedScore { total += " (stated 合计 \(TextKit.show(s)))" }
        if let g = grade { total += " · grade 等级 \(g.rawValue)" }
        lines.append(total)
        return lines.joined(separator: "\n") + "\n"
    }

    private func lpad(_ s: String, _ w: Int) -> String {
        String(repeating: " ", count: max(0, w - s.count)) + s
    }
}
