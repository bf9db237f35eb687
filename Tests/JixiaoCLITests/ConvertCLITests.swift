import Foundation
import Testing
import TestSupport

/// `jixiao convert` end to end: exit codes and messages.
@Suite("jixiao convert")
struct ConvertCLITests {
    @Test func convertsATableAndSaysWhatItWrote() throws {
        let dir = try Fixtures.tempDirectory("cli-convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("附件2.xlsx").path
        let r = try runJixiao(["convert", Fixtures.url("xlsx/seed000_project_framework_blank.xlsx").path, out])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stderrText.contains("32 indicators"))
        let dump = try runJixiao(["dump", "--csv", out])
        #expect(dump.status == 0)
        #expect(dump.stdoutText.hasPrefix("附件2：项目支出绩效评价共性指标体系框架"))
        #expect(dump.stdoutText.contains("一级指标,二级指标,三级指标,四级指标,分值,得分,指标解释,评分标准,数据来源"))
    }

    /// Sheet names other writers allow and Excel does not (over 31 characters, equal in their first 31, `/`,
    /// control characters, apostrophes): the copy gets valid, unique names instead of being refused.
    @Test func sheetNamesExcelWouldRefuseAreMadeValid() throws {
        let dir = try Fixtures.tempDirectory("cli-convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (fixture, expected) in [
            ("hostile/xlsx_sheet_names_long.xlsx", ["部门整体支出绩效评价指标体系表（2024年度）项目支出绩效自评",
                                                   "部门整体支出绩效评价指标体系表（2024年度）项目支出 (2)", "引号"]),
            ("hostile/xlsx_sheet_names_paths.xlsx", [".._.._.._tmp_evil", "_etc_passwd", "a_b_c", "..", "CON"]),
        ] {
            let out = dir.appendingPathComponent("copy.xlsx").path
            let r = try runJixiao(["convert", Fixtures.url(fixture).path, out])
            #expect(r.status == 0, "\(fixture): \(r.stderrText)")
            let dump = try runJixiao(["dump", "--json", out])
            let json = try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any]
            let names = (json?["sheets"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == expected, "\(fixture): \(String(describing: names))")
        }
    }

    @Test func exitCodes() throws {
        let dir = try Fixtures.tempDirectory("cli-convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.csv").path
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: input))
        // Over its own input: refused, exit 2, input intact.
        let same = try runJixiao(["convert", input, input])
        #expect(same.status == 2)
        #expect(same.stderrText.contains("refusing to overwrite the input"))
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "a,b\n1,2\n")
        // Unknown output extension: usage, exit 3.
        let ext = try runJixiao(["convert", input, dir.appendingPathComponent("out.pdf").path])
        #expect(ext.status == 3)
        // A missing input: exit 2 naming it.
        let missing = try runJixiao(["convert", dir.appendingPathComponent("nope.xlsx").path, dir.appendingPathComponent("o.xlsx").path])
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("nope.xlsx"))
        // --table on a plain grid: no table, exit 2.
        let table = try runJixiao(["convert", "--table", input, dir.appendingPathComponent("o.xlsx").path])
        #expect(table.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.xlsx").path))
        // Bad encoding name: usage (ArgumentParser's validation exit code).
        let enc = try runJixiao(["convert", "--encoding", "latin9", input, dir.appendingPathComponent("o.csv").path])
        #expect(enc.status != 0)
        #expect(enc.stderrText.contains("unknown encoding"))
    }
}
