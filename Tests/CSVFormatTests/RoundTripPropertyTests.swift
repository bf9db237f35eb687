import Testing
import Foundation
import SheetCore
@testable import CSVFormat
import TestSupport

/// Seeded property test: random grids (CJK, quotes, delimiters, line breaks, spaces, numbers) written and read
/// back are equal, value for value.
@Suite struct RoundTripPropertyTests {
    struct Setup: CustomStringConvertible, Sendable {
        var encoding: CSVEncoding
        var delimiter: UInt8
        var description: String { "\(encoding.rawValue) delimiter \(delimiter)" }
    }

    static let setups = [
        Setup(encoding: .utf8BOM, delimiter: UInt8(ascii: ",")),
        Setup(encoding: .gb18030, delimiter: UInt8(ascii: ",")),
        Setup(encoding: .utf8, delimiter: UInt8(ascii: "\t")),
        Setup(encoding: .utf16le, delimiter: UInt8(ascii: "\t")),
        Setup(encoding: .utf8BOM, delimiter: UInt8(ascii: ";")),
    ]

    static let pieces: [String] = [
        "一级指标", "得分", "（12分）", "\u{3000}", "，", "。", "a", "Z", "x y", " ", "\"", "\"\"", ",", ";", "\t",
        "\n", "\r", "\r\n", "%", "1", "007", "+", "-", ".", "e", "😀", "𠀀", "€", "①", "=SUM(A1)", "A1.项目立项（8%）",
    ]

    static func randomString(_ rng: inout SeededRNG) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 1...6, using: &rng) { s += pieces.randomElement(using: &rng)! }
        // Text that reads as a number would come back as one (as in Excel): keep it text by a prefix.
        if NumberInference.number(s) != nil { s = "#" + s }
        return s
    }

    static func randomNumber(_ rng: inout SeededRNG) -> Double {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Double(Int.random(in: -100...100, using: &rng))
        case 1: return Double(Int.random(in: 0...1000, using: &rng)) / 8
        case 2: return Double.random(in: -1e6...1e6, using: &rng)
        default: return Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)
        }
    }

    static func randomGrid(_ rng: inout SeededRNG) -> Grid {
        let rows = Int.random(in: 1...12, using: &rng)
        let cols = Int.random(in: 1...8, using: &rng)
        var values: [[CellValue]] = []
        for _ in 0..<rows {
            var row: [CellValue] = []
            for _ in 0..<cols {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0...1: row.append(.empty)
                case 2...3: row.append(.number(randomNumber(&rng)))
                default: row.append(.string(randomString(&rng)))
                }
            }
            values.append(row)
        }
        return Grid(name: "random", values: values)
    }

    @Test(arguments: setups)
    func writeThenReadIsIdentity(_ setup: Setup) throws {
        var rng = SeededRNG(seed: 0x5EED_0000 + UInt64(setup.delimiter) + UInt64(setup.encoding.rawValue.count))
        let writer = CSVWriter(encoding: setup.encoding, delimiter: setup.delimiter)
        for iteration in 0..<300 {
            let grid = Self.randomGrid(&rng)
            let out = try writer.write(grid)
            // Explicit options and detection must both give the grid back.
            let explicit = try CSVReader.read(bytes: out, name: "random.csv",
                                              options: CSVOptions(encoding: setup.encoding, delimiter: setup.delimiter))
            let diffs = differences(explicit, grid)
            #expect(diffs == [], "iteration \(iteration): \(diffs)")
            if !diffs.isEmpty { break }
            #expect(explicit.rows == grid.rows)
        }
    }

    @Test func detectionFindsWhatTheWriterUsed() throws {
        // Detection needs some evidence: grids of at least three full-width rows.
        var rng = SeededRNG(seed: 42)
        for setup in Self.setups {
            let writer = CSVWriter(encoding: setup.encoding, delimiter: setup.delimiter)
            for _ in 0..<50 {
                var values: [[CellValue]] = []
                for _ in 0..<5 { values.append((0..<4).map { _ in .string("指标" + Self.randomString(&rng)) }) }
                let grid = Grid(name: "random", values: values)
                let out = try writer.write(grid)
                let detected = try CSVReader.read(bytes: out, name: "random.csv")
                #expect(differences(detected, grid) == [], "\(setup)")
            }
        }
    }
}
