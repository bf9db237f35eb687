import Foundation
import Testing
@testable import Pipeline
import SheetCore
import TestSupport

@Suite struct BatchRunnerTests {
    /// A folder tree with inputs, lock files, hidden files and other extensions.
    func makeTree() throws -> URL {
        let root = try Fixtures.tempDirectory("batch-in")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("部门A/子目录"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        for (name, text) in [("部门A/附件2.xlsx", "a"), ("部门A/子目录/b.csv", "b"), ("c.xlsm", "c"),
                             ("~$c.xlsx", "lock"), (".d.xlsx", "hidden"), (".hidden/e.xlsx", "hidden"),
                             ("notes.txt", "not an input"), ("部门A/附件2.csv", "same stem")] {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
        }
        return root
    }

    @Test func collectsRecursivelySkippingLockAndHiddenFiles() throws {
        let root = try makeTree()
        let items = try BatchInputs.collect([root.path])
        #expect(items.map(\.relativeStem) == ["c", "部门A/子目录/b", "部门A/附件2", "部门A/附件2-2"])
        #expect(items.allSatisfy { !$0.input.contains("~$") && !$0.input.contains("/.") })
    }

    /// Links: one to a file is an input (its own name), one to a folder is not followed (loops, escaping the
    /// tree); a FIFO with an input's extension is not an input; the output folder and the summary file inside
    /// the input tree are left out, also when reached through a linked folder path.
    @Test func linksFifosAndExcludedPathsInTheTree() throws {
        let root = try makeTree()
        let outside = try Fixtures.tempDirectory("batch-outside")
        try Data("x".utf8).write(to: outside.appendingPathComponent("外部.xlsx"))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root.path + "/链接.xlsx", withDestinationPath: outside.path + "/外部.xlsx")
        try fm.createSymbolicLink(atPath: root.path + "/linked-folder", withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: root.path + "/dangling.xlsx", withDestinationPath: outside.path + "/nothing.xlsx")
        #expect(mkfifo(root.path + "/pipe.csv", 0o600) == 0)
        try fm.createDirectory(atPath: root.path + "/out/部门A", withIntermediateDirectories: true)
        try Data("old output".utf8).write(to: URL(fileURLWithPath: root.path + "/out/部门A/附件2.xlsx"))
        try Data("summary".utf8).write(to: URL(fileURLWithPath: root.path + "/汇总.csv"))

        let items = try BatchInputs.collect([root.path], excluding: [root.path + "/out", root.path + "/汇总.csv"])
        #expect(items.map(\.relativeStem) == ["c", "部门A/子目录/b", "部门A/附件2", "部门A/附件2-2", "链接"])
        // The excluded paths named through a link to the root.
        let alias = outside.path + "/root-alias"
        try fm.createSymbolicLink(atPath: alias, withDestinationPath: root.path)
        let viaAlias = try BatchInputs.collect([root.path], excluding: [alias + "/out", alias + "/汇总.csv"])
        #expect(viaAlias.map(\.relativeStem) == items.map(\.relativeStem))
        let unexcluded = try BatchInputs.collect([root.path])
        #expect(unexcluded.map(\.relativeStem).contains("汇总") && unexcluded.map(\.relativeStem).contains("out/部门A/附件2"))
    }

    @Test func severalFoldersKeepTheirNames() throws {
        let root = try Fixtures.tempDirectory("batch-in")
        for rel in ["城区/教育局.xlsx", "郊区/教育局.xlsx", "郊区/水务/局.csv", "单独.csv"] {
            let url = root.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(rel.utf8).write(to: url)
        }
        let one = try BatchInputs.collect([root.path + "/郊区"])
        #expect(one.map(\.relativeStem) == ["教育局", "水务/局"])
        let two = try BatchInputs.collect(["城区", "郊区/", root.path + "/单独.csv"], cwd: root.path)
        #expect(two.map(\.relativeStem) == ["城区/教育局", "郊区/教育局", "郊区/水务/局", "单独"])
        #expect(two.map(\.displayPath) == ["城区/教育局.xlsx", "郊区/教育局.xlsx", "郊区/水务/局.csv", root.path + "/单独.csv"])
        // The same folder twice is one folder.
        #expect(try BatchInputs.collect(["郊区", root.path + "/郊区"], cwd: root.path).map(\.relativeStem) == ["教育局", "水务/局"])
    }

