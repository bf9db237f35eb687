import Foundation
import Testing
import TestSupport

/// Issue 8: hostile and broken files through the built `jixiao`. Each is refused with exit code 2 and one
/// clear line naming the file (and part or sheet), or read within the limits; always within 2 s of CPU
/// and 200 MB of memory as the kernel counted them for the child (`wait4`), and nothing of /etc/passwd
/// ever appears. The files come from `scripts/make-hostile.py` (and the corpus's own hostile files).
@Suite("Hostile files through the CLI", .serialized)
struct HostileCLITests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        /// Text the error line must hold (any one of the alternatives separated by `|`).
        var expect: [String]
        var testDescription: String { file }
    }

    static let cpuLimit = 2.0
    static let memoryLimit = 200 << 20

    /// Refused: exit code 2 and a one-line error.
    static let refused: [Case] = [
        Case(file: "hostile/xlsx_billion_laughs.xlsx", expect: ["DOCTYPE", "Sheet1"]),
        Case(file: "hostile/xlsx_xxe_passwd.xlsx", expect: ["DOCTYPE", "Sheet1"]),
        Case(file: "hostile/xlsx_xxe_external_dtd.xlsx", expect: ["DOCTYPE", "xl/workbook.xml"]),
        Case(file: "hostile/xlsx_xxe_rels.xlsx", expect: ["DOCTYPE", "_rels/.rels"]),
        Case(file: "hostile/xlsx_doctype_sharedstrings.xlsx", expect: ["DOCTYPE", "xl/sharedStrings.xml"]),
        Case(file: "hostile/xlsx_deep_nesting.xlsx", expect: ["maxXMLDepth", "--max-xml-depth", "Sheet1"]),
        Case(file: "hostile/xlsx_many_attributes.xlsx", expect: ["maxXMLAttributes", "--max-xml-attributes"]),
        Case(file: "hostile/xlsx_long_shared_string.xlsx", expect: ["maxStringLength", "xl/sharedStrings.xml"]),
        Case(file: "hostile/xlsx_overlap_entries.xlsx", expect: ["overlap"]),
        Case(file: "hostile/xlsx_truncated.xlsx", expect: ["文件不完整", "ends"]),
        Case(file: "hostile/xlsx_malformed_xml.xlsx", expect: ["xl/workbook.xml", "malformed XML", "xmlParseCharRef"]),
        Case(file: "hostile/xlsx_bad_encoding.xlsx", expect: ["Sheet1", "malformed XML", "UTF-8"]),
        Case(file: "hostile/xlsx_bad_crc.xlsx", expect: ["CRC", "附件2"]),
        Case(file: "hostile/xlsx_ole_encrypted.xlsx", expect: ["encrypted", "加密"]),
        Case(file: "hostile/xlsx_rels_outside.xlsx", expect: ["missing", "Sheet1"]),
        Case(file: "hostile/csv_unterminated_quote.csv", expect: ["csv_unterminated_quote.csv:2", "not closed"]),
        Case(file: "hostile/corpus/poc-xmlbomb.xlsx", expect: ["DOCTYPE", "xl/sharedStrings.xml"]),
        Case(file: "hostile/corpus/poc-xmlbomb-empty.xlsx", expect: ["DOCTYPE", "xl/sharedStrings.xml"]),
        Case(file: "hostile/corpus/clusterfuzz-testcase-minimized-POIXSSFFuzzer-5089447305609216.xlsx", expect: ["文件不完整"]),
        Case(file: "hostile/corpus/clusterfuzz-testcase-minimized-XLSX2CSVFuzzer-5025401116950528.xlsx", expect: ["文件不完整"]),
        Case(file: "bad/zip_ole_encrypted.xlsx", expect: ["encrypted"]),
        Case(file: "hostile/overlap_same_offset.zip", expect: ["overlap"]),
    ]

    @Test("refused with exit code 2, one clear line, within 2 s CPU and 200 MB", arguments: refused)
    func refusedFile(_ c: Case) throws {
        let path = Fixtures.url(c.file).path
        for args in [["check", path], ["dump", "--json", path]] {
            let run = try runJixiaoMeasured(args)
            let err = run.stderrText
            #expect(run.status == 2, "\(args[0]) \(c.file): \(run.summary): \(err)")
            HostileCLITests.expectBounded(run, "\(args[0]) \(c.file)")
            let lines = err.split(separator: "\n")
            #expect(lines.count == 1, "one line: \(err)")
            #expect(err.hasPrefix("jixiao: error: " + path), "names the file: \(err)")
            for e in c.expect {
                #expect(err.contains(e), "\(args[0]) \(c.file): “\(e)” missing from: \(err)")
            }
            HostileCLITests.expectNoPasswd(run)
        }
    }

    /// A sheet of tiny cells costs far more held in memory than on disk (about 80 bytes a cell for 2): the default
    /// cell limit stops it under 200 MB, naming the option; streamed `dump --csv` is not bound by it.
    @Test("a CSV of 2,000,100 tiny cells is refused by the default cell limit within 200 MB")
    func tinyCellsAreBoundedByDefault() throws {
        let dir = try Fixtures.tempDirectory("tiny-cells")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cells.csv").path
        let row = Array(repeating: "1", count: 10).joined(separator: ",") + "\n"
        try Data(String(repeating: row, count: 200_010).utf8).write(to: URL(fileURLWithPath: path))
        let run = try runJixiaoMeasured(["check", path])
        #expect(run.status == 2, "\(run.summary): \(run.stderrText)")
        #expect(run.stderrText.contains("--max-cells"), "\(run.stderrText)")
        #expect(run.maxRSS < 200 << 20, "\(run.summary)")
        let streamed = try runJixiaoMeasured(["dump", "--csv", path])
        #expect(streamed.status == 0, "\(streamed.summary): \(streamed.stderrText)")
        #expect(streamed.stdout.count == 200_010 * row.utf8.count)
    }

    @Test("the last cell XFD1048576 is read and the table still checks")
    func lastCell() throws {
        let path = Fixtures.url("hostile/xlsx_cell_xfd1048576.xlsx").path
        let check = try runJixiaoMeasured(["check", "--json", path])
        HostileCLITests.expectBounded(check, "check")
        #expect(check.status == 0, "\(check.summary) \(check.stderrText)")
        #expect(check.stdoutText.contains("\"score\": 99") || check.stdoutText.contains("\"score\":99"))
        let csv = try runJixiaoMeasured(["dump", "--csv", path])
        HostileCLITests.expectBounded(csv, "dump --csv")
        // The table's own cells hold line breaks (quoted), so count from the end: the last row is XFD1048576.
        let lines = csv.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        #expect(lines[lines.count - 2] == Substring(String(repeating: ",", count: 16_383) + "7"))
        #expect(lines[lines.count - 3] == "" && lines[lines.count - 1_048_000] == "")
    }

    @Test("a merge over the whole sheet is kept as a range, never expanded")
    func wholeSheetMerge() throws {
        let path = Fixtures.url("hostile/xlsx_merge_whole_sheet.xlsx").path
        let dump = try runJixiaoMeasured(["dump", "--json", path])
        HostileCLITests.expectBounded(dump, "dump")
        #expect(dump.status == 0, "\(dump.summary) \(dump.stderrText)")
        #expect(dump.stdoutText.contains("\"A1:XFD1048576\""))
        for command in ["check", "rules", "score"] {
            let run = try runJixiaoMeasured([command, path])
            HostileCLITests.expectBounded(run, command)
            // Every cell shows A1's title through the merge: no header row, a clear refusal.
            #expect(run.status == 2, "\(command): \(run.summary) \(run.stderrText)")
            #expect(run.stderrText.contains("未找到指标体系表"), "\(command): \(run.stderrText)")
        }
    }

    @Test("tall merges down to row 1,048,576 cost what the table has; many merges keep the header search bounded")
    func manyAndTallMerges() throws {
        let tall = try runJixiaoMeasured(["check", Fixtures.url("hostile/xlsx_tall_merges.xlsx").path])
        HostileCLITests.expectBounded(tall, "check tall")
        #expect(tall.status == 0, "\(tall.stderrText)")
        #expect(tall.stdoutText.contains("99 of 100"))
        #expect(tall.maxRSS < 100 << 20, "\(tall.summary)")
        let many = try runJixiaoMeasured(["check", Fixtures.url("hostile/xlsx_many_merges.xlsx").path])
        HostileCLITests.expectBounded(many, "check many")
        #expect(many.status == 2 && many.stderrText.contains("未找到指标体系表"), "\(many.stderrText)")
        let limited = try runJixiaoMeasured(["check", "--max-merged-ranges", "1000", Fixtures.url("hostile/xlsx_many_merges.xlsx").path])
        #expect(limited.status == 2 && limited.stderrText.contains("--max-merged-ranges"), "\(limited.stderrText)")
    }

    @Test("5,000 sheets listed on one part are read once")
    func sheetFanOut() throws {
        let path = Fixtures.url("hostile/xlsx_sheet_fanout.xlsx").path
        let dump = try runJixiaoMeasured(["dump", "--json", path])
        HostileCLITests.expectBounded(dump, "dump")
        #expect(dump.status == 0)
        #expect(dump.stdoutText.components(separatedBy: "\"name\":").count == 2, "one sheet")
        let check = try runJixiaoMeasured(["check", path])
        HostileCLITests.expectBounded(check, "check")
        #expect(check.status == 2 && check.stderrText.contains("未找到指标体系表"), "\(check.stderrText)")
    }

    @Test("shared formulas: an over-long master is not expanded; the expansion of others is limited")
    func sharedFormulaBomb() throws {
        let path = Fixtures.url("hostile/xlsx_shared_formula_bomb.xlsx").path
        let run = try runJixiaoMeasured(["dump", "--json", path])
        HostileCLITests.expectBounded(run, "dump")
        #expect(run.status == 0, "\(run.stderrText)")
        let limited = try runJixiaoMeasured(["dump", "--json", "--max-formula-expansion", "100K",
                                             Fixtures.url("hostile/xlsx_shared_formula_chain.xlsx").path])
        HostileCLITests.expectBounded(limited, "dump limited")
        #expect(limited.status == 2, "\(limited.stderrText)")
        #expect(limited.stderrText.contains("maxFormulaExpansion") && limited.stderrText.contains("--max-formula-expansion")
                && limited.stderrText.contains("Sheet1!B"), "\(limited.stderrText)")
        let full = try runJixiaoMeasured(["dump", "--json", Fixtures.url("hostile/xlsx_shared_formula_chain.xlsx").path])
        HostileCLITests.expectBounded(full, "dump chain")
        #expect(full.status == 0, "\(full.stderrText)")
        // check evaluates formulas (FormulaValues): 2,000 formulas of 90 range sums each stay within the budget.
        for path in ["hostile/xlsx_shared_formula_chain.xlsx", "hostile/xlsx_shared_formula_bomb.xlsx"] {
            let check = try runJixiaoMeasured(["check", Fixtures.url(path).path])
            HostileCLITests.expectBounded(check, "check \(path)")
            #expect(check.status == 2, "\(check.stderrText)")  // no indicator table in these sheets
        }
    }

    @Test("cell references past XFD1048576 are placed like missing references; bad merges dropped")
    func referencesPastTheEnd() throws {
        let run = try runJixiaoMeasured(["dump", "--json", Fixtures.url("hostile/xlsx_refs_past_end.xlsx").path])
        HostileCLITests.expectBounded(run, "dump")
        #expect(run.status == 0)
        let compact = run.stdoutText.replacingOccurrences(of: "\n", with: "")
        #expect(compact.contains(#""merged":[],"start":[0,0],"rows":[[1,2,3],[4,5]]"#), "\(compact)")
    }

    @Test("100,000 repeats of a full row merge in linear time; the later cell wins")
    func repeatedRows() throws {
        let run = try runJixiaoMeasured(["dump", "--csv", Fixtures.url("hostile/xlsx_repeated_rows.xlsx").path])
        HostileCLITests.expectBounded(run, "dump")
        #expect(run.status == 0)
        let fields = run.stdoutText.split(separator: "\n")[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields.count == 16_384)
        #expect(fields.first == "0" && fields[16_382] == "16382" && fields.last == "1")
    }

    @Test("dump --csv puts rows that come out of order in place, as --json does, or refuses when it is too late")
    func rowsOutOfOrder() throws {
        // Rows 3, 1, 2, then row 1 again with B1: streamed, this printed "\n\n3\n1\n2\n,12".
        let small = try runJixiaoMeasured(["dump", "--csv", Fixtures.url("hostile/xlsx_rows_out_of_order.xlsx").path])
        #expect(small.status == 0, "\(small.stderrText)")
        #expect(small.stdoutText == "1,12\n2\n3\n", "\(small.stdoutText.debugDescription)")
        let json = try runJixiaoMeasured(["dump", "--json", Fixtures.url("hostile/xlsx_rows_out_of_order.xlsx").path])
        #expect(json.stdoutText.replacingOccurrences(of: "\n", with: "").contains(#""rows":[[1,12],[2],[3]]"#))
        // Row 1 again after 3,000 rows (135 KB already written): a clear refusal, not a wrong table.
        let late = try runJixiaoMeasured(["dump", "--csv", Fixtures.url("hostile/xlsx_rows_out_of_order_late.xlsx").path])
        #expect(late.status == 2, "\(late.summary)")
        #expect(late.stderrText.split(separator: "\n").count == 1 && late.stderrText.contains("Sheet1")
                && late.stderrText.contains("row 1 comes after row 3000"), "\(late.stderrText)")
    }

    @Test("200,000 copies of one cell in a row are kept once")
    func repeatedCell() throws {
        let run = try runJixiaoMeasured(["dump", "--json", Fixtures.url("hostile/xlsx_one_cell_repeated.xlsx").path])
        HostileCLITests.expectBounded(run, "dump")
        #expect(run.status == 0)
        #expect(run.stdoutText.replacingOccurrences(of: "\n", with: "").contains(#""rows":[[1]]"#))
    }

    @Test("sheet names that look like paths are data, printed escaped")
    func pathLikeSheetNames() throws {
        let run = try runJixiaoMeasured(["dump", "--json", Fixtures.url("hostile/xlsx_sheet_names_paths.xlsx").path])
        HostileCLITests.expectBounded(run, "dump")
        #expect(run.status == 0)
        for name in [#""../../../tmp/evil""#, #""/etc/passwd""#, #""a\tb\nc""#, #""..""#] {
            #expect(run.stdoutText.contains("\"name\":" + name), "\(name)")
        }
        HostileCLITests.expectNoPasswd(run)
    }

    @Test("line breaks and terminal escapes in sheet and file names stay escaped on the one error line")
    func controlCharactersInErrorLines() throws {
        // The sheet named "a\tb\nc" is listed in the no-table error: it used to break the line in two.
        let sheets = try runJixiaoMeasured(["check", Fixtures.url("hostile/xlsx_sheet_names_paths.xlsx").path])
        #expect(sheets.status == 2, "\(sheets.summary) \(sheets.stderrText)")
        #expect(sheets.stderrText.split(separator: "\n").count == 1, "\(sheets.stderrText)")
        #expect(sheets.stderrText.contains(#"a\tb\nc"#) || sheets.stderrText.contains("a\tb\\nc"), "\(sheets.stderrText)")
        // A file name with a line break, ESC (clear screen) and a right-to-left override, from a mail attachment.
        let dir = try Fixtures.tempDirectory("ctlname")
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "坏\n\u{1B}[2J\u{202E}.xlsx"
        let url = dir.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Fixtures.url("bad/truncated_zip.xlsx"), to: url)
        for args in [["check", url.path], ["dump", "--json", url.path], ["fill", url.path, "--scores", url.path, "-o",
                                                                            dir.appendingPathComponent("o.xlsx").path]] {
            let run = try runJixiaoMeasured(args)
            #expect(run.status == 2, "\(args[0]): \(run.summary) \(run.stderrText)")
            #expect(run.stderrText.split(separator: "\n").count == 1, "\(args[0]): \(run.stderrText)")
            #expect(!run.stderrText.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E }, "\(args[0])")
            #expect(run.stderrText.contains(#"坏\n\u{1B}[2J\u{202E}.xlsx"#), "\(args[0]): \(run.stderrText)")
        }
        let out = dir.appendingPathComponent("out")
        let batch = try runJixiaoMeasured(["batch", url.path, "--out", out.path])
        #expect(batch.status == 2, "\(batch.summary) \(batch.stderrText)")
        let lines = batch.stderrText.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("jixiao: error: ") && lines[1].hasPrefix("jixiao batch: "), "\(batch.stderrText)")
        #expect(!batch.stderrText.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    @Test("a one-character output name in the current folder is written, not a crash (NSString trapped on it)")
    func oneCharacterOutputName() throws {
        let dir = try Fixtures.tempDirectory("onechar")
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = Fixtures.url("xlsx/seed000_project_framework.xlsx").path
        let r = try runJixiao(["score", seed, "-o", "s"], cwd: dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let back = try runJixiao(["check", dir.appendingPathComponent("s").path, "--json"])
        #expect(back.status == 0 && back.stdoutText.contains("附件2"), "\(back.stderrText)")
        let f = try runJixiao(["convert", seed, "东.csv"], cwd: dir)
        #expect(f.status == 0, "\(f.stderrText)")
    }

    @Test("the corpus's XXE-in-schema file reads, its external entity never resolved")
    func xxeInSchema() throws {
        let run = try runJixiaoMeasured(["dump", "--json", Fixtures.url("hostile/corpus/xxe_in_schema.xlsx").path])
        HostileCLITests.expectBounded(run, "dump")
        #expect(run.status == 0)
        #expect(run.stdoutText.contains(#"["/Test/Test","Column1","Column2"]"#))
        HostileCLITests.expectNoPasswd(run)
    }

    @Test("each limit can be set from the command line and the error names the option")
    func limitOptions() throws {
        let seed = Fixtures.url("xlsx/seed000_project_framework.xlsx").path
        let cases: [([String], String)] = [
            (["--max-part-size", "8K"], "--max-part-size"),
            (["--max-total-size", "20K"], "--max-total-size"),
            (["--max-zip-entries", "3"], "--max-zip-entries"),
            (["--max-xml-depth", "3"], "--max-xml-depth"),
            (["--max-merged-ranges", "5"], "--max-merged-ranges"),
            (["--max-rows", "10"], "--max-rows"),
            (["--max-cells", "100"], "--max-cells"),
            (["--max-string-length", "20"], "--max-string-length"),
            (["--max-compression-ratio", "2", "--compression-ratio-grace", "1K"], "--max-compression-ratio"),
        ]
        for (flags, option) in cases {
            let run = try runJixiaoMeasured(["check"] + flags + [seed])
            #expect(run.status == 2, "\(flags): \(run.stderrText)")
            #expect(run.stderrText.contains("raise with \(option)"), "\(flags): \(run.stderrText)")
        }
        let csv = Fixtures.url("csv/seed000_project_framework.csv").path
        for (flags, option) in [(["--max-csv-field", "10"], "--max-csv-field"), (["--max-csv-line", "40"], "--max-csv-line")] {
            let run = try runJixiaoMeasured(["dump", "--json"] + flags + [csv])
            #expect(run.status == 2, "\(flags): \(run.stderrText)")
            #expect(run.stderrText.contains("raise with \(option)"), "\(flags): \(run.stderrText)")
        }
        // Raising the limits lets the bomb-free seed through; a bad size is a usage error.
        #expect(try runJixiaoMeasured(["check", "--max-part-size", "1G", "--max-rows", "100", seed]).status == 0)
        #expect(try runJixiaoMeasured(["check", "--max-part-size", "ten", seed]).status != 0)
        let many = try runJixiaoMeasured(["dump", "--json", "--max-xml-attributes", "30000",
                                          Fixtures.url("hostile/xlsx_many_attributes.xlsx").path])
        #expect(many.status == 0, "\(many.stderrText)")
    }

    // MARK: - Checks shared by the tests

    /// Within 2 s of CPU and 200 MB, and not killed by the hang guard.
    static func expectBounded(_ run: MeasuredRun, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!run.timedOut, "\(what): hung (\(run.summary))", sourceLocation: sourceLocation)
        #expect(run.cpuSeconds < cpuLimit, "\(what): \(run.summary)", sourceLocation: sourceLocation)
        #expect(run.maxRSS < memoryLimit, "\(what): \(run.summary)", sourceLocation: sourceLocation)
    }

    /// Lines of the machine's /etc/passwd (and the classic first line) never appear in what jixiao prints.
    static func expectNoPasswd(_ run: MeasuredRun, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = run.stdoutText + run.stderrText
        var markers = ["root:x:0:0"]
        if let passwd = try? String(contentsOfFile: "/etc/passwd", encoding: .utf8) {
            markers += passwd.split(separator: "\n").prefix(5).map(String.init).filter { $0.count > 8 }
        }
        for m in markers {
            #expect(!text.contains(m), "/etc/passwd content in the output", sourceLocation: sourceLocation)
        }
    }
}
