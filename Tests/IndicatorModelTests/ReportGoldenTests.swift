import Foundation
import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// `jixiao check --json` output of every fixture, against Fixtures/golden/check/<fixture>.json
/// (re-record with RECORD_GOLDENS=1, then review the diff by hand against the seeds).
struct ReportGoldenTests {
    static let fixtures = [
        "seed000_project_framework.xlsx", "seed000_project_framework_blank.xlsx", "seed002_department_framework.xlsx",
        "seed000_project_framework.csv", "seed002_department_framework_gbk.csv",
    ]

    static func report(_ fixture: String) throws -> CheckReport {
        let wb = fixture.hasSuffix(".xlsx") ? try GridJSON.golden(fixture)
            : try TinyCSV.grid("csv/\(fixture)", gbk: fixture.contains("gbk"))
        return CheckReport(validating: try Normaliser.frameworks(in: wb, sheet: nil))
    }

    @Test(arguments: fixtures)
    func jsonMatchesGolden(_ fixture: String) throws {
        let text = try Self.report(fixture).jsonText()
        let url = Fixtures.url("golden/check/\(fixture).json")
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try Data(text.utf8).write(to: url, options: .atomic)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(text == golden, "re-record with RECORD_GOLDENS=1 and review")
        // And it is JSON with the documented keys in order.
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(obj.keys) == ["file", "sheet", "title", "organisation", "levels", "indicators", "parents", "total", "grade", "findings"])
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["file", "sheet", "title", "organisation", "levels", "indicators", "parents", "total", "grade", "findings"])
    }

    @Test func textReportShowsTreeFindingsAndGrade() throws {
        let text = try Self.report("seed002_department_framework.xlsx").text()
        #expect(text.contains("  C1 部门产出"))
        #expect(text.contains("    C11 机构运行经费支出计划完成"))
        #expect(text.contains("Findings: 4 errors, 1 warning"))
        #expect(text.contains("seed002_department_framework.xlsx!附件1!B31: error [weight-children] C1 部门产出: stated weight 18 but its sub-indicators sum to 19"))
        #expect(text.hasSuffix("Total 总分: 97 of 100 (stated 合计 96) · grade 等级 优\n"))
        // Columns line up in display width (CJK counts 2): everything before the score column is equally wide.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("indicator 指标") })
        let end = try #require(lines.firstIndex { $0.hasPrefix("合计 total") })
        let widths = Set(lines[start...end].map { l in
            TextKit.displayWidth(l) - TextKit.displayWidth(String(l.split(separator: " ").last ?? ""))
        })
        #expect(end - start == 54 && widths.count == 1)  // header, 3 + 11 + 39 nodes, 合计
    }
}
