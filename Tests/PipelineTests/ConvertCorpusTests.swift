import Foundation
import Testing
@testable import Pipeline
import SheetCore
import TestSupport
import XLSXFormat

/// Issue 5: over the real-world corpus, `jixiao convert in.xlsx out.xlsx` (the grid as it is) then reading both
/// gives the same workbook for every file jixiao can read: worksheet names and order, visibility, merged ranges,
/// every value and formula. Runs when `../shared/corpus` (or `JIXIAO_CORPUS`) is present.
@Suite struct ConvertCorpusTests {
    @Test func convertThenReadAgreesOnEveryReadableCorpusFile() throws {
        guard let corpus = Fixtures.sharedCorpus else {
            print("ConvertCorpusTests: skipped: ../shared/corpus not found (set JIXIAO_CORPUS to run it)")
            return
        }
        let manifest = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        let paths = manifest.split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").first.map(String.init) }
        let tmp = try Fixtures.tempDirectory("convert-corpus")
        defer { try? FileManager.default.removeItem(at: tmp) }
        var readable = 0
        var failures: [String] = []
        for (n, rel) in paths.enumerated() {
            let input = corpus.appendingPathComponent(rel).path
            guard let original = try? XLSXReader(path: input).readWorkbook() else { continue }
            readable += 1
            let output = tmp.appendingPathComponent("\(n).xlsx").path
            do {
                try Convert.run(input: input, output: output, options: Convert.Options(mode: .grid))
                let back = try XLSXReader(path: output).readWorkbook()
                if let why = difference(original, back) { failures.append("\(rel): \(why)") }
            } catch {
                failures.append("\(rel): \(error)")
            }
            try? FileManager.default.removeItem(atPath: output)
        }
        print("ConvertCorpusTests: \(readable) readable corpus files converted; \(failures.count) differ")
        #expect(readable > 350)
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    /// Worksheets only (chartsheets have no cells to carry over); an all-hidden workbook gets its first sheet
    /// shown, as Excel requires.
    func difference(_ a: Workbook, _ b: Workbook) -> String? {
        let sa = a.sheets.filter { $0.info.kind == .worksheet }
        let sb = b.sheets
        if sa.isEmpty { return sb.count == 1 && sb[0].rows.isEmpty ? nil : "expected one empty sheet" }
        guard sa.map(\.name) == sb.map(\.name) else { return "sheet names \(sa.map(\.name)) vs \(sb.map(\.name))" }
        let anyVisible = sa.contains { $0.info.visibility == .visible }
        for (i, (x, y)) in zip(sa, sb).enumerated() {
            let vis = (!anyVisible && i == 0) ? .visible : x.info.visibility
            if vis != y.info.visibility { return "\(x.name): visibility \(vis) vs \(y.info.visibility)" }
            // A one-cell "merge" (excelize writes `A6:A6`) merges nothing; the writer leaves it out.
            let mx = x.merged.filter { $0.cellCount > 1 }
            if mx != y.merged { return "\(x.name): merged \(mx) vs \(y.merged)" }
            let cx = cells(x), cy = cells(y)
            if cx.count != cy.count { return "\(x.name): \(cx.count) vs \(cy.count) non-empty cells" }
            for (ref, v) in cx {
                guard let w = cy[ref] else { return "\(x.name)!\(ref.a1): missing" }
                if !same(v.value, w.value) { return "\(x.name)!\(ref.a1): \(v.value) vs \(w.value)" }
                if v.formula != w.formula { return "\(x.name)!\(ref.a1): formula \(v.formula ?? "-") vs \(w.formula ?? "-")" }
            }
        }
        return nil
    }

    func cells(_ g: Grid) -> [CellRef: Cell] {
        var out: [CellRef: Cell] = [:]
        for r in g.rows {
            for c in r.cells where !c.value.isEmpty || c.formula != nil { out[CellRef(row: r.index, col: c.col)] = c }
        }
        return out
    }

    func same(_ a: CellValue, _ b: CellValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.date(let x), .date(let y)): return x.isoString == y.isoString && x.isDuration == y.isDuration
        default: return a == b
        }
    }
}
