import ArgumentParser
import Foundation
import IndicatorModel
import Pipeline
import Scoring
import SheetCore

/// `jixiao score FILE [--measures M] [-o OUT.xlsx] [--sheet NAME] [--json]`: scores every leaf whose rule and
/// measured value allow it, keeps the table's scores where a person judges, rolls up, grades, and explains
/// every score.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a table from measured values, explaining every score and deduction.",
        discussion: """
        The measures file (CSV or XLSX) has the columns code/指标代码/指标编号/指标, value/值/实际值/完成值, and \
        optionally note/说明/备注 and score/得分 (a manual score). Values are written as people write them: \
        96.86%, 0.9686, 7474490.38/7716520, 2次, 是/否, 有效执行, ①③, 超期12天. A 项目支出绩效自评表 is scored \
        from its 实际完成值 column. --json: the `check` object, each indicator adding "explanation", "method", \
        "rule" and "inputs". Exit code 1 when the scored table has errors.
        """)

    @Argument(help: "The table (.xlsx or .csv).")
    var file: String

    @Option(help: "The measures file (.csv or .xlsx).")
    var measures: String?

    @Option(name: .shortAndLong, help: "Write the scored workbook here (.xlsx).")
    var output: String?

    @Flag(help: "With -o: write parent and total scores as live SUM formulas.")
    var formulas = false

    @Flag(help: "With -o: add a 校验结果 sheet listing the findings with links to their cells.")
    var findings = false

    @Option(help: "The sheet holding the table (default: the one with most indicators).")
    var sheet: String?

    @Flag(help: "Write JSON.")
    var json = false

    @OptionGroup var bandOptions: BandOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func gradeBands() throws -> GradeBands { try bandOptions.gradeBands() }

    func run() throws {
        let scored: ScoredFramework
        do {
            scored = try ScorePipeline.score(path: file, measures: measures, sheet: sheet,
                                           limits: limitOptions.limits, bands: try gradeBands())
        } catch let e as JixiaoError {
            fail(e.located(Location(file: file)))
        } catch {
            fail(error)
        }
        let report = scored.report()
        if json {
            print(report.jsonText(pretty: true), terminator: "")
        } else {
            print("Scores 评分过程:")
            for l in scored.leaves { print("  " + l.explanation) }
            let count = { (m: ScoreMethod) in scored.leaves.filter { $0.method == m }.count }
            print("\(count(.rule)) scored by rule 按规则, \(count(.manual)) manual 人工, \(count(.table)) kept from the table 保留表中得分, "
                  + "\(count(.none)) not scored 未评分")
            print("")
            print(report.text(), terminator: "")
        }
        if let output {
            // An XLSX table comes back as the sender's own workbook with only the score cells changed; a CSV
            // table becomes a new styled 附件 workbook.
            do {
                if (try? InputFormat.detect(path: file)) == .xlsx {
                    try fillScores(framework: report.framework, findings: report.findings, source: file, output: output,
                                   formulas: formulas, findingsSheet: findings)
                } else {
                    try Convert.writeScored(report.framework, to: output, input: file)
                }
                FileHandle.standardError.write(Data("jixiao: wrote \(output)\n".utf8))
            } catch {
                fail(error)
            }
        }
        if report.hasErrors { throw ExitCode(ExitCodes.findings) }
    }
}
