import Foundation
import Testing
import TestSupport

/// `jixiao check` end to end on the XLSX fixtures (real reader), against the same goldens as the library.
struct CheckCommandTests {
    @Test(arguments: ["seed000_project_framework.xlsx", "seed000_project_framework_blank.xlsx", "seed002_department_framework.xlsx"])
    func jsonMatchesGolden(_ fixture: String) throws {
        let r = try runJixiao(["check", fixture, "--json"], cwd: Fixtures.url("xlsx"))
        let golden = try String(contentsOf: Fixtures.url("golden/check/\(fixture).json"), encoding: .utf8)
        #expect(r.stdoutText == golden)
        #expect(r.status == (fixture.hasPrefix("seed002") ? 1 : 0), "\(r.stderrText)")
    }

    @Test func readableReportAndExitCodes() throws {
        let dir = Fixtures.url("xlsx")
        let ok = try runJixiao(["check", "seed000_project_framework.xlsx"], cwd: dir)
        #expect(ok.status == 0)
        #expect(ok.stdoutText.contains("      B232 财务制度执行有效性"))
        #expect(ok.stdoutText.contains("No findings."))
        #expect(ok.stdoutText.hasSuffix("Total 总分: 99 of 100 (stated 合计 99) · grade 等级 优\n"))

        let bad = try runJixiao(["check", "seed002_department_framework.xlsx", "--sheet", "附件1"], cwd: dir)
        #expect(bad.status == 1)
        #expect(bad.stdoutText.contains("seed002_department_framework.xlsx!附件1!D42: error [total-score]"))

        let missing = try runJixiao(["check", "no-such-file.xlsx"], cwd: dir)
        #expect(missing.status == 2 && missing.stderrText.contains("no-such-file.xlsx"))
        let noSheet = try runJixiao(["check", "seed000_project_framework.xlsx", "--sheet", "Sheet9"], cwd: dir)
        #expect(noSheet.status == 2 && noSheet.stderrText.contains("Sheet9"))

        let strict = try runJixiao(["check", "seed000_project_framework.xlsx", "--json", "--bands", "100,99.9,99.5"], cwd: dir)
        let obj = try JSONSerialization.jsonObject(with: strict.stdout) as? [String: Any]
        #expect(obj?["grade"] as? String == "差")
    }
}
