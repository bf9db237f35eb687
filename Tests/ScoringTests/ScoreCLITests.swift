import Foundation
import Testing
import TestSupport

/// `jixiao rules` and `jixiao score` end to end on the XLSX fixtures.
@Suite struct ScoreCLITests {
    func json(_ r: ProcessResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: r.stdout) as! [String: Any]
    }

    @Test(arguments: ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"])
    func rulesReadAtLeast90Percent(_ fixture: String) throws {
        let r = try runJixiao(["rules", Fixtures.url("xlsx/" + fixture).path, "--json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let summary = try json(r)["summary"] as! [String: Any]
        let leaves = summary["leaves"] as! Double, read = summary["read"] as! Double
        #expect(leaves > 30 && read / leaves >= 0.9)
    }

    @Test func scoreSeed000WithMeasures() throws {
        let out = try Fixtures.tempDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try runJixiao(["score", Fixtures.url("xlsx/seed000_project_framework_blank.xlsx").path,
                               "--measures", Fixtures.url("measures/seed000_measures.xlsx").path, "--json",
                               "-o", out.appendingPathComponent("scored.xlsx").path])
        #expect(r.status == 0, "\(r.stderrText)")
        let obj = try json(r)
        #expect((obj["total"] as! [String: Any])["score"] as? Double == 99)
        #expect(obj["grade"] as? String == "优")
        let indicators = obj["indicators"] as! [[String: Any]]
        #expect(indicators.count == 32)
        for i in indicators {
            #expect(i["rule"] is [String: Any] && i["inputs"] is [Any] && (i["explanation"] as? String)?.isEmpty == false)
        }
        let b13 = try #require(indicators.first { $0["code"] as? String == "B13" })
        #expect(b13["explanation"] as? String == "B13 预算执行率 96.86% (7474490.38/7716520) ≥ 95%: 满分 2")
        #expect((b13["indicator_explanation"] as? String)?.contains("预算执行率=实际支出金额/项目预算金额") == true)
        #expect((b13["rule"] as? [String: Any])?["type"] as? String == "threshold")
        // -o wrote the department's own workbook with the scores in place.
        let back = try runJixiao(["check", out.appendingPathComponent("scored.xlsx").path, "--json"])
        #expect(back.status == 0, "\(back.stderrText)")
        let checked = try json(back)
        #expect((checked["total"] as! [String: Any])["score"] as? Double == 99)
        #expect((checked["total"] as! [String: Any])["stated_score"] as? Double == 99)
        let c111 = (checked["indicators"] as! [[String: Any]]).first { $0["code"] as? String == "C111" }
        #expect(c111?["score"] as? Double == 9)
    }

    @Test func scoreSelfEvaluationForm() throws {
        let r = try runJixiao(["score", Fixtures.url("selfeval/selfeval_project.xlsx").path])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("C21 群众投诉率 实际 2.5%，目标 ≤2%（反向指标）: 2/2.5 × 10 = 8"))
        #expect(r.stdoutText.contains("Total 总分: 94.47 of 100 · grade 等级 优"))
    }

    @Test func missingMeasuresFileIsExit2() throws {
        let r = try runJixiao(["score", Fixtures.url("xlsx/seed000_project_framework_blank.xlsx").path,
                               "--measures", "/nonexistent/m.xlsx"])
        #expect(r.status == 2)
        #expect(r.stderrText.contains("m.xlsx"))
    }
}