    @Test func readsListFilesRelativeToTheList() throws {
        let root = try makeTree()
        let list = root.appendingPathComponent("list.txt")
        try Data("# inputs\nc.xlsm\n\n部门A/子目录/b.csv\n".utf8).write(to: list)
        let items = try BatchInputs.collect(["@" + list.path])
        #expect(items.map(\.relativeStem) == ["c", "b"])
        #expect(throws: JixiaoError.self) { try BatchInputs.collect([root.appendingPathComponent("missing.xlsx").path]) }
        // Notepad's encodings: UTF-8 with a BOM, and "Unicode" (UTF-16 LE with a BOM; it used to be refused).
        let text = "# 输入\r\nc.xlsm\r\n部门A/子目录/b.csv\r\n"
        let lists: [[UInt8]] = [[0xEF, 0xBB, 0xBF] + Array(text.utf8),
                      [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
                      [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }]
        for bytes in lists {
            try Data(bytes).write(to: list)
            #expect(try BatchInputs.collect(["@" + list.path]).map(\.relativeStem) == ["c", "b"], "\(bytes.prefix(3))")
        }
    }

    @Test func sanitisedNamesStayInsideTheOutputFolder() {
        #expect(BatchInputs.sanitiseRelative("../../etc/passwd") == "_/_/etc/passwd")
        for hostile in ["../../x", "/abs/path", "a/../../b", "..", "a\u{0}b", "名\u{7}称", "\\..\\x", ""] {
            let s = BatchInputs.sanitiseRelative(hostile)
            #expect(!s.hasPrefix("/"))
            #expect(!s.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.hasPrefix(".") })
            #expect(!s.unicodeScalars.contains { $0.value < 0x20 })
        }
    }

    @Test func manifestIgnoresATornLastLine() throws {
        let dir = try Fixtures.tempDirectory("manifest")
        let m = try BatchManifest(directory: dir.path)
        try m.append(BatchRecord(input: "a.xlsx", hash: "h1", options: "o", output: "a.xlsx", status: .ok))
        try m.append(BatchRecord(input: "b.xlsx", hash: "h2", options: "o", status: .failed, errors: 1, message: "bad"))
        // Simulate a run killed in the middle of an append.
        let fh = try FileHandle(forWritingTo: dir.appendingPathComponent(BatchManifest.fileName))
        fh.seekToEndOfFile()
        fh.write(Data("{\"input\":\"c.xlsx\",\"ha".utf8))
        try fh.close()
        let again = try BatchManifest(directory: dir.path)
        #expect(Set(again.records.keys) == ["a.xlsx", "b.xlsx"])
        // a.xlsx's output is missing, so it is not reusable; the failed b.xlsx is.
        #expect(again.reusable(input: "a.xlsx", hash: "h1", options: "o", outputRoot: dir.path) == nil)
        #expect(again.reusable(input: "b.xlsx", hash: "h2", options: "o", outputRoot: dir.path) != nil)
        #expect(again.reusable(input: "b.xlsx", hash: "other", options: "o", outputRoot: dir.path) == nil)
    }

    @Test func lockIsExclusiveAndTakenOverWhenItsProcessIsGone() throws {
        let dir = try Fixtures.tempDirectory("lock")
        let a = BatchLock(directory: dir.path)
        try a.acquire()
        #expect(try String(contentsOfFile: a.path, encoding: .utf8) == "\(getpid())\n")
        // While it is held, a second run is refused, with the holder's pid in the message.
        let b = BatchLock(directory: dir.path)
        #expect {
            try b.acquire()
        } throws: { ($0 as? JixiaoError)?.kind == .usage && "\($0)".contains("pid \(getpid())") }
        a.release()
        #expect(!FileManager.default.fileExists(atPath: a.path))
        // A lock file left by a killed run (nobody holds it) is taken over, whatever pid it names: a pid is
        // recycled, the kernel's lock is not.
        for stale in ["999999999\n", "1\n", "garbage", ""] {
            try Data(stale.utf8).write(to: URL(fileURLWithPath: a.path))
            try b.acquire()
            #expect(try String(contentsOfFile: b.path, encoding: .utf8) == "\(getpid())\n")
            b.release()
        }
        #expect(!FileManager.default.fileExists(atPath: a.path))
    }

