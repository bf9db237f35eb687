import Foundation
import Testing
import SheetCore
import TestSupport
@testable import Pipeline

/// The manifest's hand-written JSON lines against Foundation's coder: what `jsonLine` writes decodes to the
/// same record, and an old manifest written by `JSONEncoder` still loads.
@Suite("Batch manifest lines")
struct BatchManifestLineTests {
    static func randomText(_ rng: inout SeededRNG) -> String {
        let pieces = ["部门A/子目录/", "附件1.xlsx", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "😀", "/",
                      "\u{01}", "合计：98.5 分", " ", "A1部门目标（12分）", "é"]
        return (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func randomNumber(_ rng: inout SeededRNG) -> Double? {
        switch Int.random(in: 0...5, using: &rng) {
        case 0: return nil
        case 1: return Double(Int.random(in: 0...100, using: &rng))
        case 2: return Double(Int.random(in: 0...10_000, using: &rng)) / 100
        case 3: return 100.0 / 3
        case 4: return Double.random(in: -1e20...1e20, using: &rng)
        default: return Double.random(in: 0...1e-6, using: &rng)
        }
    }

    @Test func linesDecodeToTheSameRecord() throws {
        var rng = SeededRNG(seed: 71)
        let decoder = JSONDecoder()
        for _ in 0..<2_000 {
            var r = BatchRecord(input: Self.randomText(&rng), hash: String(repeating: "ab", count: 32), options: "k",
                                output: Bool.random(using: &rng) ? Self.randomText(&rng) : nil,
                                status: [.ok, .findings, .failed].randomElement(using: &rng)!,
                                sheet: Bool.random(using: &rng) ? Self.randomText(&rng) : nil,
                                title: Bool.random(using: &rng) ? Self.randomText(&rng) : nil,
                                totalWeight: Self.randomNumber(&rng), totalScore: Self.randomNumber(&rng),
                                grade: Bool.random(using: &rng) ? "优" : nil, errors: Int.random(in: 0...9, using: &rng),
                                warnings: Int.random(in: 0...9, using: &rng),
                                message: Bool.random(using: &rng) ? Self.randomText(&rng) : nil)
            r.retry = [nil, true, false].randomElement(using: &rng)!
            let line = r.jsonLine()
            #expect(!line.contains(UInt8(ascii: "\n")))
            let back = try decoder.decode(BatchRecord.self, from: Data(line))
            #expect(back == r, "\(String(decoding: line, as: UTF8.self))")
        }
    }

    @Test func startedLinesAndOldEncoderLinesLoad() throws {
        let dir = try Fixtures.tempDirectory("manifest-lines")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = BatchRecord(input: "a/旧.xlsx", hash: "h1", options: "o", output: "a/旧.xlsx", status: .ok,
                              totalWeight: 100, totalScore: 96.5, grade: "优")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = Data(try encoder.encode(old)) + Data("\n".utf8)
        text += Data(BatchManifest.Started(started: "b/新.xlsx", hash: "h2").jsonLine()) + Data("\n".utf8)
        try text.write(to: dir.appendingPathComponent(BatchManifest.fileName))
        let m = try BatchManifest(directory: dir.path)
        #expect(m.records["a/旧.xlsx"] == old)
        #expect(m.diedOn(input: "b/新.xlsx", hash: "h2") == 1)
    }
}
