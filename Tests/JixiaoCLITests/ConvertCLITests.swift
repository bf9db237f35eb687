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
