import Foundation
import SheetCore
import TestSupport
import Testing
@testable import ZipArchive

/// Every file of the shared real-world corpus (`JIXIAO_CORPUS` or `../shared/corpus`; absent on CI and in a
/// fresh clone, then skipped) must open and read completely, or fail cleanly with the kind its MANIFEST row
/// predicts.
@Suite("Real-world corpus")
struct CorpusTests {
    struct Row {
        var path: String
        var calamine: String
        var features: Set<String>
        var notes: String
    }

    static func manifest(_ root: URL) throws -> [Row] {
        let text = try String(contentsOf: root.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        func col(_ n: String) -> Int { header.firstIndex(of: n)! }
        let p = col("path"), c = col("calamine"), f = col("features"), n = col("notes")
        return lines.map { l in
            Row(path: l[p], calamine: l[c], features: Set(l[f].split(separator: ",").map(String.init)),
                notes: l.count > n ? l[n] : "")
        }
    }

    @Test("every corpus file opens and reads, or fails cleanly with the expected kind")
    func corpus() throws {
        guard let root = Fixtures.sharedCorpus else {
            print("ZipArchive corpus test skipped: no shared corpus (set JIXIAO_CORPUS)")
            return
        }
        let rows = try CorpusTests.manifest(root)
        #expect(rows.count > 300)
        var opened = 0, parts = 0, bytes: UInt64 = 0, failed: [JixiaoError.Kind: Int] = [:]
        for row in rows {
            let path = root.appendingPathComponent(row.path).path
            let zip: ZipReader
            do {
                zip = try ZipReader(path: path)
            } catch let e as JixiaoError {
                failed[e.kind, default: 0] += 1
                #expect(e.location?.file == path)
                if row.features.contains("ole") {
                    #expect(e.kind == .encrypted, "\(row.path): \(e)")
                } else {
                    #expect(row.features.contains("badzip") || row.calamine.hasPrefix("error"), "\(row.path): \(e)")
                    #expect([.notAWorkbook, .truncated, .corrupt].contains(e.kind), "\(row.path): \(e)")
                }
                continue
            }
            opened += 1
            #expect(!row.features.contains("ole") && !row.features.contains("badzip"), "\(row.path) opened")
            if row.features.contains("backslash") {
                #expect(zip.entry(named: "[Content_Types].xml") != nil, "\(row.path)")
                #expect(zip.entries.allSatisfy { !$0.name.contains("\\") })
            }
            if row.features.contains("data-descriptor") {
                #expect(zip.entries.contains { $0.hasDataDescriptor }, "\(row.path)")
            }
            if row.features.contains("stored") {
                #expect(zip.entries.contains { $0.method == 0 && !$0.isDirectory }, "\(row.path)")
            }
            var readFailures: [JixiaoError] = []
            for e in zip.entries {
                do {
                    let whole = try zip.read(e)
                    var n = 0
                    var crc: UInt32 = 0
                    try zip.stream(e) { n += $0.count; crc = CRC32.checksum($0, seed: crc) }
                    #expect(n == whole.count && crc == e.crc32, "\(row.path) \(e.name)")
                    parts += 1
                    bytes += UInt64(n)
                } catch let err as JixiaoError {
                    readFailures.append(err)
                    #expect(err.location?.part == e.name)
                }
            }
            if row.calamine == "ok" {
                #expect(readFailures.isEmpty, "\(row.path): \(readFailures)")
                #expect(!zip.recoveredFromLocalHeaders, "\(row.path) needed a local-header scan")
            } else if !readFailures.isEmpty {
                #expect(readFailures.allSatisfy { $0.kind == .corrupt }, "\(row.path): \(readFailures)")
            }
        }
        print("ZipArchive corpus: \(rows.count) files, \(opened) opened, \(parts) parts, \(bytes) bytes inflated; refused: \(failed)")
    }
}
