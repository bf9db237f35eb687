import Foundation
import SheetCore

/// What happened to one input, as the summary and the manifest record it.
public struct BatchRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable { case ok, findings, failed }

    public var input: String          // display path
    public var hash: String           // SHA-256 of the input's bytes
    public var options: String        // hash of the options that shape the output
    public var output: String?        // path relative to the output folder
    public var status: Status
    public var sheet: String?
    public var title: String?
    public var totalWeight: Double?
    public var totalScore: Double?
    public var grade: String?
    public var errors: Int
    public var warnings: Int
    public var message: String?       // the first error
    /// A failure of the environment (output not writable, disk full) rather than of the input: redone by the
    /// next run even when the input is unchanged.
    public var retry: Bool?

    public init(input: String, hash: String, options: String, output: String? = nil, status: Status,
                sheet: String? = nil, title: String? = nil, totalWeight: Double? = nil, totalScore: Double? = nil,
                grade: String? = nil, errors: Int = 0, warnings: Int = 0, message: String? = nil) {
        self.input = input; self.hash = hash; self.options = options; self.output = output; self.status = status
        self.sheet = sheet; self.title = title; self.totalWeight = totalWeight; self.totalScore = totalScore
        self.grade = grade; self.errors = errors; self.warnings = warnings; self.message = message
    }
}

extension BatchRecord {
    /// The record as one line of JSON, keys sorted and absent values left out, as `JSONEncoder` with
    /// `.sortedKeys` writes it (and `JSONDecoder` reads it back), without the encoder's cost: it used to be a
    /// tenth of the batch's own time per file.
    func jsonLine() -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(256 + input.utf8.count * 2 + (message?.utf8.count ?? 0))
        func key(_ k: StaticString) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        func add(_ k: StaticString, _ v: String?) {
            guard let v else { return }
            key(k)
            JSONLine.appendString(v, to: &out)
        }
        // Numbers exactly (shortest round-trip text), so that a record read back is the record written; a
        // non-finite total (never produced) would not be JSON and is left out.
        func add(_ k: StaticString, _ v: Double?) {
            guard let v, v.isFinite else { return }
            key(k)
            out.append(contentsOf: CellValue.format(v).utf8)
        }
        add("errors", Double(errors))
        add("grade", grade)
        add("hash", hash)
        add("input", input)
        add("message", message)
        add("options", options)
        add("output", output)
        if let retry { key("retry"); out.append(contentsOf: (retry ? "true" : "false").utf8) }
        add("sheet", sheet)
        add("status", status.rawValue)
        add("title", title)
        add("totalScore", totalScore)
        add("totalWeight", totalWeight)
        add("warnings", Double(warnings))
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// JSON text straight into bytes, for the manifest's lines and `dump --json`.
public enum JSONLine {
    /// `"…"`: `"`, `\`, control characters and DEL escaped, everything else copied as UTF-8.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        // Most texts need no escape: their bytes are appended in one piece.
        let plain = s.utf8.withContiguousStorageIfAvailable { u -> Bool in
            guard !u.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            out.reserveCapacity(out.count + u.count + 2)
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: u)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain == true { return }
        appendEscaped(s, to: &out)
    }

