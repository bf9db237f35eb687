import Foundation
import SheetCore
import TestSupport
import Testing
@testable import XLSXFormat

/// Compares the reader with the reference values of the shared real-world corpus (`../shared/corpus`,
/// README "How a test should compare"). Skipped when the corpus is not present (fresh clone, CI).
@Suite(.serialized) struct CorpusTests {
    /// Files where the reference (python-calamine) fails for its own reasons; any clean outcome is fine.
    static let referenceLimitations: Set<String> = [
        "xlsx/poi/spreadsheet/xlmmacro.xlsm",
        "xlsx/sheetjs-test_files/BlankSheetTypes.xlsm",
        "xlsx/ClosedXML/TryToLoad/LO/xlsm/tdf111974.xlsm",
    ]

    struct Entry { var path: String }

    static func manifest(_ corpus: URL) throws -> [String] {
        let text = try String(contentsOf: corpus.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).first.map(String.init)
        }
    }

    @Test func readerAgreesWithReference() throws {
        guard let corpus = Fixtures.sharedCorpus else {
            print("CorpusTests: ../shared/corpus not found (set JIXIAO_CORPUS); skipped")
            return
        }
        let paths = try CorpusTests.manifest(corpus)
        #expect(paths.count > 300)
        var readable = 0, agree = 0, rejected = 0, mustReject = 0
        var report: [String] = []
        for path in paths {
            let file = corpus.appendingPathComponent(path)
            let expURL = corpus.appendingPathComponent("expected/" + path.dropFirst("xlsx/".count) + ".json")
            let expected = try ExactJSON.parse(Data(contentsOf: expURL)) as! [String: Any]
            if expected["error"] != nil {
                if CorpusTests.referenceLimitations.contains(path) {
                    do { _ = try XLSXReader(path: file.path).readWorkbook() } catch is JixiaoError {} catch {
                        Issue.record("\(path): non-JixiaoError \(error)")
                    }
                    continue
                }
                mustReject += 1
                do {
                    _ = try XLSXReader(path: file.path).readWorkbook()
                    report.append("\(path): read, but the reference fails (\(expected["error"]!))")
                    Issue.record("\(path): should be rejected")
                } catch is JixiaoError {
                    rejected += 1
                } catch {
                    Issue.record("\(path): non-JixiaoError \(error)")
                }
                continue
            }
            readable += 1
            let diffs = CorpusCompare.compare(file: file, expected: expected)
            if diffs.isEmpty {
                agree += 1
            } else {
                report.append("\(path):\n    " + diffs.prefix(6).joined(separator: "\n    "))
            }
        }
        let ratio = Double(agree) / Double(max(readable, 1))
        let summary = "corpus: \(agree)/\(readable) readable files agree (\(String(format: "%.1f", ratio * 100))%), \(rejected)/\(mustReject) broken files rejected"
        print(summary)
        for r in report { print("DIFF " + r) }
        try? ([summary] + report).joined(separator: "\n").write(toFile: NSTemporaryDirectory() + "/jixiao-corpus-report.txt",
                                                               atomically: true, encoding: .utf8)
        #expect(ratio >= 0.97, "\(summary)")
        #expect(rejected == mustReject)
    }

    @Test func brokenFilesFailCleanlyThroughTheBinary() throws {
        guard let corpus = Fixtures.sharedCorpus else {
            print("CorpusTests: ../shared/corpus not found; skipped")
            return
        }
        for path in try CorpusTests.manifest(corpus) where !CorpusTests.referenceLimitations.contains(path) {
            let expURL = corpus.appendingPathComponent("expected/" + path.dropFirst("xlsx/".count) + ".json")
            let expected = try ExactJSON.parse(Data(contentsOf: expURL)) as! [String: Any]
            guard expected["error"] != nil else { continue }
            let started = Date()
            let r = try runJixiao(["dump", corpus.appendingPathComponent(path).path, "--json"])
            let seconds = Date().timeIntervalSince(started)
            #expect(r.status == 2, "\(path): exit \(r.status)")
            let lines = r.stderrText.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("jixiao: error: "), "\(path): \(r.stderrText)")
            #expect(seconds < 10, "\(path) took \(seconds) s")  // generous guard; scripts/corpus-check measures
        }
    }
}

