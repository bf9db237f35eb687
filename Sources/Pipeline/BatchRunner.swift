import Foundation
import IndicatorModel
import SheetCore

/// Output format of a batch.
public enum BatchFormat: String, Sendable, CaseIterable {
    case xlsx, csv, json
}

public struct BatchOptions: Sendable {
    public var inputs: [String]
    public var outDir: String
    public var measures: String?
    public var summary: String?
    public var jobs: Int
    public var format: BatchFormat
    public var formulas: Bool
    public var findingsSheet: Bool
    public var force: Bool
    public var logJSON: Bool
    public var quiet: Bool
    public var progress: Bool
    public var limits: ReadLimits
    /// Where this worker's temporary outputs go before they are renamed into place (set by `BatchRunner` for
    /// each worker, see `BatchRunner.temporaryFolderName`); nil: beside each output. Not part of `outputKey`.
    public var temporaryDirectory: String?

    public init(inputs: [String], outDir: String, measures: String? = nil, summary: String? = nil,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, format: BatchFormat = .xlsx,
                formulas: Bool = false, findingsSheet: Bool = false, force: Bool = false, logJSON: Bool = false,
                quiet: Bool = false, progress: Bool = false, limits: ReadLimits = .default) {
        self.inputs = inputs; self.outDir = outDir; self.measures = measures; self.summary = summary
        self.jobs = max(1, jobs); self.format = format; self.formulas = formulas; self.findingsSheet = findingsSheet
        self.force = force; self.logJSON = logJSON; self.quiet = quiet; self.progress = progress; self.limits = limits
    }

    /// What changes an input's output: a rerun with other values of these redoes the file.
    public var outputKey: String {
        "v2|format=\(format.rawValue)|formulas=\(formulas)|findings=\(findingsSheet)|measures=\(measuresKey)"
    }

