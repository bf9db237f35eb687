import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process run with its resources measured (`wait4`): what the hostile-input tests check.
public struct MeasuredRun {
    /// Exit code, or 128 + signal when the child was killed by a signal.
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    /// Wall-clock seconds.
    public var seconds: Double
    /// User + system CPU seconds of the child.
    public var cpuSeconds: Double
    /// Peak resident memory of the child in bytes (`ru_maxrss`).
    public var maxRSS: Int
    /// The child was killed after the timeout.
    public var timedOut: Bool

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var summary: String {
        String(format: "exit %d, %.2f s wall, %.2f s CPU, %.1f MB peak", status, seconds, cpuSeconds, Double(maxRSS) / 1_048_576)
    }
}

/// Runs `exe` with `args` (stdin from /dev/null, stdout and stderr to files), kills it after `timeout`
/// seconds, and reports its exit status, time and peak memory as the kernel counted them for that child.
public func runMeasured(_ exe: URL, _ args: [String], timeout: Double = 60) throws -> MeasuredRun {
    let dir = try Fixtures.tempDirectory("measured")
    defer { try? FileManager.default.removeItem(at: dir) }
    let outPath = dir.appendingPathComponent("stdout").path
    let errPath = dir.appendingPathComponent("stderr").path
#if os(Linux)
    var actions = posix_spawn_file_actions_t()
#else
    var actions: posix_spawn_file_actions_t?
#endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv: [UnsafeMutablePointer<CChar>?] = ([exe.path] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let start = Date()
    let rc = posix_spawn(&pid, exe.path, &actions, nil, argv, environ)
    guard rc == 0 else {
        throw NSError(domain: "runMeasured", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(exe.path): \(String(cString: strerror(rc)))"])
    }
    var status: Int32 = 0
    var usage = rusage()
    var timedOut = false
    while true {
        let r = wait4(pid, &status, WNOHANG, &usage)
        if r == pid { break }
        if r < 0 && errno != EINTR { break }
        if Date().timeIntervalSince(start) > timeout {
            kill(pid, SIGKILL)
            _ = wait4(pid, &status, 0, &usage)
            timedOut = true
            break
        }
        usleep(2_000)
    }
    let seconds = Date().timeIntervalSince(start)
    let signal = status & 0x7F
    let code: Int32 = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    func secs(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
#if os(Linux)
    let rss = Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
#else
    let rss = Int(usage.ru_maxrss)         // bytes on macOS
#endif
    return MeasuredRun(status: code, stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                       stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(),
                       seconds: seconds, cpuSeconds: secs(usage.ru_utime) + secs(usage.ru_stime), maxRSS: rss,
                       timedOut: timedOut)
}

/// Runs the built `jixiao` measured (see `runMeasured`).
public func runJixiaoMeasured(_ args: [String], timeout: Double = 60) throws -> MeasuredRun {
    try runMeasured(Fixtures.jixiaoBinary, args, timeout: timeout)
}
