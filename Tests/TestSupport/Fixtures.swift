import Foundation

/// Locates the repository's `Fixtures/` folder from this source file (no bundle resources needed).
public enum Fixtures {
    /// `<repo>/Fixtures`.
    public static let root: URL = {
        URL(fileURLWithPath: #filePath)        // <repo>/Tests/TestSupport/Fixtures.swift
            .deletingLastPathComponent()        // TestSupport
            .deletingLastPathComponent()        // Tests
            .deletingLastPathComponent()        // <repo>
            .appendingPathComponent("Fixtures")
    }()

    /// `<repo>`.
    public static var repoRoot: URL { root.deletingLastPathComponent() }

    /// A fixture by relative path, e.g. `xlsx/seed000_project_framework.xlsx`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    /// `../shared/corpus` beside the repository, when present (it is not in a fresh clone).
    public static var sharedCorpus: URL? {
        let candidates = [
            ProcessInfo.processInfo.environment["JIXIAO_CORPUS"].map { URL(fileURLWithPath: $0) },
            repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus"),
        ]
        for case let c? in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("MANIFEST.tsv").path) {
            return c
        }
        return nil
    }

    /// The built `jixiao` binary (debug or release, whichever `swift test` built).
    public static var jixiaoBinary: URL {
        let env = ProcessInfo.processInfo.environment
        if let p = env["JIXIAO_BIN"] { return URL(fileURLWithPath: p) }
        // The test bundle lives in .build/<triple>/debug/; the executable sits beside it.
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [exe, exe.deletingLastPathComponent(), exe.deletingLastPathComponent().deletingLastPathComponent()] {
            let c = dir.appendingPathComponent("jixiao")
            if FileManager.default.isExecutableFile(atPath: c.path) { return c }
        }
        return repoRoot.appendingPathComponent(".build/debug/jixiao")
    }

    /// A fresh temporary directory, removed by the caller (or left for inspection on failure).
    public static func tempDirectory(_ prefix: String = "jixiao") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Runs a command and captures its output.
public struct ProcessResult {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public func runProcess(_ exe: URL, _ args: [String], stdin: Data? = nil, cwd: URL? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = exe
    p.arguments = args
    if let cwd { p.currentDirectoryURL = cwd }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let inPipe = Pipe()
    p.standardInput = inPipe
    try p.run()
    if let stdin { inPipe.fileHandleForWriting.write(stdin) }
    try? inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a large output cannot dead-lock the child.
    var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: outData, stderr: errData)
}

/// Runs the built `jixiao` with arguments.
public func runJixiao(_ args: [String], stdin: Data? = nil, cwd: URL? = nil) throws -> ProcessResult {
    try runProcess(Fixtures.jixiaoBinary, args, stdin: stdin, cwd: cwd)
}
