import Foundation
import SheetCore
import Testing
import TestSupport
@testable import IndicatorModel

/// Formulas saved without calculated values are read as the spreadsheet shows them.
@Suite struct FormulaValuesTests {
    /// A grid from rows of (value, formula) pairs, A1 first.
    static func grid(_ rows: [[(CellValue, String?)]]) -> Grid {
        var g = Grid(name: "t", values: [])
        g.rows = rows.enumerated().map { r, cells in
            Row(index: UInt32(r), cells: cells.enumerated().compactMap { c, cell in
                cell.0 == .empty && cell.1 == nil ? nil : Cell(col: UInt16(c), value: cell.0, formula: cell.1)
            })
        }
        return g
    }

    static let n = { (d: Double) -> (CellValue, String?) in (.number(d), nil) }
    static let t = { (s: String) -> (CellValue, String?) in (.string(s), nil) }
    static let f = { (s: String) -> (CellValue, String?) in (.number(0), s) }  // uncalculated: cached 0
    static let e: (CellValue, String?) = (.empty, nil)

    @Test func evaluatesSumsReferencesAndArithmetic() {
        let g = Self.grid([
            [Self.n(2), Self.n(3), Self.t("x"), Self.e],
            [Self.n(5), Self.n(0.5), Self.t("10分"), Self.f("SUM(A1:B2)")],
            [Self.f("A1+B1*2"), Self.f("SUM(A1:A2,B2, 4)"), Self.f("D2/2"), Self.f("ROUND(B2*3,0)")],
        ])
        let cases: [(String, Double?)] = [
            ("SUM(A1:B2)", 10.5), ("=sum(a1:b2)", 10.5), ("SUM($A$1:$B$2)", 10.5), ("SUM(B2:A1)", 10.5),
            ("A1+B1*2", 8), ("(A1+B1)*2", 10), ("-A1+10", 8), ("A1-B1-1", -2), ("SUM(A1:A2,B2, 4)", 11.5),
            ("SUM()", 0), ("SUM(A1:D2)", 21), // text and the evaluated D2 (10.5) count as in Excel
            ("D2/2", 5.25), ("A3+B3", 19.5), ("ROUND(B2*3,0)", 2), ("ROUND(2.5,0)", 3), ("ROUND(-2.5,0)", -3),
            ("ROUND(1234,-2)", 1200), ("1E2+1", 101), (" SUM( A1 , B1 ) ", 5), ("C4+1", 1),  // empty cell: 0
            // Not read: the file's value stands.
            ("C1+1", nil), ("C2*2", nil), ("A1/0", nil), ("AVERAGE(A1:B1)", nil), ("Sheet2!A1", nil),
            ("'附件2'!A1+1", nil), ("A1:B2", nil), ("SUM(A:A)", nil), ("TRUE", nil), ("A1&\"分\"", nil), ("名称", nil),
            ("SUM(A1:B1", nil), ("A1B2", nil), ("LOG10(A1)", nil), ("", nil),
        ]
        for (formula, expected) in cases {
            #expect(FormulaValues.evaluate(formula, in: g) == expected, "\(formula)")
        }
    }

    @Test func resolvedGridHoldsTheValuesAndLoopsKeepTheirs() {
        let g = Self.grid([
            [Self.n(1), Self.n(2), Self.f("SUM(A1:B1)")],
            [Self.f("C1*10"), Self.f("B2+1"), (.number(7), "A3"), ],
            [Self.f("C2"), Self.e, (.number(9), "AVERAGE(A1:B1)")],
        ])
        let r = FormulaValues.resolved(g)
        #expect(r[CellRef(a1: "C1")!] == .number(3))
        #expect(r[CellRef(a1: "A2")!] == .number(30))
        #expect(r[CellRef(a1: "B2")!] == .number(0), "a loop keeps the saved value")
        #expect(r[CellRef(a1: "C2")!] == .number(7), "C2 = A3 = C2: a loop")
        #expect(r[CellRef(a1: "C3")!] == .number(9), "an unread function keeps the saved value")
        #expect(r.cell(at: CellRef(a1: "C1")!)?.formula == "SUM(A1:B1)", "the formula stays")
        // No formula: the same grid.
        let plain = Self.grid([[Self.n(1), Self.t("a")]])
        #expect(FormulaValues.resolved(plain) == plain)
    }

    /// A deep chain of formulas is cut off (nil) rather than recursing without end.
    @Test func longChainsAreBounded() {
        var rows: [[(CellValue, String?)]] = [[Self.n(1)]]
        for r in 1..<200 { rows.append([Self.f("A\(r)+1")]) }
        let r = FormulaValues.resolved(Self.grid(rows))
        #expect(r[CellRef(row: 10, col: 0)] == .number(11))
        #expect(r[CellRef(row: 199, col: 0)] == .number(200) || r[CellRef(row: 199, col: 0)] == .number(0))
    }

    /// Thousands of formulas over large ranges cost a bounded amount of work: past the budget, formulas keep
    /// their saved values (the first ones are still evaluated).
    @Test func workIsBounded() {
        var rows: [[(CellValue, String?)]] = []
        for r in 0..<3000 {
            rows.append([Self.n(1), (.number(-1), "SUM(A1:A3000)+SUM(A1:A3000)")])
            _ = r
        }
        let r = FormulaValues.resolved(Self.grid(rows))
        #expect(r[CellRef(row: 0, col: 1)] == .number(6000))
        #expect(r[CellRef(row: 2999, col: 1)] == .number(-1), "past the budget: the saved value")
    }
}
