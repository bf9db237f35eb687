import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// Every arithmetic inconsistency of the seed tables is reported with its cell; their consistent parts raise
/// no error.
struct SeedFindingsTests {
    func findings(_ fixture: String, csv: Bool = false) throws -> (Framework, [Finding]) {
        let wb = csv ? try TinyCSV.grid("csv/\(fixture)", gbk: fixture.contains("gbk")) : try GridJSON.golden(fixture)
        let f = try Normaliser.frameworks(in: wb, sheet: nil)
        return (f, Validator.validate(f))
    }

    /// (severity, rule, code, cell) of each finding.
    func summary(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.rule) \($0.code ?? "-") \($0.location?.cell?.a1 ?? "-")" }
    }

    @Test(arguments: ["seed000_project_framework.xlsx", "seed000_project_framework.csv"])
    func seed000IsConsistent(_ fixture: String) throws {
        let (f, x) = try findings(fixture, csv: fixture.hasSuffix(".csv"))
        #expect(x.isEmpty, "\(summary(x))")
        #expect(f.totals.score == 99 && f.grade() == .excellent)
    }

    @Test func blankSeed000HasOnlyTheNoScoresNote() throws {
        let (f, x) = try findings("seed000_project_framework_blank.xlsx")
        #expect(summary(x) == ["info no-scores - F2"])
        #expect(f.totals.score == nil && f.grade() == nil)
        #expect(f.leaves.allSatisfy { $0.scoreCell != nil })
    }

    @Test(arguments: ["seed002_department_framework.xlsx", "seed002_department_framework_gbk.csv"])
    func seed002Inconsistencies(_ fixture: String) throws {
        let (_, x) = try findings(fixture, csv: fixture.hasSuffix(".csv"))
        #expect(summary(x) == [
            // C 部门绩效（45分）: its children's stated weights sum to 45, but its leaves to 46.
            "error weight-leaves C A31",
            // C1 部门产出（18分）: C11…C16 (4+2+3+2+6+2) sum to 19.
            "error weight-children C1 B31",
            // 合计 100分 against 101 in the leaves; 96 against 97 in the scores.
            "error total-weight-leaves - C42",
            "error total-score - D42",
            // C21: 良好得满分 (15) and 一般得15分.
            "warning criteria-same-score C21 C37",
        ])
        let messages = x.map(\.message)
        #expect(messages.contains("C1 部门产出: stated weight 18 but its sub-indicators sum to 19"))
        #expect(messages.contains { $0.contains("stated total score 96") && $0.contains("97") })
        let cells = x.compactMap { $0.location?.description }
        #expect(cells.contains { $0.hasSuffix("!附件1!B31") || $0.hasSuffix("!seed002_department_framework_gbk!B31") })
        // B12 (4分) scored 3, C15 (6分) scored 4, C33 (2分) scored 1 are scores below their weights: no finding.
        #expect(!x.contains { ["B12", "C15", "C33"].contains($0.code ?? "") })
    }

    @Test func exitStatusFollowsErrors() throws {
        let (f0, x0) = try findings("seed000_project_framework.xlsx")
        #expect(!CheckReport(framework: f0, findings: x0).hasErrors)
        let (f2, x2) = try findings("seed002_department_framework.xlsx")
        #expect(CheckReport(framework: f2, findings: x2).exitCode == 1)
    }
}
