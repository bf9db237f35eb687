import Foundation
import SheetCore
import Testing
import TestSupport
@testable import XLSXFormat

/// The two-thread read of big worksheets (inflate on one thread, libxml2 pulling on the other) gives exactly
/// what the one-thread push read gives: run on small files by lowering the size threshold.
@Suite struct PipelinedReadTests {
    static let fixtures = ["xlsx/seed000_project_framework.xlsx", "xlsx/seed000_project_framework_blank.xlsx",
                           "xlsx/seed002_department_framework.xlsx"]

    private func read(_ url: URL, threshold: UInt64?) throws -> [Grid] {
        let reader = try XLSXReader(path: url.path)
        if let threshold { reader.pipelineThreshold = threshold }
        return try reader.sheets.indices.map { try reader.readGrid(sheet: $0) }
    }

    @Test(arguments: fixtures)
    func sameGridsAsThePushRead(_ fixture: String) throws {
        let url = Fixtures.url(fixture)
        let pushed = try read(url, threshold: nil)
        let pulled = try read(url, threshold: 0)
        #expect(!pushed.isEmpty)
        #expect(pulled == pushed)
    }

    @Test func corpusWorkbooksReadTheSame() throws {
        guard let corpus = Fixtures.sharedCorpus else { return }
        let names = ((try? FileManager.default.subpathsOfDirectory(atPath: corpus.path)) ?? [])
            .filter { $0.lowercased().hasSuffix(".xlsx") }.sorted().prefix(40)
        for name in names {
            let url = corpus.appendingPathComponent(name)
            let pushed = Result { try read(url, threshold: nil) }
            let pulled = Result { try read(url, threshold: 0) }
            switch (pushed, pulled) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(name)")
            case (.failure(let a), .failure(let b)):
                #expect((a as? JixiaoError)?.kind == (b as? JixiaoError)?.kind, "\(name): \(a) / \(b)")
            default:
                Issue.record("\(name): one read failed and the other did not: \(pushed) / \(pulled)")
            }
        }
    }

    @Test func zipPackageReadsTheSameAndTruncatedSheetFailsTheSame() throws {
        let rows = (1...300).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c><c r=\"B\($0)\" t=\"inlineStr\"><is><t>行\($0)</t></is></c></row>" }.joined()
        var package = PackageBuilder.oneSheet(rows, extra: "<mergeCells><mergeCell ref=\"A1:B2\"/></mergeCells>")
        let whole = try package.xlsxBytes()
        let pushed = try XLSXReader(bytes: whole, name: "t.xlsx").readGrid(sheet: 0)
        let reader = try XLSXReader(bytes: whole, name: "t.xlsx")
        reader.pipelineThreshold = 0
        #expect(try reader.readGrid(sheet: 0) == pushed)
        #expect(pushed.rows.count == 300 && pushed.merged.count == 1)

        // Cut off in the middle of a row: both paths report damaged XML (neither crashes nor hangs).
        let sheet = package.parts["xl/worksheets/sheet1.xml"]!
        package.parts["xl/worksheets/sheet1.xml"] = Array(sheet.prefix(sheet.count / 2))
        let cut = try package.xlsxBytes()
        var kinds: [JixiaoError.Kind?] = []
        for threshold: UInt64? in [nil, 0] {
            let r = try XLSXReader(bytes: cut, name: "t.xlsx")
            if let threshold { r.pipelineThreshold = threshold }
            do { _ = try r.readGrid(sheet: 0); kinds.append(nil) } catch let e as JixiaoError { kinds.append(e.kind) }
        }
        #expect(kinds == [.corrupt, .corrupt])
    }
}
