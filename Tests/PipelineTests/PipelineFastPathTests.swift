import Foundation
import Testing
import TestSupport
@testable import Pipeline
import SheetCore
import XLSXFormat

/// The per-file shortcuts of the batch (output folder check in one pass, names already safe returned as they are)
/// against the general code they stand for, on varied inputs.
@Suite struct PipelineFastPathTests {
    static func random(_ rng: inout SeededRNG, _ pieces: [String], max: Int) -> String {
        let n = Int(rng.next() % UInt64(max + 1))
        return (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    /// The split-based test `standardized` used before the one-pass scan.
    static func isStandardAbsoluteBySplit(_ dir: String) -> Bool {
        let slash = UInt8(ascii: "/")
        let u = dir.utf8
        return u.count > 1 && u.first == slash && u.last != slash
            && !u.dropFirst().split(separator: slash, omittingEmptySubsequences: false).contains(where: {
                $0.isEmpty || $0.elementsEqual(".".utf8) || $0.elementsEqual("..".utf8)
            })
    }

    @Test func standardAbsoluteScanAgreesWithSplit() {
        var rng = SeededRNG(seed: 11)
        let pieces = ["/", "/", ".", "..", "a", "输出", " ", "...", "x."]
        for _ in 0..<20_000 {
            let p = PipelineFastPathTests.random(&rng, pieces, max: 7)
            #expect(OutputPaths.isStandardAbsolute(p) == PipelineFastPathTests.isStandardAbsoluteBySplit(p), "\(p.debugDescription)")
        }
    }

    /// `sanitiseComponent` as it was before the shortcut for safe names.
    static func sanitiseByScalars(_ name: String, maxBytes: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars { scalars.append(BatchInputs.isUnsafe(s) ? "_" : s) }
        var out = String(scalars)
        while out.hasPrefix(".") { out.removeFirst() }
        if out.isEmpty { out = "_" }
        if out.utf8.count > maxBytes {
            var cut = ""
            for c in out {
                if cut.utf8.count + c.utf8.count > maxBytes { break }
                cut.append(c)
            }
            out = cut.isEmpty ? "_" : cut
        }
        return out
    }

    /// `ScoreFill.isUnchanged` as it was before it searched the grid in place.
    static func isUnchangedByCopies(_ update: CellUpdate, in original: Grid) -> Bool {
        guard update.formula == nil, let old = original.cell(at: update.ref)?.value else { return false }
        switch (old, update.value) {
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        default: return false
        }
    }

    @Test func unchangedCellTestFindsWhatGridLookupFinds() {
        var rng = SeededRNG(seed: 13)
        let values: [CellValue] = [.number(1), .number(2), .number(-0.0), .number(0), .string("1"), .string("分"), .string("e\u{301}"),
                                   .string("\u{E9}"), .bool(true), .empty]
        for _ in 0..<300 {
            var rows: [[CellValue]] = []
            for _ in 0..<Int(rng.next() % 6) {
                rows.append((0..<Int(rng.next() % 5)).map { _ in values[Int(rng.next() % UInt64(values.count))] })
            }
            let grid = Grid(name: "s", values: rows)
            for _ in 0..<20 {
                let ref = CellRef(row: UInt32(rng.next() % 7), col: UInt16(rng.next() % 6))
                let value = values[Int(rng.next() % UInt64(values.count))]
                let u = CellUpdate(ref: ref, value: value, formula: rng.next() % 5 == 0 ? "SUM(A1)" : nil)
                #expect(ScoreFill.isUnchanged(u, in: grid) == PipelineFastPathTests.isUnchangedByCopies(u, in: grid), "\(ref) \(value)")
            }
        }
    }

    @Test func jsonStringShortcutAgreesWithEscaping() {
        var rng = SeededRNG(seed: 14)
        let pieces = ["a", "附件", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{7F}", "é", "😀", " ", "/", "\u{2028}"]
        for _ in 0..<5_000 {
            let text = PipelineFastPathTests.random(&rng, pieces, max: 6)
            var a: [UInt8] = [1, 2]
            var b: [UInt8] = [1, 2]
            JSONLine.appendString(text, to: &a)
            JSONLine.appendEscaped(text, to: &b)
            #expect(a == b, "\(text.debugDescription)")
        }
    }

    /// The batch reads its inputs as FileManager does: whole files, empty ones, files whose size stat does not
    /// tell (/proc), nil for a folder or a missing file.
    @Test func readFileAgreesWithFileManager() throws {
        let dir = try Fixtures.tempDirectory("readfile")
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRNG(seed: 15)
        var paths = [dir.path, dir.path + "/missing", "/proc/self/status"]
        for (i, size) in [0, 1, 100, 16_384, 16_385, 70_000].enumerated() {
            let p = dir.path + "/f\(i)"
            try Data((0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: URL(fileURLWithPath: p))
            paths.append(p)
        }
        for p in paths {
            let a = BatchRunner.readFile(p)
            let b = FileManager.default.contents(atPath: p).map { [UInt8]($0) }
            if p.hasPrefix("/proc") {
                #expect(a != nil && !a!.isEmpty)
            } else {
                #expect(a == b, "\(p)")
            }
        }
    }

    @Test func sanitiseShortcutAgreesWithTheGeneralPath() {
        var rng = SeededRNG(seed: 12)
        let pieces = [".", "a", "绩效", "/", "\\", ":", "\t", "\u{202E}", "\u{FEFF}", "e\u{301}", " ", "-2", "\u{85}"]
        for _ in 0..<20_000 {
            let name = PipelineFastPathTests.random(&rng, pieces, max: 8)
            let limit = Int(rng.next() % 12) + 1
            #expect(BatchInputs.sanitiseComponent(name, maxBytes: limit) == PipelineFastPathTests.sanitiseByScalars(name, maxBytes: limit),
                    "\(name.debugDescription) \(limit)")
        }
    }
}