    @Test func folderSearchSkipsTheOutputFolderAndTheSummary() throws {
        let root = try makeTree()
        let out = root.appendingPathComponent("部门A/scored")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("old output".utf8).write(to: out.appendingPathComponent("附件2.xlsx"))
        try Data("summary".utf8).write(to: root.appendingPathComponent("汇总.csv"))
        let all = try BatchInputs.collect([root.path]).map(\.relativeStem)
        #expect(all.contains("部门A/scored/附件2") && all.contains("汇总"))
        let items = try BatchInputs.collect([root.path], excluding: [out.path + "/", root.path + "/./汇总.csv"])
        #expect(items.map(\.relativeStem) == ["c", "部门A/子目录/b", "部门A/附件2", "部门A/附件2-2"])
        // Named explicitly, a file is taken (and the writer refuses to overwrite it).
        #expect(try BatchInputs.collect([root.path + "/汇总.csv"], excluding: [root.path + "/汇总.csv"]).count == 1)
    }

    @Test func runnerIsolatesFailuresSkipsFinishedWorkAndRedoesWithForce() throws {
        let root = try makeTree()
        let out = try Fixtures.tempDirectory("batch-out")
        let calls = ManagedCounter()
        let processor: BatchRunner.Processor = { item, bytes, options in
            _ = calls.increment()
            if item.relativeStem == "c" { throw JixiaoError(.corrupt, "broken on purpose", at: Location(file: item.displayPath)) }
            let rel = item.relativeStem + ".json"
            let path = options.outDir + "/" + rel
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: path)
            return BatchResult(status: item.relativeStem.hasSuffix("b") ? .findings : .ok, output: rel, errors: 0)
        }
        var logs: [String] = []
        let opts = BatchOptions(inputs: [root.path], outDir: out.path, jobs: 2, logJSON: true)
        let r1 = try BatchRunner(options: opts, process: processor, log: { logs.append($0) }).run()
        #expect(r1.records.count == 4 && r1.processed == 4 && r1.skipped == 0)
        #expect(r1.failed == 1 && r1.exitCode == 2)
        #expect(r1.records.first { $0.status == .failed }?.message?.contains("broken on purpose") == true)
        #expect(logs.count == 4 && logs.allSatisfy { $0.hasPrefix("{\"file\":") })
        #expect(FileManager.default.fileExists(atPath: out.path + "/部门A/子目录/b.json"))

        // Rerun: nothing changed, nothing processed.
        let r2 = try BatchRunner(options: opts, process: processor, log: { _ in }).run()
        #expect(r2.skipped == 4 && r2.processed == 0 && calls.increment() == 4)

        // A missing output is redone; a changed input is redone.
        try FileManager.default.removeItem(atPath: out.path + "/部门A/附件2.json")
        try Data("changed".utf8).write(to: root.appendingPathComponent("部门A/子目录/b.csv"))
        let r3 = try BatchRunner(options: opts, process: processor, log: { _ in }).run()
        #expect(r3.processed == 2 && r3.skipped == 2)

