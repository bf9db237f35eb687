import ArgumentParser
import Foundation
import SheetCore

@main
struct Jixiao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jixiao",
        abstract: "Import, check, score and write Chinese budget performance-evaluation indicator tables (绩效评价指标体系).",
        discussion: """
        Exit codes: 0 success; 1 the table has errors (findings); 2 a file could not be read or written; \
        3 usage or environment error (batch).
        """,
        version: "0.1.0",
        subcommands: Jixiao.commands
    )

    /// Parses and runs; a usage error (unknown flag, bad value) exits with 3, the documented usage code,
    /// instead of ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitCodes.usage)
            }
            exit(withError: error)
        }
    }

    /// Every subcommand; each lives in its own file (`Dump.swift`, `Check.swift`, ...).
    static var commands: [ParsableCommand.Type] {
        var list: [ParsableCommand.Type] = []
        list += registeredCommands
        return list
    }
}

/// Exit codes shared by all commands (interfaces scripts rely on: keep them).
enum ExitCodes {
    static let ok: Int32 = 0
    static let findings: Int32 = 1
    static let unreadable: Int32 = 2
    static let usage: Int32 = 3
}

/// Prints one clear line on standard error and exits with code 2 (unreadable input / unwritable output).
func fail(_ error: Error) -> Never {
    let text: String
    if let e = error as? JixiaoError {
        text = e.description + (e.kind == .limitExceeded ? LimitOptions.flag(forMessage: e.message).map {
            " (raise with \($0) / 可用 \($0) 调高上限)" } ?? "" : "")
    } else {
        text = "\(error)"
    }
    FileHandle.standardError.write(Data(("jixiao: error: " + OneLine.escape(text) + "\n").utf8))
    exit(ExitCodes.unreadable)
}