    /// The measures option hashes by content, so that editing a measures file redoes the batch.
    var measuresKey: String {
        guard let m = measures else { return "-" }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: m, isDirectory: &isDir) else { return m }
        if !isDir.boolValue { return SHA256.hex(FileManager.default.contents(atPath: m) ?? Data()) }
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: m))?.sorted() ?? []
        var h = SHA256()
        for n in names where !n.hasPrefix(".") {
            h.update(Array(n.utf8))
            h.update(Array(FileManager.default.contents(atPath: m + "/" + n) ?? Data()))
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// What processing one input produced (before it is recorded).
public struct BatchResult: Sendable {
    public var status: BatchRecord.Status
    public var output: String?
    public var sheet: String?
    public var title: String?
    public var totalWeight: Double?
    public var totalScore: Double?
    public var grade: String?
    public var errors: Int
    public var warnings: Int
    public var message: String?
    /// The failure came from the environment, not the input (see `BatchRecord.retry`).
    public var retry: Bool?

    public init(status: BatchRecord.Status, output: String? = nil, sheet: String? = nil, title: String? = nil,
                totalWeight: Double? = nil, totalScore: Double? = nil, grade: String? = nil, errors: Int = 0,
                warnings: Int = 0, message: String? = nil) {
        self.status = status; self.output = output; self.sheet = sheet; self.title = title
        self.totalWeight = totalWeight; self.totalScore = totalScore; self.grade = grade
        self.errors = errors; self.warnings = warnings; self.message = message
    }
}

/// Counts of a finished batch; `exitCode` is the cron contract: 0 all ok, 1 some files have findings,
/// 2 some files failed.
public struct BatchReport: Sendable {
    public var records: [BatchRecord]
    public var processed: Int
    public var skipped: Int
    /// Files in other spreadsheet formats (.xls, .ods, …) found in the folders searched and not read.
    public var passedOver: [String] = []

    public var failed: Int { records.filter { $0.status == .failed }.count }
    public var withFindings: Int { records.filter { $0.status == .findings }.count }
    public var exitCode: Int32 { failed > 0 ? 2 : withFindings > 0 ? 1 : 0 }
}

/// Runs a batch: collects inputs, skips what an earlier run finished (same bytes, same options, output present),
/// processes the rest on `jobs` threads with one file's failure caught and recorded, appends each result to the
/// manifest as it finishes, and writes the summary last.
public final class BatchRunner {
    public typealias Processor = @Sendable (_ item: BatchItem, _ bytes: [UInt8], _ options: BatchOptions) throws -> BatchResult
    public typealias SummaryWriter = (_ records: [BatchRecord], _ path: String) throws -> Void

    public let options: BatchOptions
    private let process: Processor
    private let writeSummary: SummaryWriter?
    private let log: (String) -> Void

    public init(options: BatchOptions, process: @escaping Processor, writeSummary: SummaryWriter? = nil,
                log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.options = options
        self.process = process
        self.writeSummary = writeSummary
        self.log = log
    }

    public func run() throws -> BatchReport {
        let outDir = URL(fileURLWithPath: options.outDir).standardizedFileURL.path
        let (items, passedOver) = try BatchInputs.collectNoting(options.inputs, excluding: [outDir] + (options.summary.map { [$0] } ?? []))
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: outDir, isDirectory: &isDir), !isDir.boolValue {
            throw JixiaoError(.usage, "the output folder is a file / 输出目录是一个文件", at: Location(file: outDir))
        }
        do {
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        } catch {
            let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            throw JixiaoError(.io, "cannot create the output folder / 无法创建输出目录", at: Location(file: outDir),
                              underlying: posix.map { String(cString: strerror(Int32($0.code))) } ?? "\(error)")
        }
        if let summary = options.summary {
            // Checked before any input is processed: the summary is written last, and a run of hundreds of files
            // should not end in an error it could have given at once.
            let dir = PathText.split(summary).dir
            if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
                throw JixiaoError(.usage, "the summary's folder does not exist / 汇总表所在目录不存在",
                                  at: Location(file: summary))
            }
        }
        let lock = BatchLock(directory: outDir)
        try lock.acquire()
        defer { lock.release() }
        BatchRunner.removeStaleTemporaries(in: outDir)
        let workers = min(options.jobs, max(items.count, 1))
        // A temporary folder per worker: creating a file locks its folder in the kernel, so workers creating
        // their temporaries beside the outputs (one folder) wait for each other; renames into place are short.
        let tmpRoot = outDir + "/" + BatchRunner.temporaryFolderName
        let workerTmp = BatchRunner.makeWorkerFolders(in: tmpRoot, count: workers)
        defer { if workerTmp != nil { try? FileManager.default.removeItem(atPath: tmpRoot) } }
        let manifest = try BatchManifest(directory: outDir)
        let optionKey = SHA256.hex(Array(options.outputKey.utf8))
        // The processor gets the output folder standardized once, not once per file.
        var processOptions = options
        processOptions.outDir = outDir

        var records = [BatchRecord?](repeating: nil, count: items.count)
        let state = NSLock()
        var skipped = 0, done = 0
        let next = ManagedCounter()
        let showProgress = options.progress && !options.quiet && !options.logJSON
        let started = Date()

        func handle(_ index: Int, _ processOptions: BatchOptions) {
            let item = items[index]
            var record: BatchRecord
            var reused = false
            guard let bytes = BatchRunner.readFile(item.input) else {
                let gone = !FileManager.default.fileExists(atPath: item.input)
                record = BatchRecord(input: item.displayPath, hash: "", options: optionKey, status: .failed,
                                     errors: 1, message: "\(item.displayPath): " + (gone ? "no such file / 文件不存在" : "cannot read the file / 无法读取文件"))
                finish(index, record, reused: false)
                return
            }
            let hash = SHA256.hex(bytes)
            if !options.force, let r = manifest.reusable(input: item.displayPath, hash: hash, options: optionKey, outputRoot: outDir),
               // Written where this run would write it (the same inputs named another way map elsewhere).
               r.output.map({ ($0 as NSString).deletingPathExtension == item.relativeStem }) ?? true {
                record = r
                reused = true
            } else {
                var result: BatchResult
                let died = manifest.diedOn(input: item.displayPath, hash: hash)
                do {
                    if died >= 2 && !options.force {
                        // Not retried: the next run would die on it again, and every later cron run too.
                        throw JixiaoError(.corrupt, "jixiao stopped \(died) times in a row while processing this file (a crash or a kill); skipped — run with --force to try again, and please report the file / 处理此文件时程序多次中断，已跳过",
                                          at: Location(file: item.displayPath))
                    }
                    try? manifest.markStarted(input: item.displayPath, hash: hash)
                    result = try process(item, bytes, processOptions)
                } catch {
                    let text = (error as? JixiaoError)?.description ?? "\(item.displayPath): \(error)"
                    result = BatchResult(status: .failed, errors: 1, message: text)
                    if (error as? JixiaoError)?.kind == .io || !(error is JixiaoError) { result.retry = true }
                }
                record = BatchRecord(input: item.displayPath, hash: hash, options: optionKey, output: result.output,
                                     status: result.status, sheet: result.sheet, title: result.title,
                                     totalWeight: result.totalWeight, totalScore: result.totalScore, grade: result.grade,
                                     errors: result.errors, warnings: result.warnings, message: result.message)
                record.retry = result.retry
                do { try manifest.append(record) } catch {
                    record.status = .failed
                    record.message = (error as? JixiaoError)?.description ?? "\(error)"
                }
            }
            finish(index, record, reused: reused)
        }

        func finish(_ index: Int, _ record: BatchRecord, reused: Bool) {
            // Under the lock: log lines never interleave, and the progress bar is redrawn in order.
            state.lock()
            defer { state.unlock() }
            records[index] = record
            done += 1
            if reused { skipped += 1 }
            let d = done
            let line = options.logJSON ? jsonLine(record, skipped: reused)
                : record.status == .failed ? "jixiao: error: " + OneLine.escape(record.message ?? record.input) : nil
            if let line {
                // Clear the bar first, so that the message starts on a clean line.
                if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                log(line)
            }
            if showProgress {
                let width = 30
                let filled = items.isEmpty ? width : d * width / items.count
                let rate = Double(d) / max(Date().timeIntervalSince(started), 0.001)
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r\(bar) \(d)/\(items.count)  \(Int(rate))/s".utf8))
            }
        }

        // One sync of the file system at the end instead of fsyncs per output and per manifest line: a killed run
        // still leaves whole files only (temp+rename), and every output is on disk when the batch returns.
        manifest.syncEachLine = false
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var mine = processOptions
            mine.temporaryDirectory = workerTmp?[worker]
            while true {
                let i = next.increment()
                if i >= items.count { break }
                autoreleasepool { handle(i, mine) }
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }

        let finished = records.compactMap { $0 }.sorted { $0.input < $1.input }
        try? manifest.compact()
        AtomicFile.syncFileSystem(of: outDir)
        if let summary = options.summary, let writeSummary {
            try writeSummary(finished, summary)
        }
        return BatchReport(records: finished, processed: finished.count - skipped, skipped: skipped, passedOver: passedOver)
    }

    /// The hidden folder in the output folder that holds the workers' temporary folders while a batch runs
    /// (removed at the end; a killed run's is removed by the next run, which holds the lock).
    public static let temporaryFolderName = ".jixiao-tmp"

    /// `root/0`, `root/1`, …: one empty folder per worker, after removing whatever a killed run left in `root`.
    /// Nil when they cannot be made (a read-only spot, a file in the way): temporaries then go beside outputs.
    static func makeWorkerFolders(in root: String, count: Int) -> [String]? {
        var st = stat()
        if lstat(root, &st) == 0 {
            // Something of the user's that happens to have the name: leave it alone.
            guard (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
            try? FileManager.default.removeItem(atPath: root)
        }
        guard mkdir(root, 0o700) == 0 else { return nil }
        var out: [String] = []
        for w in 0..<count {
            let d = root + "/\(w)"
            guard mkdir(d, 0o700) == 0 else { try? FileManager.default.removeItem(atPath: root); return nil }
            out.append(d)
        }
        return out
    }

    /// Deletes what a killed run left behind: `AtomicFile` temporaries (`.NAME.tmp-<pid>-<random>`) under the
    /// output folder whose writing process is gone. Runs under the lock, so no other batch is writing there;
    /// a temporary of a live process (say a `jixiao fill` writing into the folder) is left alone.
    static func removeStaleTemporaries(in outDir: String) {
        guard let walker = FileManager.default.enumerator(atPath: outDir) else { return }
        while let rel = walker.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            guard name.hasPrefix("."), let r = name.range(of: ".tmp-", options: .backwards) else { continue }
            let rest = name[r.upperBound...].split(separator: "-")
            guard rest.count == 2, let pid = Int32(rest[0]), pid > 0 else { continue }
            // Our own pid too: nothing is written yet, so it is a killed run's (pids repeat in containers).
            if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) {
                unlink(outDir + "/" + rel)
            }
        }
    }

    /// One line of `--log-json`: `{"file","status","skipped","output","sheet","total_weight","total_score",
    /// "grade","errors","warnings","message"}` (keys with no value left out).
    private func jsonLine(_ r: BatchRecord, skipped: Bool) -> String {
        var members: [JSONMember] = [JSONMember("file", .string(r.input)), JSONMember("status", .string(r.status.rawValue)),
                                     JSONMember("skipped", .bool(skipped))]
        func add(_ key: String, _ value: JSONValue) { if value != .null { members.append(JSONMember(key, value)) } }
        add("output", .string(r.output))
        add("sheet", .string(r.sheet))
        add("total_weight", .number(r.totalWeight))
        add("total_score", .number(r.totalScore))
        add("grade", .string(r.grade))
        members.append(JSONMember("errors", .number(Double(r.errors))))
        members.append(JSONMember("warnings", .number(Double(r.warnings))))
        add("message", .string(r.message))
        return JSONValue.object(members).render(pretty: false)
    }
}

/// A thread-safe counter for handing out work items.
final class ManagedCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        let v = value
        value += 1
        return v
    }
}

extension BatchRunner {
    /// The whole file, or nil when it cannot be opened or read (as `FileManager.contents(atPath:)` answers, read
    /// straight into the array: no `Data` and no copy of it).
    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        let size = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) : 0
        var failed = false
        // The size fstat tells, read straight into the array's storage.
        var out = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
            count = 0
            while count < size {
                let n = read(fd, buf.baseAddress! + count, size - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                if n == 0 { return }
                count += n
            }
        }
        if failed { return nil }
        // Whatever follows (a file that grew, or one whose size fstat does not tell), up to the end.
        let ok = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16_384) { chunk -> Bool in
            while true {
                let n = read(fd, chunk.baseAddress!, chunk.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if n == 0 { return true }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<n]))
            }
        }
        return ok ? out : nil
    }
}

#if !canImport(ObjectiveC)
@inline(__always) func autoreleasepool<T>(_ body: () throws -> T) rethrows -> T { try body() }
#endif
