import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// `jixiao batch` as cron sees it: exit codes, --quiet, --log-json, the lock, measures matched by name, and
/// output names from hostile input names.
@Suite(.serialized) struct BatchCLITests {
    /// A folder of inputs copied from the fixtures: `rel → fixture`.
    func inputs(_ files: [String: String]) throws -> URL {
        let root = try Fixtures.tempDirectory("batch-cli")
        for (rel, fixture) in files {
            let url = root.appendingPathComponent("in/" + rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Fixtures.url(fixture), to: url)
        }
        return root
    }

    func jsonLines(_ r: ProcessResult) -> [[String: Any]] {
        r.stderrText.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Every regular file under `dir`, relative.
    func files(_ dir: URL) -> Set<String> {
        let fm = FileManager.default
        return Set((fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter { rel in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: dir.path + "/" + rel, isDirectory: &isDir) && !isDir.boolValue
        })
    }

    /// A file named in an `@list` that is gone is one failed input (exit 2, named on standard error), not the
    /// end of the run; a missing path on the command line is still a usage error (exit 3).
    @Test func aListedFileThatIsGoneFailsAlone() throws {
        let root = try inputs(["a.xlsx": "xlsx/seed000_project_framework.xlsx"])
        let list = root.appendingPathComponent("list.txt")
        try Data("in/a.xlsx\nin/已删除.xlsx\n".utf8).write(to: list)
        let out = root.appendingPathComponent("out").path
        let run = try runJixiao(["batch", "@" + list.path, "--out", out, "--log-json"])
        #expect(run.status == 2, "\(run.stderrText)")
        let lines = jsonLines(run)
        #expect(lines.count == 2)
        let gone = try #require(lines.first { ($0["file"] as? String) == "in/已删除.xlsx" })
        #expect(gone["status"] as? String == "failed")
        #expect((gone["message"] as? String)?.contains("no such file") == true, "\(gone)")
        #expect(lines.contains { ($0["file"] as? String) == "in/a.xlsx" && ($0["status"] as? String) == "ok" })
        #expect(FileManager.default.fileExists(atPath: out + "/a.xlsx"))

        let typo = try runJixiao(["batch", root.appendingPathComponent("nope").path, "--out", out])
        #expect(typo.status == 3, "\(typo.stderrText)")
    }

    /// Spreadsheets in other formats in a searched folder are not inputs, but the batch says they were not read
    /// (not with --quiet, and not among the --log-json lines).
    @Test func otherSpreadsheetFormatsAreNamedNotRead() throws {
        let root = try inputs(["a.xlsx": "xlsx/seed000_project_framework.xlsx"])
        try Data("legacy".utf8).write(to: root.appendingPathComponent("in/旧表.xls"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("in/sub"), withIntermediateDirectories: true)
        try Data("ods".utf8).write(to: root.appendingPathComponent("in/sub/b.ods"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("in/readme.txt"))
        let input = root.appendingPathComponent("in").path
        let run = try runJixiao(["batch", input, "--out", root.appendingPathComponent("out").path])
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stderrText.contains("2 file(s) in other spreadsheet formats not read"), "\(run.stderrText)")
        #expect(run.stderrText.contains("旧表.xls") && run.stderrText.contains("sub/b.ods") && !run.stderrText.contains("readme"))
        let quiet = try runJixiao(["batch", input, "--out", root.appendingPathComponent("out2").path, "--quiet"])
        #expect(quiet.status == 0 && quiet.stderrText.isEmpty, "\(quiet.stderrText)")
        let json = try runJixiao(["batch", input, "--out", root.appendingPathComponent("out3").path, "--log-json"])
        #expect(json.status == 0 && !json.stderrText.contains("other spreadsheet"), "\(json.stderrText)")
        #expect(jsonLines(json).count == 1)
    }

    @Test func exitCodesFollowTheWorstInput() throws {
        let ok = "xlsx/seed000_project_framework.xlsx", findings = "xlsx/seed002_department_framework.xlsx"
        let root = try inputs(["ok/a.xlsx": ok, "ok/b.csv": "csv/seed000_project_framework.csv",
                               "findings/c.xlsx": findings, "failed/d.xlsx": "bad/truncated_zip.xlsx"])
        defer { try? FileManager.default.removeItem(at: root) }
        let inDir = root.appendingPathComponent("in").path
        func run(_ args: [String]) throws -> ProcessResult {
            try runJixiao(["batch"] + args + ["--out", root.path + "/out-\(UUID().uuidString)"])
        }
        #expect(try run([inDir + "/ok"]).status == 0)
        #expect(try run([inDir + "/ok", inDir + "/findings"]).status == 1)
        let failed = try run([inDir])
        #expect(failed.status == 2)
        #expect(failed.stderrText.contains("d.xlsx"))
        #expect(failed.stderrText.contains("4 inputs: 2 ok, 1 with findings, 1 failed"), "\(failed.stderrText)")

        // 3: usage and environment errors, before any input is touched.
        for bad in [["--bogus"], ["--format", "bogus"], ["--jobs", "0"], ["--summary", "s.txt"], [inDir + "/missing.xlsx"]] {
            let r = try run([inDir] + bad)
            #expect(r.status == 3, "\(bad): \(r.status) \(r.stderrText)")
            #expect(!r.stderrText.isEmpty)
        }
        // A summary in a folder that does not exist: refused before any input is processed (it used to fail
        // only at the end, after every output was written).
        let early = root.path + "/out-early"
        let noFolder = try runJixiao(["batch", inDir, "--out", early, "--summary", root.path + "/nowhere/汇总.xlsx"])
        #expect(noFolder.status == 3 && noFolder.stderrText.contains("nowhere/汇总.xlsx"), "\(noFolder.stderrText)")
        #expect(files(URL(fileURLWithPath: early)).isEmpty, "\(files(URL(fileURLWithPath: early)))")
        // A DIR locked by a live process (this test holds the lock) is refused with 3 and left alone.
        let locked = root.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        let lock = locked.appendingPathComponent(".jixiao.lock")
        let me = ProcessInfo.processInfo.processIdentifier
        let fd = open(lock.path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = Array("\(me)\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let r = try runJixiao(["batch", inDir, "--out", locked.path])
        #expect(r.status == 3)
        #expect(r.stderrText.contains("pid \(me)"), "\(r.stderrText)")
        #expect(files(locked) == [".jixiao.lock"])
        // When its process is gone (here: the lock dropped), the lock is taken over, even though the file
        // still names a live pid.
        close(fd)
        #expect(try runJixiao(["batch", inDir + "/ok", "--out", locked.path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: lock.path))

        // An output folder that is a file, or cannot be created: 3, with the folder named.
        try Data().write(to: root.appendingPathComponent("a-file"))
        for out in [root.path + "/a-file", root.path + "/a-file/sub"] {
            let e = try runJixiao(["batch", inDir + "/ok", "--out", out])
            #expect(e.status == 3 && e.stderrText.hasPrefix("jixiao: error: ") && e.stderrText.contains(out), "\(e.stderrText)")
        }

        // An output folder inside the input folder is not read back as input on the next run.
        let nested = inDir + "/ok/scored"
        #expect(try runJixiao(["batch", inDir + "/ok", "--out", nested, "--summary", inDir + "/ok/汇总.csv"]).status == 0)
        let again = try runJixiao(["batch", inDir + "/ok", "--out", nested, "--summary", inDir + "/ok/汇总.csv"])
        #expect(again.status == 0 && again.stderrText.contains("2 inputs"), "\(again.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: nested + "/scored"))

        // The codes are documented.
        let help = try runJixiao(["batch", "--help"]).stdoutText
        for code in ["0 all inputs ok", "1 some inputs have findings", "2 some inputs failed", "3 usage or environment"] {
            #expect(help.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ").contains(code), "\(code)")
        }
    }

    @Test func quietPrintsOnlyErrorsAndLogJSONOneObjectPerInput() throws {
        let root = try inputs(["a.xlsx": "xlsx/seed000_project_framework.xlsx", "sub/b.xlsx": "xlsx/seed002_department_framework.xlsx",
                               "sub/c.csv": "csv/seed002_department_framework_gbk.csv", "bad.xlsx": "bad/not_a_zip.xlsx"])
        defer { try? FileManager.default.removeItem(at: root) }
        let inDir = root.appendingPathComponent("in").path

        let quiet = try runJixiao(["batch", inDir, "--out", root.path + "/q", "--quiet"])
        #expect(quiet.status == 2)
        #expect(quiet.stdoutText.isEmpty)
        let lines = quiet.stderrText.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("jixiao: error: ") && lines[0].contains("bad.xlsx"), "\(quiet.stderrText)")
        let quietOK = try runJixiao(["batch", inDir + "/a.xlsx", "--out", root.path + "/q2", "--quiet"])
        #expect(quietOK.status == 0 && quietOK.stdout.isEmpty && quietOK.stderr.isEmpty)

        let log = try runJixiao(["batch", inDir, "--out", root.path + "/j", "--log-json"])
        #expect(log.status == 2 && log.stdout.isEmpty)
        let objs = jsonLines(log)
        #expect(objs.count == 4 && log.stderrText.split(separator: "\n").count == 4, "\(log.stderrText)")
        let byFile = Dictionary(uniqueKeysWithValues: objs.map { ($0["file"] as? String ?? "", $0) })
        #expect(Set(byFile.keys) == Set(["a.xlsx", "bad.xlsx", "sub/b.xlsx", "sub/c.csv"].map { inDir + "/" + $0 }))
        let a = byFile[inDir + "/a.xlsx"]
        #expect(a?["status"] as? String == "ok" && a?["skipped"] as? Bool == false)
        #expect((a?["total_score"] as? NSNumber)?.doubleValue == 99 && a?["grade"] as? String == "优")
        #expect(a?["output"] as? String == "a.xlsx")
        #expect(byFile[inDir + "/sub/b.xlsx"]?["status"] as? String == "findings")
        #expect((byFile[inDir + "/sub/b.xlsx"]?["errors"] as? NSNumber)?.intValue ?? 0 > 0)
        #expect(byFile[inDir + "/bad.xlsx"]?["status"] as? String == "failed")
        #expect((byFile[inDir + "/bad.xlsx"]?["message"] as? String)?.isEmpty == false)
        // Each object agrees with `check` of its input.
        for (file, obj) in byFile {
            let c = try runJixiao(["check", file, "--json"])
            #expect(c.status == ["ok": 0, "findings": 1, "failed": 2][obj["status"] as? String ?? ""], "\(file)")
            if let checked = try? JSONSerialization.jsonObject(with: c.stdout) as? [String: Any] {
                let total = checked["total"] as? [String: Any]
                #expect((total?["score"] as? NSNumber) == (obj["total_score"] as? NSNumber), "\(file)")
                #expect(checked["grade"] as? String == obj["grade"] as? String, "\(file)")
                let findings = checked["findings"] as? [[String: Any]] ?? []
                #expect(findings.filter { $0["severity"] as? String == "error" }.count == (obj["errors"] as? NSNumber)?.intValue)
                #expect(findings.filter { $0["severity"] as? String == "warning" }.count == (obj["warnings"] as? NSNumber)?.intValue)
            }
        }
        // The rerun marks every input skipped.
        let again = jsonLines(try runJixiao(["batch", inDir, "--out", root.path + "/j", "--log-json"]))
        #expect(again.count == 4 && again.allSatisfy { $0["skipped"] as? Bool == true })
    }

    /// The progress bar goes to a terminal only: a pipe (cron, a log file) gets none of it.
    @Test func progressBarOnlyOnATerminal() throws {
        let root = try inputs(["a.xlsx": "xlsx/seed000_project_framework.xlsx", "b.xlsx": "bad/not_a_zip.xlsx"])
        defer { try? FileManager.default.removeItem(at: root) }
        let piped = try runJixiao(["batch", root.path + "/in", "--out", root.path + "/p"])
        #expect(!piped.stderrText.contains("\r") && !piped.stderrText.contains("█"))

        // Standard error on a pseudo-terminal.
        // (posix_openpt and friends are in libc but not in the Glibc module: looked up by name.)
        typealias IntFn = @convention(c) (Int32) -> Int32
        typealias NameFn = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func fn<T>(_ name: String, _ type: T.Type) throws -> T { unsafeBitCast(try #require(dlsym(nil, name)), to: type) }
        let master = try fn("posix_openpt", IntFn.self)(O_RDWR | O_NOCTTY)
        try #require(master >= 0 && (try fn("grantpt", IntFn.self))(master) == 0 && (try fn("unlockpt", IntFn.self))(master) == 0)
        let name = try #require(try fn("ptsname", NameFn.self)(master))
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let p = Process()
        p.executableURL = Fixtures.jixiaoBinary
        p.arguments = ["batch", root.path + "/in", "--out", root.path + "/t"]
        p.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        close(slave)
        var text = Data()
        var buf = [UInt8](repeating: 0, count: 4096)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        while true {
            let n = read(master, &buf, buf.count)
            if n <= 0 { break }
            text.append(contentsOf: buf[0..<n])
        }
        close(master)
        let shown = String(decoding: text, as: UTF8.self)
        #expect(p.terminationStatus == 2)
        #expect(shown.contains("█") && shown.contains("2/2"), "\(shown.debugDescription)")
        // The error line starts on a cleared line, not after the bar.
        #expect(shown.contains("\r\u{1B}[Kjixiao: error: "), "\(shown.debugDescription)")
    }

    @Test func measuresFolderIsMatchedByName() throws {
        let blank = "xlsx/seed000_project_framework_blank.xlsx", measures = "measures/seed000_measures.csv"
        let root = try inputs(["教育局/附件2.xlsx": blank, "卫健委.xlsx": blank, "财政局.xlsx": blank])
        defer { try? FileManager.default.removeItem(at: root) }
        let m = root.appendingPathComponent("measures")
        for (rel, fixture) in [("教育局/附件2.csv", measures), ("卫健委_measures.csv", measures), ("水务局.csv", measures)] {
            try FileManager.default.createDirectory(at: m.appendingPathComponent(rel).deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Fixtures.url(fixture), to: m.appendingPathComponent(rel))
        }
        let inDir = root.appendingPathComponent("in").path
        let r = try runJixiao(["batch", inDir, "--out", root.path + "/out", "--measures", m.path, "--log-json", "--format", "json"])
        let byFile = Dictionary(uniqueKeysWithValues: jsonLines(r).map { ($0["file"] as? String ?? "", $0) })
        #expect(byFile.count == 3, "\(r.stderrText)")

        // The matched ones are scored exactly as `jixiao score --measures` scores them.
        let scored = try runJixiao(["score", Fixtures.url(blank).path, "--measures", Fixtures.url(measures).path, "--json"])
        let expected = try JSONSerialization.jsonObject(with: scored.stdout) as? [String: Any]
        let expectedScore = (expected?["total"] as? [String: Any])?["score"] as? NSNumber
        #expect(expectedScore != nil)
        for name in ["教育局/附件2.xlsx", "卫健委.xlsx"] {
            let obj = byFile[inDir + "/" + name]
            #expect(obj?["total_score"] as? NSNumber == expectedScore, "\(name)")
            #expect(obj?["grade"] as? String == expected?["grade"] as? String, "\(name)")
            let out = root.path + "/out/" + (name as NSString).deletingPathExtension + ".json"
            let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
            #expect((written?["total"] as? [String: Any])?["score"] as? NSNumber == expectedScore, "\(out)")
        }
        // 财政局 has no measures file (水务局.csv matches nothing): its blank table stays unscored, like `check`.
        let unmatched = byFile[inDir + "/财政局.xlsx"]
        #expect(unmatched?["total_score"] == nil)
        #expect(unmatched?["status"] as? String == "ok")
        #expect((unmatched?["warnings"] as? NSNumber)?.intValue == 0)
    }

    /// A failed input's error line names the option that raises the limit it hit, like the single-file commands.
    @Test func limitErrorsNameTheirOption() throws {
        let root = try inputs(["a.xlsx": "xlsx/seed000_project_framework.xlsx"])
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try runJixiao(["batch", root.path + "/in", "--out", root.path + "/out", "--max-zip-entries", "3"])
        #expect(r.status == 2)
        let line = r.stderrText.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.contains("maxZipEntries") && line.contains("(raise with --max-zip-entries"), "\(r.stderrText)")
        let json = try runJixiao(["batch", root.path + "/in", "--out", root.path + "/out2", "--max-zip-entries", "3", "--log-json"])
        #expect(jsonLines(json).first?["message"] as? String != nil && !json.stderrText.contains("raise with"), "\(json.stderrText)")
    }

    /// The same department name in two districts: a name match never hands one district's measured values to the
    /// other, and a name that several measures files share is not guessed.
    @Test func measuresByNameNeverCrossFolders() throws {
        let blank = "xlsx/seed000_project_framework_blank.xlsx", measures = "measures/seed000_measures.csv"
        let root = try inputs(["城区/教育局.xlsx": blank, "郊区/教育局.xlsx": blank, "卫健委.xlsx": blank,
                               "水务局.xlsx": blank, "城区/财政局.xlsx": blank])
        defer { try? FileManager.default.removeItem(at: root) }
        let m = root.appendingPathComponent("measures")
        // 郊区 has its 教育局's measures, 城区 has none; 卫健委 has two candidates; 水务局 and 财政局 one each,
        // in folders that are not input folders.
        for rel in ["郊区/教育局.csv", "a/卫健委.csv", "b/卫健委.csv", "2024/水务局_实际值.csv", "2024/财政局.csv"] {
            try FileManager.default.createDirectory(at: m.appendingPathComponent(rel).deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Fixtures.url(measures), to: m.appendingPathComponent(rel))
        }
        let inDir = root.appendingPathComponent("in").path
        let r = try runJixiao(["batch", inDir, "--out", root.path + "/out", "--measures", m.path, "--log-json"])
        let byFile = Dictionary(uniqueKeysWithValues: jsonLines(r).map { ($0["file"] as? String ?? "", $0) })
        #expect(byFile.count == 5, "\(r.stderrText)")
        for (name, scored) in [("郊区/教育局.xlsx", true), ("城区/教育局.xlsx", false), ("卫健委.xlsx", false),
                               ("水务局.xlsx", true), ("城区/财政局.xlsx", true)] {
            let obj = byFile[inDir + "/" + name]
            #expect(obj?["status"] as? String == "ok", "\(name): \(String(describing: obj))")
            #expect((obj?["total_score"] != nil) == scored, "\(name): \(String(describing: obj))")
        }
    }

    /// A 项目支出绩效自评表 carries its own measured values (实际完成值): the batch scores it as `jixiao score`.
    @Test func selfEvaluationFormIsScoredLikeScore() throws {
        let root = try inputs(["单位/自评表.xlsx": "selfeval/selfeval_project.xlsx"])
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.path + "/in/单位/自评表.xlsx"
        let r = try runJixiao(["batch", root.path + "/in", "--out", root.path + "/out", "--log-json"])
        let obj = try #require(jsonLines(r).first)
        let s = try runJixiao(["score", file, "--json"])
        let scored = try #require(try JSONSerialization.jsonObject(with: s.stdout) as? [String: Any])
        #expect(r.status == s.status)
        #expect((scored["total"] as? [String: Any])?["score"] as? NSNumber == obj["total_score"] as? NSNumber)
        #expect(obj["total_score"] != nil)
        #expect(scored["grade"] as? String == obj["grade"] as? String)
        let findings = scored["findings"] as? [[String: Any]] ?? []
        #expect(findings.filter { $0["severity"] as? String == "error" }.count == (obj["errors"] as? NSNumber)?.intValue)
        #expect(findings.filter { $0["severity"] as? String == "warning" }.count == (obj["warnings"] as? NSNumber)?.intValue)
        // The output is the form itself with the scores filled in.
        let back = try runJixiao(["score", root.path + "/out/单位/自评表.xlsx", "--json"])
        let again = try JSONSerialization.jsonObject(with: back.stdout) as? [String: Any]
        #expect((again?["total"] as? [String: Any])?["score"] as? NSNumber == obj["total_score"] as? NSNumber)
    }

    @Test func hostileInputNamesStayInsideTheOutputFolder() throws {
        let root = try Fixtures.tempDirectory("batch-hostile")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let inDir = root.appendingPathComponent("work/in")
        let fixture = try Fixtures.data("xlsx/seed000_project_framework.xlsx")
        let names = ["..xlsx", "...xlsx", "..a.xlsx", "a\u{1}b.xlsx", "line\nbreak.xlsx", "tab\there.xlsx",
                     "...../x.xlsx", "..hidden-dir-not/y.xlsx", "c:colon.xlsx", "back\\slash.xlsx", "名\u{7F}称.xlsx"]
        for n in names {
            let url = inDir.appendingPathComponent(n)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fixture.write(to: url)
        }
        // A list naming files outside the list's folder with `..`, and the same file twice.
        let outside = root.appendingPathComponent("elsewhere/outside.xlsx")
        try fm.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fixture.write(to: outside)
        let list = inDir.appendingPathComponent("list.txt")
        try Data("../../elsewhere/outside.xlsx\n../in/c:colon.xlsx\n".utf8).write(to: list)

        let out = root.appendingPathComponent("work/out")
        let before = files(root)
        let r = try runJixiao(["batch", inDir.path, "@" + list.path, "--out", out.path, "--log-json"])
        #expect(r.status == 0, "\(r.stderrText)")
        let logged = jsonLines(r)
        // Hidden names (a leading dot) are skipped in folders; everything else is processed once.
        let expectedInputs = names.filter { !$0.hasPrefix(".") }.count + 1
        #expect(logged.count == expectedInputs, "\(r.stderrText)")
        // Nothing was written outside DIR; inside it, one output per input with a clean relative name.
        let created = files(root).subtracting(before)
        #expect(created.allSatisfy { $0.hasPrefix("work/out/") }, "\(created.sorted())")
        let outputs = files(out).filter { $0.hasSuffix(".xlsx") }
        #expect(outputs.count == expectedInputs, "\(outputs.sorted())")
        for o in outputs {
            #expect(!o.split(separator: "/").contains { $0.hasPrefix(".") }, "\(o)")
            #expect(!o.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }, "\(o.debugDescription)")
        }
        for obj in logged {
            let rel = obj["output"] as? String ?? ""
            #expect(outputs.contains(rel), "\(rel.debugDescription)")
        }
    }
}
