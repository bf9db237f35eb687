import ArgumentParser

/// One line per subcommand; add yours here.
let registeredCommands: [ParsableCommand.Type] = [
    Version.self,
    Dump.self,
    Check.self,
    Rules.self,
    Score.self,
    ConvertCommand.self,
    Fill.self,
    Batch.self,
]

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() { print(Jixiao.configuration.version) }
}
