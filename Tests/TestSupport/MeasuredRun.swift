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

/// How the child's peak memory is measured. The kernel carries a spawning process's own peak into the
/// `ru_maxrss` of a child it starts (`posix_spawn` shares the parent's memory until `exec`), so a large test
/// process would pollute the figure: the child is started by a small intermediary that forks it and
/// reports its usage — GNU `time` when installed, else `python3` — and only without both from `wait4`
/// directly (an upper bound: it includes this process's peak).
/// `JIXIAO_RUSAGE=time|python3|wait4` picks one.
public enum RusageSource: String { case gnuTime = "time", python = "python3", wait4 }

private let pythonMeasurer = """
import os, resource, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status = os.waitpid(pid, 0)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write("R %f %f %f %d\\n" % (0, u.ru_utime, u.ru_stime, u.ru_maxrss))
if os.WIFSIGNALED(status):
    os._exit(128 + os.WTERMSIG(status))
os._exit(os.WEXITSTATUS(status))
"""

public let rusageSource: RusageSource = {
    if let forced = ProcessInfo.processInfo.environment["JIXIAO_RUSAGE"].flatMap(RusageSource.init(rawValue:)) { return forced }
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/time") { return .gnuTime }
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/python3") {
        return .python
    }
    return .wait4
}()

private func python3Path() -> String {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: dir + "/python3") {
        return dir + "/python3"
    }
    return "/usr/bin/python3"
}

/// Runs `exe` with `args` (stdin from /dev/null, stdout and stderr to files), kills it (and its process
/// group) after `timeout` seconds, and reports its exit status, CPU time and peak memory (see `RusageSource`).
public func runMeasured(_ exe: URL, _ args: [String], timeout: Double = 60) throws -> MeasuredRun {
    let dir = try Fixtures.tempDirectory("measured")
    defer { try? FileManager.default.removeItem(at: dir) }
    let outPath = dir.appendingPathComponent("stdout").path
    let errPath = dir.appendingPathComponent("stderr").path
    let usagePath = dir.appendingPathComponent("usage").path
    var command: [String]
    switch rusageSource {
    case .gnuTime: command = ["/usr/bin/time", "-f", "R %e %U %S %M", "-o", usagePath, exe.path] + args
    case .python: command = [python3Path(), "-c", pythonMeasurer, usagePath, exe.path] + args
    case .wait4: command = [exe.path] + args
    }
#if os(Linux)
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
#else
    var actions: posix_spawn_file_actions_t?
    var attributes: posix_spawnattr_t?
#endif
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let start = Date()
    let rc = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
    guard rc == 0 else {
        throw NSError(domain: "runMeasured", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(command[0]): \(String(cString: strerror(rc)))"])
    }
    var status: Int32 = 0
    var usage = rusage()
    var timedOut = false
    while true {
        let r = wait4(pid, &status, WNOHANG, &usage)
        if r == pid { break }
        if r < 0 && errno != EINTR { break }
        if Date().timeIntervalSince(start) > timeout {
            kill(-pid, SIGKILL)
            _ = wait4(pid, &status, 0, &usage)
            timedOut = true
            break
        }
        usleep(2_000)
    }
    let seconds = Date().timeIntervalSince(start)
    let signal = status & 0x7F
    var code: Int32 = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    func secs(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
#if os(Linux)
    var rss = Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
#else
    var rss = Int(usage.ru_maxrss)         // bytes on macOS
#endif
    var cpu = secs(usage.ru_utime) + secs(usage.ru_stime)
    if rusageSource != .wait4 {
        // The intermediary's report: "R wall user sys maxrss-KB" (GNU time adds a line before it when the
        // child failed or was killed).
        let text = (try? String(contentsOfFile: usagePath, encoding: .utf8)) ?? ""
        if let line = text.split(separator: "\n").last(where: { $0.hasPrefix("R ") }) {
            let f = line.split(separator: " ")
            if f.count == 5, let u = Double(f[2]), let s = Double(f[3]), let m = Int(f[4]) {
                cpu = u + s
                rss = m * 1024
            }
        }
        if let killed = text.split(separator: "\n").first(where: { $0.hasPrefix("Command terminated by signal") }),
           let n = killed.split(separator: " ").last.flatMap({ Int32($0) }) {
            code = 128 + n
        }
    }
    return MeasuredRun(status: code, stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                       stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(),
                       seconds: seconds, cpuSeconds: cpu, maxRSS: rss, timedOut: timedOut)
}

/// Runs the built `jixiao` measured (see `runMeasured`).
public func runJixiaoMeasured(_ args: [String], timeout: Double = 60) throws -> MeasuredRun {
    try runMeasured(Fixtures.jixiaoBinary, args, timeout: timeout)
}
