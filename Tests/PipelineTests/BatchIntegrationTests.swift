import Foundation
import IndicatorModel
import Testing
@testable import Pipeline
import SheetCore
import TestSupport

/// `jixiao batch` end to end (the built binary as a subprocess) on a few hundred generated workbooks and CSVs
/// plus broken files: every summary row against the single-file `check`, a run killed with SIGKILL and resumed,
/// and a rerun on unchanged inputs that writes nothing.
@Suite(.serialized) struct BatchIntegrationTests {
    /// One summary row, read back from the summary workbook.
    struct Row {
        var file: String, sheet: String?, title: String?, weight: Double?, score: Double?, grade: String?
        var errors: Int, warnings: Int, status: String, message: String?
    }

    static func summaryRows(_ path: String) throws -> [Row] {
        let wb = try loadWorkbook(path: path)
        let g = wb.sheets[0]
        let header = (0..<UInt16(BatchPipeline.summaryHeader.count)).map { g[0, $0].text }
        #expect(header == BatchPipeline.summaryHeader)
        func num(_ v: CellValue) -> Double? { if case .number(let d) = v { return d }; return nil }
        func str(_ v: CellValue) -> String? { v.isEmpty ? nil : v.text }
        return g.rows.dropFirst().map { r in
            let v = (0..<UInt16(10)).map { r.cell(at: $0)?.value ?? .empty }
            return Row(file: v[0].text, sheet: str(v[1]), title: str(v[2]), weight: num(v[3]), score: num(v[4]),
                       grade: str(v[5]), errors: Int(num(v[6]) ?? -1), warnings: Int(num(v[7]) ?? -1),
                       status: v[8].text, message: str(v[9]))
        }
    }

    /// Every file under `dir` (relative path → size, inode, mtime), hidden ones included.
    static func snapshot(_ dir: URL) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for rel in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
            var st = stat()
            guard stat(dir.path + "/" + rel, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            out[rel] = [Int(st.st_size), Int(st.st_ino), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec)]
        }
        return out
    }

    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    // MARK: - Every summary row agrees with `check`

    @Test func summaryOfAFewHundredInputsAgreesWithCheck() throws {
        let root = try Fixtures.tempDirectory("batch-corpus")
        defer { try? FileManager.default.removeItem(at: root) }
        var corpus = try BatchCorpus(seed: 6)
        let inDir = root.appendingPathComponent("in")
        let (inputs, broken) = try corpus.write(count: 290, into: inDir)
        #expect(inputs.count >= 300)
        let out = root.appendingPathComponent("out"), summary = root.appendingPathComponent("汇总.xlsx")

        let r = try runJixiao(["batch", inDir.path, "--out", out.path, "--summary", summary.path, "--jobs", "2", "--log-json"])
        #expect(r.status == 2, "\(r.stderrText.suffix(2000))")

        // One JSON line per input on standard error, nothing else.
        let lines = Self.jsonLines(r.stderrText)
        #expect(lines.count == inputs.count)
        #expect(r.stderrText.split(separator: "\n").count == inputs.count)

        let rows = try Self.summaryRows(summary.path)
        #expect(rows.count == inputs.count)
        #expect(rows.map(\.file) == rows.map(\.file).sorted())
        #expect(Set(rows.map(\.file)) == Set(inputs.map { inDir.path + "/" + $0 }))
        let logged = Dictionary(lines.map { ($0["file"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })

        var counts: [String: Int] = [:]
        for row in rows {
            counts[row.status, default: 0] += 1
            let rel = String(row.file.dropFirst(inDir.path.count + 1))
            #expect(logged[row.file]?["status"] as? String == row.status, "\(rel)")
            let checked: (Framework, [Finding])
            do {
                checked = try checkFile(path: row.file, sheet: nil)
            } catch {
                #expect(row.status == "failed", "\(rel): check fails (\(error)) but batch says \(row.status)")
                #expect(row.message?.isEmpty == false, "\(rel)")
                continue
            }
            let (fw, findings) = checked
            let errors = findings.filter { $0.severity == .error }
            let warnings = findings.filter { $0.severity == .warning }.count
            #expect(!broken.contains(rel), "\(rel) is broken but check reads it")
            #expect(row.status == (errors.isEmpty ? "ok" : "findings"), "\(rel): \(row.message ?? "")")
            #expect(row.errors == errors.count, "\(rel): batch \(row.errors) errors, check \(errors.count)")
            #expect(row.warnings == warnings, "\(rel): batch \(row.warnings) warnings, check \(warnings)")
            #expect(row.weight == fw.totals.weight, "\(rel)")
            #expect(row.score == fw.totals.score, "\(rel)")
            #expect(row.grade == fw.grade(bands: .standard)?.rawValue, "\(rel)")
            #expect(row.sheet == fw.sheet && row.title == fw.title, "\(rel)")
            if let first = errors.first {
                #expect(row.message?.hasSuffix(first.message) == true, "\(rel)")
            } else {
                #expect(row.message == nil, "\(rel)")
            }
        }
        // A real mix: every broken file failed, and both clean and faulty tables are there.
        #expect(counts["failed"] == broken.count)
        #expect(counts["ok", default: 0] >= 40 && counts["findings", default: 0] >= 40, "\(counts)")

        // The binary's `check` agrees with the library's on a sample (exit 2 ⇔ failed, 1 ⇔ findings).
        for row in rows.enumerated().filter({ $0.offset % 25 == 0 }).map(\.element) + rows.filter({ $0.status == "failed" }).prefix(3) {
            let c = try runJixiao(["check", row.file, "--json"])
            #expect(c.status == ["ok": 0, "findings": 1, "failed": 2][row.status], "\(row.file)")
            if c.status != 2, let obj = try JSONSerialization.jsonObject(with: c.stdout) as? [String: Any] {
                let total = obj["total"] as? [String: Any]
                #expect((total?["score"] as? NSNumber)?.doubleValue == row.score, "\(row.file)")
                #expect((total?["weight"] as? NSNumber)?.doubleValue == row.weight, "\(row.file)")
                #expect(obj["grade"] as? String == row.grade, "\(row.file)")
            }
        }

        // Outputs mirror the input folders; each is a complete table that `check` reads with the same totals.
        for (i, row) in rows.enumerated() where row.status != "failed" {
            let rel = String(row.file.dropFirst(inDir.path.count + 1))
            let stem = (rel as NSString).deletingPathExtension
            let output = out.path + "/" + stem + ".xlsx"
            #expect(FileManager.default.fileExists(atPath: output), "\(output)")
            if i % 10 == 0 {
                let (fw, _) = try checkFile(path: output, sheet: nil)
                #expect(fw.totals.score == row.score && fw.totals.weight == row.weight, "\(output)")
            }
        }
        // Lock files and hidden files are not inputs; nothing but outputs and the manifest is left in DIR.
        #expect(!rows.contains { $0.file.contains("~$") || $0.file.contains("/.") })
        let left = try Self.snapshot(out).keys.filter { !$0.hasSuffix(".xlsx") }
        #expect(left == [BatchManifest.fileName])
    }
}
