import ArgumentParser
import Foundation
import IndicatorModel
import Pipeline
import SheetCore

/// `jixiao check FILE [--sheet NAME] [--json] [--bands 90,80,60]`: the indicator tree with weights and scores,
/// the findings, the total and the grade.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an indicator table: tree, weights and scores, findings, total and grade.",
        discussion: """
        Finds the sheet holding the 绩效评价指标体系 table (or --sheet), reads its hierarchy, weights and scores, \
        and reports every inconsistency with its cell (file!sheet!F23). --json prints one object: \
        {"file","sheet","title","organisation","levels","indicators","parents","total","grade","findings"}. \
        Exit codes: 0 no errors (warnings allowed); 1 the table has errors; 2 the file cannot be read or holds no table.
        """)

    @Argument(help: "The .xlsx or .csv file.")
    var file: String

    @Option(help: "The sheet holding the table (default: found automatically).")
    var sheet: String?

    @Flag(help: "Print one JSON object instead of the readable report.")
    var json = false

    @OptionGroup var bandOptions: BandOptions

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func gradeBands() throws -> GradeBands { try bandOptions.gradeBands() }

    func run() throws {
        let b = try gradeBands()
        let report: CheckReport
        do {
            let (framework, findings) = try checkFile(path: file, sheet: sheet, limits: limitOptions.limits, bands: b)
            report = CheckReport(framework: framework, findings: findings, bands: b)
        } catch let e as JixiaoError {
            fail(e.located(Location(file: file)))
        } catch {
            fail(error)
        }
        print(json ? report.jsonText() : report.text(), terminator: "")
        if report.hasErrors { throw ExitCode(ExitCodes.findings) }
    }
}