        // The same inputs named so that they map elsewhere in DIR are redone there.
        let moved = BatchOptions(inputs: [root.path, root.path + "/部门A"], outDir: out.path, jobs: 2)
        let r5 = try BatchRunner(options: moved, process: processor, log: { _ in }).run()
        #expect(r5.skipped == 1 && r5.processed == 3, "\(r5.records.map(\.output))")

        var forced = opts
        forced.force = true
        let r4 = try BatchRunner(options: forced, process: processor, log: { _ in }).run()
        #expect(r4.processed == 4 && r4.skipped == 0)
        #expect(!FileManager.default.fileExists(atPath: out.path + "/.jixiao.lock"))
    }

    /// A file that kills jixiao (a crash, or a cron timeout killing it on the same file) is retried once, then
    /// recorded as failed, so that later runs get past it; --force tries it again.
    @Test func anInputTwoRunsDiedOnIsSkippedAsFailed() throws {
        let root = try makeTree()
        let out = try Fixtures.tempDirectory("batch-out")
        let seen = Locked<[String]>([])
        let processor: BatchRunner.Processor = { item, bytes, options in
            seen.withLock { $0.append(item.relativeStem) }
            let rel = item.relativeStem + ".json"
            let path = options.outDir + "/" + rel
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: path)
            return BatchResult(status: .ok, output: rel)
        }
        let items = try BatchInputs.collect([root.path])
        let victim = try #require(items.first { $0.relativeStem == "c" })
        let other = try #require(items.first { $0.relativeStem == "部门A/子目录/b" })
        let hash = { (i: BatchItem) in SHA256.hex([UInt8](FileManager.default.contents(atPath: i.input)!)) }
        // Two earlier runs died on c.xlsm (started, never finished); one died on b.csv.
        let started = { (i: BatchItem) in "{\"hash\":\"\(hash(i))\",\"started\":\"\(i.displayPath)\"}\n" }
        let lines = started(victim) + started(other) + started(victim)
        try Data(lines.utf8).write(to: out.appendingPathComponent(BatchManifest.fileName))

        let opts = BatchOptions(inputs: [root.path], outDir: out.path, jobs: 1)
        let r1 = try BatchRunner(options: opts, process: processor, log: { _ in }).run()
        #expect(!seen.withLock { $0 }.contains("c"))
        #expect(seen.withLock { $0 }.contains("部门A/子目录/b"))
        let failed = try #require(r1.records.first { $0.input == victim.displayPath })
        #expect(failed.status == .failed && failed.message?.contains("stopped 2 times") == true)
        #expect(r1.failed == 1 && r1.processed == 4)
        // The manifest is compacted: no start marks are left, so the next run skips everything.
        let text = try String(contentsOf: out.appendingPathComponent(BatchManifest.fileName), encoding: .utf8)
        #expect(!text.contains("\"started\""))
        seen.withLock { $0 = [] }
        let r2 = try BatchRunner(options: opts, process: processor, log: { _ in }).run()
        #expect(r2.skipped == 4 && seen.withLock { $0 }.isEmpty)
        var forced = opts
        forced.force = true
        let r3 = try BatchRunner(options: forced, process: processor, log: { _ in }).run()
        #expect(r3.failed == 0 && seen.withLock { $0 }.contains("c"))

        // A changed file is a new file: its count starts again.
        let m = try BatchManifest(directory: out.path)
        try m.markStarted(input: "x.xlsx", hash: "h1")
        try m.markStarted(input: "x.xlsx", hash: "h2")
        let reloaded = try BatchManifest(directory: out.path)
        #expect(reloaded.diedOn(input: "x.xlsx", hash: "h2") == 1)
        #expect(reloaded.diedOn(input: "x.xlsx", hash: "h1") == 0)
        #expect(reloaded.diedOn(input: victim.displayPath, hash: hash(victim)) == 0)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

/// A value shared with a `@Sendable` closure.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) -> R) -> R {
        lock.lock(); defer { lock.unlock() }
        return body(&value)
    }
}