/// The comparison rules of the corpus README.
enum CorpusCompare {
    static func compare(file: URL, expected: [String: Any]) -> [String] {
        var diffs: [String] = []
        let reader: XLSXReader
        do {
            reader = try XLSXReader(path: file.path)
        } catch {
            return ["cannot open: \(error)"]
        }
        let expSheets = expected["sheets"] as? [[String: Any]] ?? []
        let names = reader.sheets.map(\.name)
        let expNames = expSheets.map { $0["name"] as? String ?? "" }
        if names != expNames { return ["sheet names \(names) != \(expNames)"] }
        for (i, es) in expSheets.enumerated() {
            let info = reader.sheets[i]
            let name = info.name
            if let v = es["visible"] as? String, v != info.visibility.rawValue {
                diffs.append("\(name): visible \(info.visibility.rawValue) != \(v)")
            }
            if let t = es["type"] as? String, t != info.kind.rawValue {
                diffs.append("\(name): type \(info.kind.rawValue) != \(t)")
            }
            if es["error"] != nil {
                // The reference failed on this sheet: any clean outcome is fine.
                do { _ = try reader.readGrid(sheet: i) } catch is JixiaoError {} catch { diffs.append("\(name): \(error)") }
                continue
            }
            let grid: Grid
            do {
                grid = try reader.readGrid(sheet: i)
            } catch {
                diffs.append("\(name): \(error)")
                continue
            }
            if let merged = es["merged"] as? [String] {
                let mine = Set(grid.merged.map { "\($0.first.a1):\($0.last.a1)" })
                let theirs = Set(merged)
                if mine != theirs {
                    diffs.append("\(name): merged +\(mine.subtracting(theirs).sorted().prefix(5)) -\(theirs.subtracting(mine).sorted().prefix(5))")
                }
            }
            let errors = es["errors"] as? [String: String]
            // Expected values at absolute positions.
            var theirs: [CellRef: Any] = [:]
            if let startD = es["start"] as? [Double], let rows = es["rows"] as? [[Any]] {
                for (r, row) in rows.enumerated() {
                    for (c, v) in row.enumerated() where !(v is NSNull) {
                        if let s = v as? String, s.isEmpty { continue }
                        let start = startD.map { Int($0) }
                        theirs[CellRef(row: UInt32(start[0] + r), col: UInt16(start[1] + c))] = v
                    }
                }
            }
            var seen = 0
            for row in grid.rows {
                for cell in row.cells {
                    let ref = CellRef(row: row.index, col: cell.col)
                    let exp = theirs.removeValue(forKey: ref)
                    if case .error(let e) = cell.value {
                        if let errors, errors[ref.a1] != e {
                            diffs.append("\(name)!\(ref.a1): error \(e) not in the reference's errors (\(errors[ref.a1] ?? "none"))")
                        }
                        if let exp { diffs.append("\(name)!\(ref.a1): error \(e) vs \(exp)") }
                        continue
                    }
                    if let d = differ(cell.value, exp) {
                        seen += 1
                        if seen <= 4 { diffs.append("\(name)!\(ref.a1): \(d)") }
                    }
                }
            }
            for (ref, v) in theirs.sorted(by: { $0.key < $1.key }) {
                seen += 1
                if seen <= 4 { diffs.append("\(name)!\(ref.a1): missing, reference has \(v)") }
            }
            if seen > 4 { diffs.append("\(name): \(seen) value differences in all") }
        }
        return diffs
    }

    /// nil when equal.
    static func differ(_ mine: CellValue, _ exp: Any?) -> String? {
        switch mine {
        case .empty:
            return exp == nil ? nil : "empty vs \(exp!)"
        case .string(let s):
            if s.isEmpty { return exp == nil ? nil : "\"\" vs \(exp!)" }
            if let e = exp as? String, e == s { return nil }
            return "\(debug(s)) vs \(exp.map { debug("\($0)") } ?? "nothing")"
        case .number(let d):
            if let n = exp as? Double, n == d { return nil }
            return "number \(d) vs \(exp ?? "nothing")"
        case .bool(let b):
            if let n = exp as? JSONBool, n.value == b { return nil }
            return "bool \(b) vs \(exp ?? "nothing")"
        case .date(let d):
            if let e = exp as? String, e == d.isoString { return nil }
            return "date \(d.isoString) (\(d.serial)) vs \(exp ?? "nothing")"
        case .error:
            return nil
        }
    }

    static func debug(_ s: String) -> String {
        let t = s.count > 60 ? String(s.prefix(60)) + "…" : s
        return t.debugDescription
    }
}
