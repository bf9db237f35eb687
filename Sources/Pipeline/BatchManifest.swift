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

/// The batch's memory between runs: `DIR/.jixiao-manifest.jsonl`, one JSON record per finished input,
/// appended (O_APPEND, one `write`) as each input finishes, so a run killed at any point leaves every finished
/// record intact (the batch makes it durable against power loss with one sync at the end); a torn last line is ignored on load. The last record for an input wins.
public final class BatchManifest {
    public let path: String
    private var fd: Int32 = -1
    public private(set) var records: [String: BatchRecord] = [:]
    private let lock = NSLock()

    public static let fileName = ".jixiao-manifest.jsonl"

    public init(directory: String) throws {
        path = directory + "/" + BatchManifest.fileName
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let r = try? decoder.decode(BatchRecord.self, from: Data(line)) { records[r.input] = r }
            }
        }
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

    public func append(_ record: BatchRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(record)
        line.append(UInt8(ascii: "\n"))
        lock.lock(); defer { lock.unlock() }
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
        if AtomicFile.syncEachFile { fsync(fd) }
        records[record.input] = record
    }

    /// Rewrites the manifest with one line per input (dropping superseded lines), atomically.
    public func compact() throws {
        lock.lock(); defer { lock.unlock() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for key in records.keys.sorted() {
            data.append(try encoder.encode(records[key]!))
            data.append(UInt8(ascii: "\n"))
        }
        if FileManager.default.contents(atPath: path) == data { return }
        try AtomicFile.write([UInt8](data), to: path)
        if fd >= 0 { close(fd); fd = -1 }
    }

    deinit { if fd >= 0 { close(fd) } }
}

/// `DIR/.jixiao.lock`: stops two runs on the same output folder at once. Holds the owner's PID; a lock whose
/// process is gone (killed run) is taken over.
public final class BatchLock {
    public let path: String
    private var held = false

    public init(directory: String) { path = directory + "/.jixiao.lock" }

    public func acquire() throws {
        for _ in 0..<3 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                fsync(fd)
                close(fd)
                held = true
                return
            }
            guard errno == EEXIST else {
                throw JixiaoError(.io, "cannot create the lock file", at: Location(file: path), underlying: String(cString: strerror(errno)))
            }
            let owner = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let s = owner, let pid = Int32(s), pid > 0, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM {
                throw JixiaoError(.usage, "another jixiao batch (pid \(pid)) is writing to this folder; wait for it or remove \(path) if it is not running")
            }
            // Stale (process gone) or unreadable: take it over.
            unlink(path)
        }
        throw JixiaoError(.io, "cannot take the lock file", at: Location(file: path))
    }

    public func release() {
        if held { unlink(path); held = false }
    }

    deinit { release() }
}
