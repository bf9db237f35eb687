import Foundation
import SheetCore
import Testing
import TestSupport
import ZipArchive
@testable import XLSXFormat

/// Fills every workbook of the shared corpus (real files from Excel, WPS, LibreOffice, openpyxl, ClosedXML,
/// xlsxwriter, ...) that jixiao's reader reads: a few existing cells of the first worksheet, a new cell in an
/// existing row, a new row below. Read back, every other cell must be unchanged and every other part copied
/// byte for byte. Runs only where the corpus is (`../shared/corpus` or `JIXIAO_CORPUS`); not on CI.
@Suite(.enabled(if: Fixtures.sharedCorpus != nil)) struct FillCorpusTests {
    @Test func fillEveryReadableWorkbook() throws {
        let corpus = try #require(Fixtures.sharedCorpus)
        // JIXIAO_FILL_KEEP=<folder> keeps the filled workbooks there (to open them in LibreOffice or Excel).
        let keep = ProcessInfo.processInfo.environment["JIXIAO_FILL_KEEP"].map { URL(fileURLWithPath: $0) }
        let dir = try keep ?? Fixtures.tempDirectory("fill-corpus")
        if let keep { try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true) }
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let files = (FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".xlsx") }.sorted()
        var filled = 0, skipped = 0, refused: [String] = []
        for rel in files {
            let src = corpus.appendingPathComponent(rel).path
            guard let before = try? XLSXReader(path: src).readWorkbook(),
                  let index = before.sheets.firstIndex(where: { $0.info.kind == .worksheet && !$0.rows.isEmpty }) else {
                skipped += 1
                continue
            }
            let grid = before.sheets[index]
            var updates: [CellUpdate] = []
            for row in grid.rows.prefix(3) {
                if let c = row.cells.first { updates.append(CellUpdate(ref: CellRef(row: row.index, col: c.col), value: .number(Double(row.index) + 0.5))) }
            }
            if let first = grid.rows.first, let last = first.cells.last, last.col < CellRef.maxCol {
                updates.append(CellUpdate(ref: CellRef(row: first.index, col: last.col + 1), value: .string("新 <值> & \(rel.count)")))
            }
            if let lastRow = grid.rows.last, lastRow.index + 2 <= CellRef.maxRow {
                updates.append(CellUpdate(ref: CellRef(row: lastRow.index + 2, col: 1), value: .bool(true)))
            }
            let out = dir.appendingPathComponent(rel.replacingOccurrences(of: "/", with: "__")).path
            let report: FillReport
            do {
                report = try XLSXFill.fill(source: src, to: out, updates: [grid.name: updates])
            } catch let e as JixiaoError {
                // A clean refusal (e.g. a shared formula, rows out of order) is allowed; record it.
                refused.append("\(rel): \(e)")
                continue
            }
            filled += 1
            let after: Workbook
            do { after = try XLSXReader(path: out).readWorkbook() } catch {
                Issue.record("\(rel): the filled workbook does not read: \(error)")
                continue
            }
            // Cells: the updated ones hold the new values, the rest as before. Formulas kept.
            for (ga, gb) in zip(before.sheets, after.sheets) {
                let mine = ga.name == grid.name ? updates : []
                var refs = Set<CellRef>()
                for g in [ga, gb] { for row in g.rows { for c in row.cells { refs.insert(CellRef(row: row.index, col: c.col)) } } }
                for ref in refs {
                    if let u = mine.first(where: { $0.ref == ref }) {
                        // A number in a date-formatted cell reads back as that date serial.
                        var got = gb.cell(at: ref)?.value
                        if case .date(let d)? = got, case .number = u.value { got = .number(d.serial) }
                        #expect(got == u.value, "\(rel) \(ga.name)!\(ref.a1) filled")
                        #expect(gb.cell(at: ref)?.formula == ga.cell(at: ref)?.formula, "\(rel) \(ref.a1) formula kept")
                    } else {
                        #expect(ga.cell(at: ref) == gb.cell(at: ref), "\(rel) \(ga.name)!\(ref.a1) unchanged")
                    }
                }
                #expect(ga.merged == gb.merged, "\(rel) merged ranges")
            }
            // Parts: all but the rewritten ones byte-identical and in order.
            let z0 = try ZipReader(path: src), z1 = try ZipReader(path: out)
            let changed = Set(report.rewrittenParts.map { FillPackage.normalise($0) } + report.droppedParts.map { FillPackage.normalise($0) })
            let kept = z0.entries.filter { !report.droppedParts.map(FillPackage.normalise).contains(FillPackage.normalise($0.name)) }
            #expect(kept.map(\.name) == z1.entries.map(\.name), "\(rel) part order")
            for (a, b) in zip(kept, z1.entries) where !changed.contains(FillPackage.normalise(a.name)) {
                #expect(try z0.rawData(a) == z1.rawData(b) && a.crc32 == b.crc32, "\(rel) \(a.name) copied")
            }
        }
        print("fill corpus: \(filled) filled, \(refused.count) refused, \(skipped) not readable or empty, of \(files.count)")
        for r in refused { print("  refused: \(r)") }
        #expect(filled > files.count / 2)
    }

    /// The 校验结果 sheet added to every readable corpus workbook (the workbook, its relationships, content types and
    /// styles patched by hand, whatever wrote them): it reads back with its rows, every existing sheet unchanged,
    /// every other part copied byte for byte, the new part last.
    @Test func addAFindingsSheetToEveryReadableWorkbook() throws {
        let corpus = try #require(Fixtures.sharedCorpus)
        // JIXIAO_FILL_KEEP=<folder> keeps the workbooks there (to open them in LibreOffice or Excel).
        let keep = ProcessInfo.processInfo.environment["JIXIAO_FILL_KEEP"].map { URL(fileURLWithPath: $0) }
        let dir = try keep ?? Fixtures.tempDirectory("fill-corpus-sheet")
        if let keep { try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true) }
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let files = (FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".xlsx") }.sorted()
        var added = 0, refused: [String] = []
        for rel in files {
            let src = corpus.appendingPathComponent(rel).path
            guard let before = try? XLSXReader(path: src).readWorkbook(), !before.sheets.contains(where: { $0.name == "校验结果" }),
                  let first = before.sheets.first else { continue }
            var options = FillOptions()
            options.newSheet = FillNewSheet(name: "校验结果", rows: [[.string("级别"), .string("说明")], [.string("错误"), .string("见 <\(first.name)> & A1")]],
                                            links: [FillLink(ref: CellRef(row: 1, col: 1), location: FillLink.location(sheet: first.name, cell: CellRef(row: 0, col: 0)))])
            let out = dir.appendingPathComponent(rel.replacingOccurrences(of: "/", with: "__")).path
            let report: FillReport
            do {
                report = try XLSXFill.fill(source: src, to: out, updates: [:], options: options)
            } catch let e as JixiaoError {
                refused.append("\(rel): \(e)")
                continue
            }
            added += 1
            let after: Workbook
            do { after = try XLSXReader(path: out).readWorkbook() } catch {
                Issue.record("\(rel): the workbook with the added sheet does not read: \(error)")
                continue
            }
            #expect(after.sheets.map(\.name) == before.sheets.map(\.name) + ["校验结果"], "\(rel) sheets")
            for (ga, gb) in zip(before.sheets, after.sheets) {
                #expect(ga.rows == gb.rows && ga.merged == gb.merged, "\(rel) \(ga.name) unchanged")
            }
            #expect(after.sheets.last?[CellRef(row: 1, col: 1)] == .string("见 <\(first.name)> & A1"), "\(rel) new sheet")
            let z0 = try ZipReader(path: src), z1 = try ZipReader(path: out)
            let changed = Set(report.rewrittenParts.map { FillPackage.normalise($0) })
            #expect(z1.entries.map(\.name) == z0.entries.map(\.name) + report.addedParts, "\(rel) part order")
            for (a, b) in zip(z0.entries, z1.entries) where !changed.contains(FillPackage.normalise(a.name)) {
                #expect(try z0.rawData(a) == z1.rawData(b), "\(rel) \(a.name) copied")
            }
        }
        print("fill corpus (findings sheet): \(added) added, \(refused.count) refused, of \(files.count)")
        for r in refused { print("  refused: \(r)") }
        #expect(added > files.count / 2)
    }
}
