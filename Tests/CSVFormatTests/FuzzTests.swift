import Testing
import Foundation
import SheetCore
@testable import CSVFormat
import TestSupport

/// Hostile input: random bytes built from the characters that matter to the parser and the decoders. Reading
/// must return a grid or throw a located `JixiaoError`, never crash, in every encoding, whole or streamed.
@Suite struct FuzzTests {
    static let alphabet: [[UInt8]] = [
        [0x22], [0x2C], [0x3B], [0x09], [0x0D], [0x0A], [0x0D, 0x0A], [0x20], [0x00], Array("12".utf8),
        Array("-3.5e2".utf8), Array("中".utf8), [0xE4], [0xB8], [0xFF], [0xFE], [0xD2, 0xBB], [0x81, 0x30, 0x81, 0x30],
        [0xEF, 0xBB, 0xBF], [0x00, 0xD8], [0x00, 0xDC], Array("a".utf8),
    ]

    @Test func randomBytesNeverCrash() throws {
        var rng = SeededRNG(seed: 0xF022)
        var limits = ReadLimits()
        limits.maxCSVField = 40
        limits.maxCSVLine = 120
        let dir = try Fixtures.tempDirectory("csvfuzz")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f.csv")
        var outcomes: [String: Int] = [:]
        for iteration in 0..<300 {
            var data: [UInt8] = []
            for _ in 0..<Int.random(in: 0...60, using: &rng) { data += Self.alphabet.randomElement(using: &rng)! }
            let encoding: CSVEncoding? = Bool.random(using: &rng) ? nil : CSVEncoding.allCases.randomElement(using: &rng)
            let options = CSVOptions(encoding: encoding, limits: Bool.random(using: &rng) ? limits : .default)
            let whole = Result { try CSVReader.read(bytes: data, name: "f.csv", options: options) }
            try Data(data).write(to: file)
            var streamed: [Row] = []
            let stream = Result {
                try CSVReader.forEachRow(path: file.path, options: options, chunkSize: Int.random(in: 1...9, using: &rng)) {
                    streamed.append($0)
                }
            }
            switch (whole, stream) {
            case (.success(let g), .success):
                #expect(g.rows == streamed, "iteration \(iteration)")
                outcomes["ok", default: 0] += 1
            case (.failure(let a), .failure(let b)):
                let ea = a as? JixiaoError, eb = b as? JixiaoError
                #expect(ea != nil && eb != nil, "iteration \(iteration): \(a) / \(b)")
                #expect(ea?.kind == eb?.kind, "iteration \(iteration): \(a) / \(b)")
                #expect(ea?.location?.line != nil, "iteration \(iteration): \(a)")
                #expect(ea?.location?.line == eb?.location?.line, "iteration \(iteration): \(a) / \(b)")
                outcomes[ea?.kind.rawValue ?? "?", default: 0] += 1
            default:
                Issue.record("iteration \(iteration): whole \(whole) vs streamed \(stream)")
            }
        }
        // The generator reaches successes and each kind of failure.
        #expect(outcomes["ok", default: 0] > 20)
        #expect(outcomes["invalid-value", default: 0] > 20)
        #expect(outcomes["corrupt", default: 0] > 2)
        #expect(outcomes["limit-exceeded", default: 0] > 2)
    }
}
