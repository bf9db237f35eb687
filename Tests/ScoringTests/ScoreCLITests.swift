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

    /// The audit table (scripts/make-audit-scoring.py): criteria phrased unlike the seeds, scored from the same
    /// values written two ways (GBK CSV with names, headers 备注,完成值,指标,得分 and full-width digits; an openpyxl
    /// XLSX with a title row, 实际完成值（%） and percent-formatted numbers). Scores worked out by hand.
    @Test(arguments: ["measures/audit_measures_gbk.csv", "measures/audit_measures.xlsx"])
    func scoreAuditTable(_ measures: String) throws {
        let r = try runJixiao(["score", Fixtures.url("measures/audit_table.csv").path, "--measures", Fixtures.url(measures).path, "--json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let obj = try json(r)
        let expected: [String: Double] = [
            "A11": 3.4, "A12": 1.69, "A13": 2.5, "A14": 1.4, "A15": 1, "B11": 2, "B12": 1.2, "B13": 0, "B14": 1, "B15": 1,
            "C11": 3, "C12": 4, "C13": 1, "C14": 0, "C15": 2, "C16": 1.5,
        ]
        let indicators = obj["indicators"] as! [[String: Any]]
        for (code, score) in expected {
            let i = indicators.first { $0["code"] as? String == code }
            #expect(i?["score"] as? Double == score, "\(code): \(i?["explanation"] ?? "missing")")
            #expect(i?["method"] as? String == (code == "C16" ? "manual" : "rule"), "\(code)")
        }
        #expect((obj["total"] as! [String: Any])["score"] as? Double == 26.69)
    }

    /// A 自评表 written by openpyxl: targets in words (不少于, 不高于, ＞＝９０％), ＝12次, 0起 (a ceiling), months and
    /// working days, a percent actual as a number.
    @Test func scoreSelfEvaluationFormFromOpenpyxl() throws {
        let r = try runJixiao(["score", Fixtures.url("selfeval/selfeval_openpyxl.xlsx").path, "--json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let obj = try json(r)
        let expected: [String: Double] = [
            "A": 9.23, "B11": 9.2, "B12": 8.33, "B21": 10, "B31": 7.5, "B32": 5, "B41": 5, "C11": 0, "C12": 7, "C21": 10, "D11": 9.78,
        ]
        let indicators = obj["indicators"] as! [[String: Any]]
        for (code, score) in expected {
            let i = indicators.first { $0["code"] as? String == code }
            #expect(i?["score"] as? Double == score, "\(code): \(i?["explanation"] ?? "missing")")
        }
        #expect((obj["total"] as! [String: Any])["score"] as? Double == 81.04)
        #expect(obj["grade"] as? String == "良")
    }

    @Test func missingMeasuresFileIsExit2() throws {
        let r = try runJixiao(["score", Fixtures.url("xlsx/seed000_project_framework_blank.xlsx").path,
                               "--measures", "/nonexistent/m.xlsx"])
        #expect(r.status == 2)
        #expect(r.stderrText.contains("m.xlsx"))
    }
}
