import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// Whatever the grid, the normaliser either returns a framework or throws `JixiaoError`; it never crashes,
/// and validation and both reports run on whatever it returns.
struct RobustnessTests {
    /// A small deterministic generator (SplitMix64).
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let words: [CellValue] = [
        "一级指标", "二级指标", "三级指标", "四级指标", "分值", "得分", "评分标准", "合计", "A.决策（20%）", "A1目标（5分）",
        "A11", "B232财务", "（", "（20%", "得满分，得满分", "0-", "权重", "１００分", "\u{3000}", "注：", "", "C",
    ].map { CellValue.string($0) } + [.number(1), .number(-3), .number(1e300), .number(.nan), .bool(true), .error("#N/A")]

    @Test func randomGridsNeverCrash() throws {
        var rng = RNG(state: 20_261_127)
        var tables = 0
        for _ in 0..<400 {
            let rows = 1 + rng.int(12), cols = 1 + rng.int(8)
            var values: [[CellValue]] = []
            for r in 0..<rows {
                values.append((0..<cols).map { c in
                    // Keep a header in row 1 half of the time so that tables are found.
                    if r == 1 && rng.int(2) == 0 && c < 6 {
                        return CellValue.string(["一级指标", "二级指标", "三级指标", "分值", "得分", "评分标准"][c])
                    }
                    return Self.words[rng.int(Self.words.count)]
                })
            }
            var merged: [CellRange] = []
            for _ in 0..<rng.int(4) {
                let r0 = UInt32(rng.int(rows)), c0 = UInt16(rng.int(cols))
                merged.append(CellRange(first: CellRef(row: r0, col: c0),
                                        last: CellRef(row: r0 + UInt32(rng.int(3)), col: c0 + UInt16(rng.int(2)))))
            }
            let wb = Workbook(file: "fuzz.xlsx", sheets: [Grid(name: "S", values: values, merged: merged)])
            do {
                let f = try Normaliser.frameworks(in: wb, sheet: nil)
                tables += 1
                let report = CheckReport(validating: f)
                _ = report.text()
                _ = report.jsonText()
            } catch let e as JixiaoError {
                #expect(e.kind == .noTable)
            }
        }
        #expect(tables > 20)
    }

    @Test func seedTableWithEveryMergeStretched() throws {
        // Merges that run past the 合计 row and across columns must not confuse the tree.
        var g = try GridJSON.golden("seed000_project_framework.xlsx").sheets[0]
        g.merged.append(CellRange(a1: "G30:I40")!)
        let f = try Normaliser.normalise(g, file: "x.xlsx")
        #expect(f.leaves.count == 32)
    }
}
