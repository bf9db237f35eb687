import Foundation
import Pipeline
import SheetCore
import Testing
import TestSupport

/// Issue 8, the large hostile files (built at run time, see `HostileFiles`): a 1 GiB zip bomb in a 1 MB
/// workbook, two ways, and a CSV with a 100 MB field. Through the built `jixiao` (exit code 2, a clear line,
/// under 2 s of CPU and 200 MB) and through `loadWorkbook`.
@Suite("Hostile large files", .serialized)
struct HostileBigFileTests {
    static let cpuLimit = 2.0
    static let memoryLimit = 200 << 20

    func expectRefused(_ path: String, containing parts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for args in [["check", path], ["dump", "--json", path]] {
            let run = try runJixiaoMeasured(args)
            #expect(run.status == 2, "\(args[0]): \(run.summary) \(run.stderrText)", sourceLocation: sourceLocation)
            #expect(!run.timedOut && run.cpuSeconds < HostileBigFileTests.cpuLimit && run.maxRSS < HostileBigFileTests.memoryLimit,
                    "\(args[0]): \(run.summary)", sourceLocation: sourceLocation)
            #expect(run.stderrText.split(separator: "\n").count == 1, "\(run.stderrText)", sourceLocation: sourceLocation)
            #expect(run.stderrText.hasPrefix("jixiao: error: \(path)"), "\(run.stderrText)", sourceLocation: sourceLocation)
            for p in parts {
                #expect(run.stderrText.contains(p), "“\(p)” missing: \(run.stderrText)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a 1 GiB part of zeros (the workbook part, read whole) is refused from its sizes")
    func zeroBomb() throws {
        let dir = try Fixtures.tempDirectory("bomb")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try HostileFiles.zeroBombWorkbook()
        #expect(bytes.count < 1_200_000, "\(bytes.count) bytes")
        let url = dir.appendingPathComponent("xlsx_bomb_1g_workbook.xlsx")
        try Data(bytes).write(to: url)
        try expectRefused(url.path, containing: ["xl/workbook.xml", "maxCompressionRatio", "--max-compression-ratio"])
        let e = #expect(throws: JixiaoError.self) { try loadWorkbook(path: url.path) }
        #expect(e?.kind == .limitExceeded)
        #expect(e?.location?.part == "xl/workbook.xml")
    }

    @Test("a 1 GiB sheet of spaces (streamed) stops while inflating, and so it does when the header lies")
    func streamedBomb() throws {
        let dir = try Fixtures.tempDirectory("bomb")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try HostileFiles.spaceBombSheet()
        let url = dir.appendingPathComponent("xlsx_bomb_1g_sheet.xlsx")
        try Data(bytes).write(to: url)
        try expectRefused(url.path, containing: ["Sheet1", "maxCompressionRatio"])
        // The same with every header declaring 1,000 bytes for the bomb part (local and central).
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        var patched = 0
        for i in 0..<(bytes.count - 46) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B {
            let (sizeAt, nameAt): (Int, Int)
            if bytes[i + 2] == 3 && bytes[i + 3] == 4 { (sizeAt, nameAt) = (i + 22, i + 30) }
            else if bytes[i + 2] == 1 && bytes[i + 3] == 2 { (sizeAt, nameAt) = (i + 24, i + 46) }
            else { continue }
            guard nameAt + name.count <= bytes.count, Array(bytes[nameAt..<(nameAt + name.count)]) == name else { continue }
            bytes.replaceSubrange(sizeAt..<(sizeAt + 4), with: [0xE8, 0x03, 0, 0])
            patched += 1
        }
        #expect(patched == 2)
        let lying = dir.appendingPathComponent("xlsx_bomb_1g_sheet_lying.xlsx")
        try Data(bytes).write(to: lying)
        try expectRefused(lying.path, containing: ["Sheet1", "declared size"])
        // Limits raised by flags: the bomb then meets maxPartSize while inflating, still bounded.
        let run = try runJixiaoMeasured(["dump", "--json", "--max-compression-ratio", "100000", "--max-part-size", "64M", url.path])
        #expect(run.status == 2 && run.stderrText.contains("--max-part-size"), "\(run.stderrText)")
        #expect(run.maxRSS < HostileBigFileTests.memoryLimit && run.cpuSeconds < HostileBigFileTests.cpuLimit, "\(run.summary)")
    }

    @Test("a CSV field of 100 MB stops at maxCSVField")
    func hugeCSVField() throws {
        let dir = try Fixtures.tempDirectory("csvfield")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("csv_field_100m.csv")
        try HostileFiles.csvWithHugeField(at: url)
        try expectRefused(url.path, containing: ["csv_field_100m.csv:2", "maxCSVField", "--max-csv-field"])
        let e = #expect(throws: JixiaoError.self) { try loadWorkbook(path: url.path) }
        #expect(e?.kind == .limitExceeded)
        #expect(e?.location?.line == 2)
    }
}
