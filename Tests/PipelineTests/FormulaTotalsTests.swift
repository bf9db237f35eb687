import Foundation
import IndicatorModel
import SheetCore
import Testing
import TestSupport
@testable import Pipeline

/// Totals saved as uncalculated `=SUM(…)` (xlsxwriter stores 0 until Excel or WPS recalculates) are read as the
/// spreadsheet shows them: no false total findings; a SUM over the wrong rows is still found, with the value
/// Excel shows. `dump` keeps the file's own values.
@Suite struct FormulaTotalsTests {
    @Test func uncalculatedTotalsAreReadAsShown() throws {
        let rightPath = Fixtures.url("formulas/uncalculated_totals.xlsx").path
        let right = try Normaliser.frameworks(in: loadWorkbook(path: rightPath), sheet: nil)
        #expect(right.totals.statedWeight == 100 && right.totals.statedScore == 91.5)
        #expect(Validator.validate(right).filter { $0.severity == .error }.isEmpty, "\(Validator.validate(right))")

        let wrongPath = Fixtures.url("formulas/wrong_sum_range.xlsx").path
        let wrong = try Normaliser.frameworks(in: loadWorkbook(path: wrongPath), sheet: nil)
        #expect(wrong.totals.statedScore == 55.5)
        let total = try #require(Validator.validate(wrong).first { $0.rule == "total-score" })
        #expect(total.location?.cell == CellRef(a1: "E7"))

        // The reader still gives the file's values.
        let wb = try loadWorkbook(path: rightPath)
        let cell = try #require(wb.sheets[0].cell(at: CellRef(a1: "E7")!))
        #expect(cell.value == .number(0) && cell.formula == "SUM(E2:E6)")

        #expect(try runJixiao(["check", rightPath]).status == 0)
        #expect(try runJixiao(["check", wrongPath]).status == 1)
    }

    /// Filling such a table leaves the formulas and writes the values they give as their cached results, so a
    /// program that does not recalculate shows the right totals too.
    @Test func fillWritesTheValuesTheFormulasGive() throws {
        let dir = try Fixtures.tempDirectory("formula-fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = Fixtures.url("formulas/uncalculated_totals.xlsx").path
        let out = dir.appendingPathComponent("out.xlsx").path
        let wb = try loadWorkbook(path: src)
        var f = try Normaliser.frameworks(in: wb, sheet: nil)
        RollUp.apply(&f)
        try fillScores(framework: f, findings: [], source: src, output: out, formulas: false, findingsSheet: false)
        let back = try loadWorkbook(path: out).sheets[0]
        let e7 = try #require(back.cell(at: CellRef(a1: "E7")!))
        #expect(e7.value == .number(91.5) && e7.formula == "SUM(E2:E6)")
    }
}
