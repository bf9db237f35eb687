import Foundation
import SheetCore
import Testing
import TestSupport
import XLSXFormat

/// `dump --csv` without `--sheet` prints what the sender sees first: the first visible worksheet, not a hidden
/// one before it (a hidden 说明 or lookup sheet is common in templates).
@Suite struct DumpSheetChoiceTests {
    @Test func csvDumpSkipsHiddenSheets() throws {
        let dir = try Fixtures.tempDirectory("dump-hidden")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hidden-first.xlsx").path
        let w = XLSXWriter(displayName: path)
        var hidden = Grid(name: "数据源", values: [[.string("lookup"), .number(1)]])
        hidden.info.visibility = .hidden
        try w.addSheet(hidden)
        try w.addSheet(Grid(name: "附件2", values: [[.string("一级指标"), .string("分值")], [.string("A"), .number(20)]]))
        try Data(try w.finish()).write(to: URL(fileURLWithPath: path))

        let run = try runJixiao(["dump", "--csv", path])
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stdoutText == "一级指标,分值\nA,20\n")
        // Named, the hidden sheet is still printed.
        #expect(try runJixiao(["dump", "--csv", "--sheet", "数据源", path]).stdoutText == "lookup,1\n")
    }
}