    /// `appendString` byte by byte, escaping as it goes.
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex: StaticString = "0123456789abcdef"
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x00..<0x20, 0x7F:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex.utf8Start[Int(b >> 4)])
                out.append(hex.utf8Start[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The batch's memory between runs: `DIR/.jixiao-manifest.jsonl`, one JSON record per finished input,
/// appended (O_APPEND, one `write`) as each input finishes, so a run killed at any point leaves every finished
/// record intact (the batch makes it durable against power loss with one sync at the end); a torn last line is ignored on load. The last record for an input wins.
public final class BatchManifest {
    public let path: String
    private var fd: Int32 = -1
    public private(set) var records: [String: BatchRecord] = [:]
    private let lock = NSLock()

    public static let fileName = ".jixiao-manifest.jsonl"

    /// Inputs that runs started but never finished (the process died on them), with their hash and how many
    /// runs in a row died on them.
    public private(set) var unfinished: [String: (hash: String, runs: Int)] = [:]

    /// The line written when an input is started (records are written when it finishes).
    struct Started: Codable {
        var started: String   // the input (display path)
        var hash: String

        /// `{"hash":…,"started":…}` (see `BatchRecord.jsonLine`).
        func jsonLine() -> [UInt8] {
            var out = Array(#"{"hash":"#.utf8)
            JSONLine.appendString(hash, to: &out)
            out.append(contentsOf: #","started":"#.utf8)
            JSONLine.appendString(started, to: &out)
            out.append(UInt8(ascii: "}"))
            return out
        }
    }

    public init(directory: String) throws {
        path = directory + "/" + BatchManifest.fileName
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let r = try? decoder.decode(BatchRecord.self, from: Data(line)) {
                    records[r.input] = r
                    unfinished[r.input] = nil
                } else if let s = try? decoder.decode(Started.self, from: Data(line)) {
                    let before = unfinished[s.started].flatMap { $0.hash == s.hash ? $0.runs : nil } ?? 0
                    unfinished[s.started] = (s.hash, before + 1)
                }
            }
        }
    }

    /// How many runs in a row died while processing this input with these bytes (0 when none did). Two
    /// mean the file itself brings jixiao down, and a cron job must not stop on it forever.
    public func diedOn(input: String, hash: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        guard let u = unfinished[input], u.hash == hash else { return 0 }
        return u.runs
    }

    /// Notes that this run starts on an input (not synced: it only has to survive the process, not the
    /// machine).
    public func markStarted(input: String, hash: String) throws {
        var line = Started(started: input, hash: hash).jsonLine()
        line.append(UInt8(ascii: "\n"))
        lock.lock(); defer { lock.unlock() }
        try writeLine(line)
    }

    /// The record of an earlier run that can stand for this input: same bytes, same options, output present.
    public func reusable(input: String, hash: String, options: String, outputRoot: String) -> BatchRecord? {
        lock.lock(); defer { lock.unlock() }
        guard let r = records[input], r.hash == hash, r.options == options else { return nil }
        if let out = r.output, !FileManager.default.fileExists(atPath: outputRoot + "/" + out) { return nil }
        if r.status != .failed && r.output == nil { return nil }
        if r.status == .failed && r.retry == true { return nil }
        return r
    }

    /// When false, appended lines are not fsynced one by one: the batch syncs the whole file system once at the
    /// end (a killed process loses nothing written; only a power cut could).
    public var syncEachLine = true

    public func append(_ record: BatchRecord) throws {
        var line = record.jsonLine()
        line.append(UInt8(ascii: "\n"))
        lock.lock(); defer { lock.unlock() }
        try writeLine(line)
        if syncEachLine { fsync(fd) }
        records[record.input] = record
        unfinished[record.input] = nil
    }

    /// Appends one line (the caller holds `lock`).
    private func writeLine(_ line: [UInt8]) throws {
        if fd < 0 {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw JixiaoError(.io, "cannot write the batch manifest", at: Location(file: path)) }
        }
        let ok = line.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return true
        }
        guard ok else { throw JixiaoError(.io, "cannot write the batch manifest", at: Location(file: path)) }
    }

    /// Rewrites the manifest with one line per input (dropping superseded lines), atomically.
    public func compact() throws {
        lock.lock(); defer { lock.unlock() }
        var data: [UInt8] = []
        for key in records.keys.sorted() {
            data += records[key]!.jsonLine()
            data.append(UInt8(ascii: "\n"))
        }
        if let old = FileManager.default.contents(atPath: path), old.elementsEqual(data) { return }
        try AtomicFile.write(data, to: path)
        if fd >= 0 { close(fd); fd = -1 }
    }

    deinit { if fd >= 0 { close(fd) } }
}

/// `DIR/.jixiao.lock`: stops two runs on the same output folder at once. The lock is an `flock(2)` on the
/// file, which the kernel drops when its process ends, however it ends: the lock of a killed run is taken over
/// by the next, and a recycled PID cannot keep a dead run's lock alive. The file holds the owner's PID (for
/// the message naming the running batch) and is removed when the run ends.
public final class BatchLock {
    public let path: String
    private var fd: Int32 = -1

    public init(directory: String) { path = directory + "/.jixiao.lock" }

    /// Takes the lock.
    ///
    /// - Throws: `JixiaoError.usage` naming the PID of the batch that holds it; `.io` when the file cannot be
    ///   created (the folder is not writable).
    public func acquire() throws {
        guard fd < 0 else { return }
        for _ in 0..<10 {
            let f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard f >= 0 else {
                throw JixiaoError(.io, "cannot create the lock file / 无法创建锁文件", at: Location(file: path),
                                  underlying: String(cString: strerror(errno)))
            }
            if flock(f, LOCK_EX | LOCK_NB) != 0 {
                let busy = errno == EWOULDBLOCK
                let owner = BatchLock.readPID(f)
                close(f)
                if busy {
                    let who = owner.map { "pid \($0)" } ?? "another process"
                    throw JixiaoError(.usage, "another jixiao batch (\(who)) is writing to this folder; wait for it to finish / 另一个批处理正在写入此目录",
                                      at: Location(file: path))
                }
                throw JixiaoError(.io, "cannot lock the output folder / 无法锁定输出目录", at: Location(file: path),
                                  underlying: String(cString: strerror(errno)))
            }
            // A run that was finishing may have removed the file between our open and flock: then the lock we
            // hold is on a file nobody else will open. Make sure the path still names what we locked.
            var a = stat(), b = stat()
            guard fstat(f, &a) == 0, stat(path, &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino else {
                close(f)
                continue
            }
            let text = Array("\(getpid())\n".utf8)
            _ = ftruncate(f, 0)
            _ = text.withUnsafeBytes { pwrite(f, $0.baseAddress, $0.count, 0) }
            fsync(f)
            fd = f
            return
        }
        throw JixiaoError(.io, "cannot take the lock file / 无法获取锁文件", at: Location(file: path))
    }

    /// The PID written in the lock file, if any.
    static func readPID(_ f: Int32) -> Int32? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = buf.withUnsafeMutableBytes { pread(f, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Removes the lock file, then drops the lock.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
