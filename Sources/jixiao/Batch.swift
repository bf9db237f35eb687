import ArgumentParser
import Foundation
import Pipeline
import SheetCore

/// `jixiao batch`: check and score many departments' tables from cron.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Check, score and write many tables at once (for cron).",
        discussion: """
        INPUT is a file, a folder (searched recursively for .xlsx, .xlsm and .csv; Excel lock files ~$* and hidden \
        files are skipped) or @list.txt (one path a line). DIR mirrors the input folders. Each input is read, \
        normalised, scored, validated and written by the same code as `check`, `score -o` and `convert`: an XLSX \
        input comes back as the department's own workbook with only the score cells changed; a CSV input becomes \
        a styled 附件 table. With --measures DIR, a department's measures file is the one named like its input \
        (optionally with a _measures suffix). Folder searches skip DIR and the summary file.

        Resumable: DIR/.jixiao-manifest.jsonl records each input's content hash and result; a rerun skips inputs \
        whose bytes and options are unchanged and whose output exists (--force redoes them). Outputs are written \
        to temporary files and renamed into place; DIR/.jixiao.lock stops two runs on the same DIR (a lock whose \
        process is gone is taken over). An input on which two runs in a row died is recorded as failed rather than \
        retried forever (--force tries it again).

        Exit codes: 0 all inputs ok; 1 some inputs have findings (errors in the table); 2 some inputs failed \
        (unreadable, no table); 3 usage or environment error (bad options, DIR locked by a running batch, \
        DIR not writable).
        """)

    @Argument(help: "Input files, folders or @list.txt files.")
    var inputs: [String]

    @Option(help: "Output folder (created when missing).")
    var out: String

    @Option(help: "A measures file for every input, or a folder of per-department measures files.")
    var measures: String?

    @Option(help: "Write a summary workbook (.xlsx) or CSV (.csv), one row per input.")
    var summary: String?

    @Option(help: "Parallel workers (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Output format: xlsx, csv or json.")
    var format: String = "xlsx"

    @Flag(help: "Write parent and total scores as live SUM formulas (xlsx).")
    var formulas = false

    @Flag(help: "Add a 校验结果 sheet listing the findings (xlsx).")
    var findings = false

    @Flag(help: "Redo every input, even when the manifest says it is done.")
    var force = false

    @Flag(help: "One JSON line per input on standard error.")
    var logJSON = false

    @Flag(help: "No output except errors.")
    var quiet = false

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func validate() throws {
        guard BatchFormat(rawValue: format) != nil else { throw ValidationError("--format must be xlsx, csv or json") }
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        if let s = summary, !["xlsx", "csv"].contains(URL(fileURLWithPath: s).pathExtension.lowercased()) {
            throw ValidationError("--summary must end in .xlsx or .csv")
        }
    }

    func run() throws {
        Batch.keepFreedMemory()
        let options = BatchOptions(inputs: inputs, outDir: out, measures: measures, summary: summary, jobs: jobs,
                                   format: BatchFormat(rawValue: format)!, formulas: formulas, findingsSheet: findings,
                                   force: force, logJSON: logJSON, quiet: quiet, progress: isatty(2) == 1,
                                   limits: limitOptions.limits)
        let report: BatchReport
        do {
            // A failed input's line names the option that raises the limit it hit, as the single-file commands do.
            let logJSON = self.logJSON
            report = try BatchPipeline.run(options, log: { line in
                var line = line
                if !logJSON, line.hasPrefix("jixiao: error: "),
                   let flag = LimitOptions.flag(forMessage: line) {
                    line += " (raise with \(flag) / 可用 \(flag) 调高上限)"
                }
                FileHandle.standardError.write(Data((line + "\n").utf8))
            })
        } catch let e as JixiaoError {
            FileHandle.standardError.write(Data("jixiao: error: \(OneLine.escape(e.description))\n".utf8))
            throw ExitCode(ExitCodes.usage)
        } catch {
            // Any other failure before or after the inputs (the environment): still the documented code 3.
            FileHandle.standardError.write(Data("jixiao: error: \(OneLine.escape(error.localizedDescription))\n".utf8))
            throw ExitCode(ExitCodes.usage)
        }
        if !quiet && !logJSON {
            let ok = report.records.filter { $0.status == .ok }.count
            FileHandle.standardError.write(Data(("jixiao batch: \(report.records.count) inputs: \(ok) ok, \(report.withFindings) with findings, "
                + "\(report.failed) failed; \(report.processed) processed, \(report.skipped) skipped (unchanged)\n").utf8))
            if !report.passedOver.isEmpty {
                let shown = report.passedOver.prefix(5).joined(separator: ", ") + (report.passedOver.count > 5 ? ", …" : "")
                FileHandle.standardError.write(Data(("jixiao batch: \(report.passedOver.count) file(s) in other spreadsheet formats not read "
                    + "(save them as .xlsx / 其他格式的表格未读取，请另存为 .xlsx): \(OneLine.escape(shown))\n").utf8))
            }
        }
        throw ExitCode(report.exitCode)
    }
}

extension Batch {
    /// A batch allocates and frees the same few megabytes for every file. glibc's defaults give freed memory
    /// back to the kernel (trimming the heap, unmapping large blocks) and take it again for the next file, and
    /// every page taken again is a page fault: about 15 per workbook on two workers, a sixth of the batch's
    /// system time. Freed memory is kept instead, up to 64 MiB (the peak resident size of a batch stays the
    /// same: what is kept is what the previous file used).
    static func keepFreedMemory() {
        #if os(Linux)
        _ = jixiaoMallopt(-3, 16 << 20)  // M_MMAP_THRESHOLD: blocks below 16 MiB come from the heap
        _ = jixiaoMallopt(-1, 64 << 20)  // M_TRIM_THRESHOLD: keep up to 64 MiB of freed heap
        _ = jixiaoMallopt(-2, 16 << 20)  // M_TOP_PAD: grow the heap 16 MiB at a time
        #endif
    }
}

#if os(Linux)
/// glibc's `mallopt(3)` (declared in malloc.h, which the Glibc module does not include).
@_silgen_name("mallopt")
private func jixiaoMallopt(_ param: Int32, _ value: Int32) -> Int32
#endif
