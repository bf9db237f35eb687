import ArgumentParser
import CSVFormat
import Foundation
import Pipeline
import SheetCore

/// `jixiao convert IN OUT`: writes an indicator table as a styled 附件 workbook (or CSV, or the check object);
/// copies any other grid as it is.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write an indicator table as a styled .xlsx 附件 table, a .csv or the check .json.",
        discussion: """
        IN is an .xlsx, a .csv (UTF-8, GBK/GB18030, UTF-16) or the object `jixiao check --json` prints. OUT's \
        extension picks the output: .xlsx (title, header, merged parent cells, borders, frozen header, 合计 row, \
        A4 landscape print setup), .csv (UTF-8 with BOM unless --encoding), .json (the check object). An input \
        that holds no indicator table is copied cell by cell (large CSV files are streamed). OUT is written \
        atomically and never over IN.
        """)

    @Argument(help: "Input: .xlsx, .csv or .json.")
    var input: String

    @Argument(help: "Output: .xlsx, .csv or .json.")
    var output: String

    @Option(help: "The input sheet holding the table (XLSX).")
    var sheet: String?

    @Option(help: "Encoding of a CSV output: utf8-bom (default), utf8, gbk, gb18030, utf16le, utf16be.")
    var encoding: String = "utf8-bom"

    @Flag(help: "Require an indicator table (exit 2 when there is none).")
    var table = false

    @Flag(help: "Copy the cells as they are, even when they form an indicator table.")
    var grid = false

    @Option(help: "deflate level 0-9 of an XLSX output (default: 6 for tables, 1 for large grids).")
    var compression: Int32?

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        if table && grid { throw ValidationError("give at most one of --table and --grid") }
        if CSVEncoding(rawValue: encoding.lowercased()) == nil {
            throw ValidationError("unknown encoding \(encoding): use utf8-bom, utf8, gbk, gb18030, utf16le or utf16be")
        }
        if let c = compression, !(0...9).contains(c) { throw ValidationError("--compression must be 0 to 9") }
    }

    func run() throws {
        let options = Convert.Options(mode: table ? .table : grid ? .grid : .auto, sheet: sheet,
                                      csvEncoding: CSVEncoding(rawValue: encoding.lowercased()) ?? .utf8BOM,
                                      compressionLevel: compression, limits: limitOptions.limits)
        do {
            let result = try Convert.run(input: input, output: output, options: options)
            let what = result.framework.map { "indicator table, \($0.leaves.count) indicators" }
                ?? "\(result.sheets) sheet\(result.sheets == 1 ? "" : "s"), \(result.rows) rows"
            FileHandle.standardError.write(Data("jixiao: wrote \(output) (\(what))\n".utf8))
        } catch let e as JixiaoError where e.kind == .usage {
            FileHandle.standardError.write(Data("jixiao: error: \(OneLine.escape(e.description))\n".utf8))
            throw ExitCode(ExitCodes.usage)
        } catch {
            fail(error)
        }
    }
}
