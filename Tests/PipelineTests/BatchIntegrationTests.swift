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
        print("batch corpus: \(rows.count) inputs, \(counts)")
        // What each variation should give, independently of `check`: the clean project table stays clean
        // however it is reordered, rescored (within weights, 合计 following) or emptied; broken sums are found.
        for row in rows where !broken.contains(String(row.file.dropFirst(inDir.path.count + 1))) {
            let name = (row.file as NSString).lastPathComponent
            if ["_项目_reordered.", "_项目_rescored.", "_项目_noScores."].contains(where: name.contains) {
                #expect(row.status == "ok", "\(name): \(row.message ?? "")")
            }
            if ["_wrongTotal.", "_scoreAboveWeight.", "_weightChanged."].contains(where: name.contains) {
                #expect(row.status == "findings", "\(name)")
            }
            if name.contains("_noScores.") { #expect(row.score == nil && row.grade == nil, "\(name)") }
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

    // MARK: - Killed with SIGKILL mid-run, then resumed

    /// Complete manifest lines (a torn last line does not count, as on load).
    static func manifestRecords(_ out: URL) -> [BatchRecord] {
        guard let data = FileManager.default.contents(atPath: out.appendingPathComponent(BatchManifest.fileName).path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONDecoder().decode(BatchRecord.self, from: Data($0)) }
    }

    static func isTemporary(_ rel: String) -> Bool {
        let name = (rel as NSString).lastPathComponent
        return name.hasPrefix(".") && name.contains(".tmp-")
    }

    @Test func killedRunResumesWithEveryOutputComplete() throws {
        let root = try Fixtures.tempDirectory("batch-kill")
        defer { try? FileManager.default.removeItem(at: root) }
        var corpus = try BatchCorpus(seed: 9)
        let inDir = root.appendingPathComponent("in")
        let (inputs, broken) = try corpus.write(count: 200, into: inDir)
        let out = root.appendingPathComponent("out")

        // One worker, so the run takes long enough to be killed in the middle.
        let p = Process()
        p.executableURL = Fixtures.jixiaoBinary
        p.arguments = ["batch", inDir.path, "--out", out.path, "--jobs", "1", "--quiet"]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let target = 50
        while p.isRunning && Self.manifestRecords(out).count < target { usleep(2_000) }
        // Kill it while an output is being written, when that can be caught (a temporary is in DIR).
        var sawTemporary = false
        let deadline = Date().addingTimeInterval(3)
        while p.isRunning && !sawTemporary && Date() < deadline {
            sawTemporary = (FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String] ?? []).contains(where: Self.isTemporary)
        }
        let wasRunning = p.isRunning
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(wasRunning, "the batch finished before it could be killed")
        #expect(p.terminationReason == .uncaughtSignal)

        let before = Self.manifestRecords(out)
        #expect(before.count >= target && before.count < inputs.count, "\(before.count)")
        #expect(Set(before.map(\.input)).count == before.count)
        // Nothing in DIR but complete outputs, the manifest, the killed run's lock and at most a temporary.
        var outputs = 0
        for (rel, _) in try Self.snapshot(out) {
            if rel == BatchManifest.fileName || rel == ".jixiao.lock" || Self.isTemporary(rel) { continue }
            #expect(rel.hasSuffix(".xlsx"), "\(rel)")
            outputs += 1
            #expect(throws: Never.self, "\(rel) is not a complete table") { _ = try checkFile(path: out.path + "/" + rel, sheet: nil) }
        }
        #expect(outputs >= before.filter { $0.output != nil }.count)
        let strays = try Self.snapshot(out).keys.filter(Self.isTemporary)
        #expect(strays.count <= 1)
        if !sawTemporary { print("note: the batch was killed between two outputs (no temporary seen)") }
        let lock = try String(contentsOf: out.appendingPathComponent(".jixiao.lock"), encoding: .utf8)
        #expect(lock.trimmingCharacters(in: .whitespacesAndNewlines) == String(p.processIdentifier))

        // The rerun takes the dead run's lock over, skips exactly what was recorded, and finishes the rest.
        let r = try runJixiao(["batch", inDir.path, "--out", out.path, "--jobs", "2", "--log-json"])
        #expect(r.status == 2, "\(r.stderrText.suffix(1000))")
        let lines = Self.jsonLines(r.stderrText)
        #expect(lines.count == inputs.count)
        let skipped = lines.filter { $0["skipped"] as? Bool == true }
        #expect(skipped.count == before.count)
        #expect(Set(skipped.compactMap { $0["file"] as? String }) == Set(before.map(\.input)))

        let after = try Self.snapshot(out)
        #expect(!after.keys.contains(".jixiao.lock"))
        #expect(after.keys.filter(Self.isTemporary).isEmpty, "stale temporaries left: \(after.keys.filter(Self.isTemporary))")
        let records = Self.manifestRecords(out)
        #expect(records.count == inputs.count)
        let good = inputs.filter { !broken.contains($0) }
        // One output per readable input, under its own name: none missing, none duplicated.
        let expected = Set(good.map { ($0 as NSString).deletingPathExtension + ".xlsx" })
        #expect(Set(after.keys.filter { $0 != BatchManifest.fileName }) == expected)
        #expect(Set(records.compactMap(\.output)) == expected)
        for rel in expected.sorted().enumerated().filter({ $0.offset % 7 == 0 }).map(\.element) {
            #expect(throws: Never.self, "\(rel)") { _ = try checkFile(path: out.path + "/" + rel, sheet: nil) }
        }
    }

    // MARK: - An unchanged rerun writes nothing; --force rewrites the same bytes

    @Test func unchangedRerunWritesNothingAndForceIsByteIdentical() throws {
        let root = try Fixtures.tempDirectory("batch-twice")
        defer { try? FileManager.default.removeItem(at: root) }
        var corpus = try BatchCorpus(seed: 12)
        let inDir = root.appendingPathComponent("in")
        let (inputs, _) = try corpus.write(count: 30, into: inDir)
        let out = root.appendingPathComponent("out")
        for (format, summary) in [("xlsx", "汇总.xlsx"), ("csv", "汇总.csv"), ("json", "汇总.csv")] {
            let dir = out.appendingPathComponent(format)
            let args = ["batch", inDir.path, "--out", dir.path, "--summary", dir.path + "/" + summary, "--format", format, "--findings"]
            let first = try runJixiao(args)
            #expect(first.status == 2, "\(first.stderrText.suffix(500))")
            let s1 = try Self.snapshot(dir)
            #expect(s1.keys.contains(summary) && s1.keys.contains(BatchManifest.fileName))
            #expect(s1.keys.filter { $0.hasSuffix("." + format) && $0 != summary }.count > inputs.count / 2)

            let second = try runJixiao(args + ["--log-json"])
            #expect(second.status == 2)
            #expect(Self.jsonLines(second.stderrText).allSatisfy { $0["skipped"] as? Bool == true })
            #expect(try Self.snapshot(dir) == s1, "the second run wrote to \(format)")

            let bytes = try Dictionary(uniqueKeysWithValues: s1.keys.map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) })
            let forced = try runJixiao(args + ["--force", "--log-json"])
            #expect(forced.status == 2)
            #expect(Self.jsonLines(forced.stderrText).allSatisfy { $0["skipped"] as? Bool == false })
            let s3 = try Self.snapshot(dir)
            #expect(Set(s3.keys) == Set(s1.keys))
            for (rel, data) in bytes {
                #expect(try Data(contentsOf: dir.appendingPathComponent(rel)) == data, "\(format)/\(rel) changed under --force")
            }
            // And it did rewrite them (new files renamed into place).
            #expect(s3.filter { $0.key.hasSuffix("." + format) && $0.key != summary }.allSatisfy { $0.value[1] != s1[$0.key]![1] })
        }
    }
}

