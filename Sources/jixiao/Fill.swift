import ArgumentParser
import Foundation
import IndicatorModel
import Pipeline
import SheetCore

/// `jixiao fill FILE --scores SCORES -o OUT.xlsx`: puts given scores into a copy of the workbook.
struct Fill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill",
        abstract: "Fill scores into a copy of the workbook, changing only the score cells / 回填得分.",
        discussion: """
        SCORES lists one leaf indicator per line, its code and score: `A111,1` (comma, tab, `=` or spaces \
        between; a header line is skipped), or a JSON object {"A111": 1, ...}. Parents and the 合计 row get \
        the rolled-up sums. Everything else in the workbook (images, charts, drop-downs, formats) is kept \
        byte for byte. Exit code 1 when the filled table has errors (they are listed on standard error).
        """)

    @Argument(help: "The department's workbook (.xlsx).")
    var file: String

    @Option(name: .long, help: "Scores file: code and score per line, or a JSON object.")
    var scores: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the filled workbook (not the input).")
    var output: String

    @Option(name: .long, help: "The sheet holding the table (default: the one with the most indicators).")
    var sheet: String?

    @Flag(name: .long, help: "Write parent and total scores as live SUM formulas.")
    var formulas = false

    @Flag(name: .long, help: "Add a 校验结果 sheet listing the findings with links to their cells.")
    var findings = false

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        let framework: Framework
        let grid: Grid
        let findingList: [Finding]
        do {
            try FillSource.requireXLSX(file)
            let workbook = try loadWorkbook(path: file, limits: limitOptions.limits)
            // The table as check and score read it (a 项目支出绩效自评表 with its 预算执行率 row).
            var f = try ScorePipeline.framework(in: workbook, sheet: sheet)
            let given = try ScoresFile.read(scores)
            try ScoresFile.apply(given, to: &f, file: scores)
            RollUp.apply(&f)
            // The total is written to the 合计 cell: check the table as it will be.
            if f.totals.score != nil { f.totals.statedScore = f.totals.score }
            framework = f
            grid = workbook.sheet(named: f.sheet) ?? Grid(name: f.sheet, values: [])
            findingList = Validator.validate(f)
        } catch {
            fail(error)
        }
        do {
            try fillScores(framework: framework, findings: findingList, source: file, output: output,
                           formulas: formulas, findingsSheet: findings, original: grid,
                           limits: limitOptions.limits)
        } catch {
            fail(error)
        }
        let errors = findingList.filter { $0.severity == .error }
        for f in findingList where f.severity != .info {
            let at = f.location.map { "\($0): " } ?? ""
            FileHandle.standardError.write(Data((OneLine.escape("\(at)\(f.severity.rawValue): [\(f.rule)] \(f.message)") + "\n").utf8))
        }
        let total = framework.totals.score.map { CellValue.format($0) } ?? "-"
        let grade = framework.grade()?.rawValue ?? "-"
        print("wrote \(output): total \(total), grade \(grade), \(errors.count) error(s)")
        if !errors.isEmpty { throw ExitCode(ExitCodes.findings) }
    }
}

/// Reads a scores file: `code,score` lines or a JSON object.
enum ScoresFile {
    struct Entry {
        var code: String
        var score: Double
        var line: Int
    }

    static func read(_ path: String) throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JixiaoError(.io, "cannot read the scores file", at: Location(file: path))
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw JixiaoError(.invalidValue, "the scores file is not a JSON object of code → score", at: Location(file: path))
            }
            return try obj.keys.sorted().map { key in
                guard let n = obj[key] as? NSNumber, !(obj[key] is Bool) else {
                    throw JixiaoError(.invalidValue, "the score of \(key) is not a number", at: Location(file: path))
                }
                return Entry(code: key, score: n.doubleValue, line: 0)
            }
        }
        var out: [Entry] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == "=" || $0 == " " || $0 == "，" })
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, let score = Double(fields[1]), score.isFinite else {
                if out.isEmpty && i == 0 { continue }  // header
                throw JixiaoError(.invalidValue, "expected `code,score`, got \"\(line)\"", at: Location(file: path, line: i + 1))
            }
            out.append(Entry(code: fields[0], score: score, line: i + 1))
        }
        return out
    }

    /// Sets each leaf's score by code. Unknown codes and codes of parents are errors.
    static func apply(_ entries: [Entry], to framework: inout Framework, file: String) throws {
        var byCode: [String: Entry] = [:]
        for e in entries { byCode[e.code] = e }
        var used = Set<String>()
        func walk(_ node: inout Indicator) {
            if node.children.isEmpty {
                if let e = byCode[node.code] { node.score = e.score; used.insert(node.code) }
            } else {
                for i in node.children.indices { walk(&node.children[i]) }
            }
        }
        for i in framework.roots.indices { walk(&framework.roots[i]) }
        if let bad = entries.first(where: { !used.contains($0.code) }) {
            let known = framework.leaves.prefix(8).map(\.code).joined(separator: ", ")
            throw JixiaoError(.invalidValue, "no leaf indicator with code \(bad.code) in the table (leaves: \(known), ...)",
                              at: Location(file: file, line: bad.line > 0 ? bad.line : nil))
        }
    }
}
