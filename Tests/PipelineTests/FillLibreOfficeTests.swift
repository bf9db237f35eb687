import Foundation
import IndicatorModel
import SheetCore
import Testing
import TestSupport
import XLSXFormat
@testable import Pipeline

/// Opens filled workbooks in LibreOffice (`soffice --headless --convert-to csv`) and checks what it shows,
/// including the values it recalculates from the SUM formulas. Slow (seconds per file), so opt-in:
/// `JIXIAO_LIBREOFFICE=1 swift test --filter FillLibreOfficeTests` on a machine with `soffice`.
enum LibreOffice {
    static var soffice: URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let u = URL(fileURLWithPath: String(dir)).appendingPathComponent("soffice")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return nil
    }

    static var available: Bool {
        ProcessInfo.processInfo.environment["JIXIAO_LIBREOFFICE"] == "1" && soffice != nil
    }
}

@Suite(.enabled(if: LibreOffice.available)) struct FillLibreOfficeTests {

    /// Converts every sheet of `xlsx` to UTF-8 CSV; returns the rows of each, by sheet name.
    static func convert(_ xlsx: String, in dir: URL) throws -> [String: [[String]]] {
        let outDir = dir.appendingPathComponent("lo-" + UUID().uuidString)
        let r = try runProcess(LibreOffice.soffice!, ["-env:UserInstallation=file://" + dir.appendingPathComponent("profile").path,
                                          "--headless", "--norestore",
                                          "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                                          "--outdir", outDir.path, xlsx])
        #expect(r.status == 0, "\(r.stderrText)")
        var out: [String: [[String]]] = [:]
        let base = URL(fileURLWithPath: xlsx).deletingPathExtension().lastPathComponent
        for name in try FileManager.default.contentsOfDirectory(atPath: outDir.path) where name.hasSuffix(".csv") {
            let sheet = String(name.dropFirst(base.count + 1).dropLast(4))
            let text = try String(contentsOf: outDir.appendingPathComponent(name), encoding: .utf8)
            out[sheet] = Self.parseCSV(text)
        }
        return out
    }

    /// RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var it = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(field); field = ""; rows.append(row); row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    @Test(arguments: ["xlsx/seed000_project_framework_blank.xlsx", "xlsx/seed002_department_framework.xlsx", "rich/seed000_rich.xlsx",
                      "quirks/seed000_writer_quirks.xlsx"])
    func opensAndRecalculates(_ fixture: String) throws {
        let dir = try Fixtures.tempDirectory("fill-lo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url(fixture).path
        let wb = try XLSXReader(path: src).readWorkbook()
        var f = try Normaliser.frameworks(in: wb, sheet: nil)
        f = FillScoresTests.score(f)
        let out = dir.appendingPathComponent("filled.xlsx").path
        try fillScores(framework: f, findings: Validator.validate(f), source: src, output: out,
                       formulas: true, findingsSheet: true)
        let sheets = try Self.convert(out, in: dir)
        #expect(Set(sheets.keys) == Set(wb.sheets.map(\.name) + ["校验结果"]))
        let table = try #require(sheets[f.sheet])
        // Leaves as written, the total as LibreOffice recalculated it from the formula.
        for leaf in f.leaves {
            guard let cell = leaf.scoreCell else { continue }
            let shown = table[Int(cell.row)][Int(cell.col)]
            #expect(Double(shown) == leaf.score, "\(leaf.code) at \(cell.a1)")
        }
        let total = try #require(ScoreFill.totalScoreCell(f, wb.sheet(named: f.sheet)))
        let shown = table[Int(total.row)][Int(total.col)]
        #expect(shown == ScoreFill.numberText(f.totals.score!) || shown == ScoreFill.numberText(f.totals.score!) + "分",
                "total shown as \(shown)")
        #expect(sheets["校验结果"]?.first?.first == "级别")
    }
}
