import Testing
import SheetCore

@Suite struct CellRefTests {
    @Test func parsesAndPrints() {
        #expect(CellRef(a1: "A1") == CellRef(row: 0, col: 0))
        #expect(CellRef(a1: "$B$23") == CellRef(row: 22, col: 1))
        #expect(CellRef(a1: "XFD1048576") == CellRef(row: CellRef.maxRow, col: CellRef.maxCol))
        #expect(CellRef(a1: "XFE1") == nil)
        #expect(CellRef(a1: "A1048577") == nil)
        #expect(CellRef(a1: "A0") == nil)
        #expect(CellRef(a1: "0") == nil)
        #expect(CellRef(row: 22, col: 5).a1 == "F23")
        #expect(CellRange(a1: "A1:XFD1048576")?.cellCount == 17_179_869_184)
    }

    @Test func roundTripsEveryColumnName() {
        for c in stride(from: 0, through: Int(CellRef.maxCol), by: 1) {
            let name = CellRef.columnName(UInt16(c))
            #expect(CellRef.columnIndex(name) == UInt16(c))
        }
    }

    @Test func datesFollowTheReferenceReader() {
        #expect(ExcelDate(serial: 1).isoString == "1900-01-01")
        #expect(ExcelDate(serial: 59).isoString == "1900-02-28")
        #expect(ExcelDate(serial: 60).isoString == "1900-02-28")
        #expect(ExcelDate(serial: 61).isoString == "1900-03-01")
        #expect(ExcelDate(serial: 45292).isoString == "2024-01-01")
        #expect(ExcelDate(serial: 45292.5).isoString == "2024-01-01T12:00:00")
        #expect(ExcelDate(serial: 0.25).isoString == "06:00:00")
        #expect(ExcelDate(serial: 0, epoch1904: true).isoString == "00:00:00")
        #expect(ExcelDate(serial: 1, epoch1904: true).isoString == "1904-01-02")
        #expect(ExcelDate.serial(year: 2024, month: 1, day: 1) == 45292)
        #expect(ExcelDate(serial: 10.63, isDuration: true).isoString == "PT918432S")
    }

    @Test func gridSetKeepsRowsSorted() {
        var g = Grid(name: "S", values: [[.string("a")]])
        g.set(CellRef(row: 5, col: 2), .number(3))
        g.set(CellRef(row: 2, col: 1), .bool(true))
        g.set(CellRef(row: 5, col: 0), .string("x"))
        #expect(g.rows.map(\.index) == [0, 2, 5])
        #expect(g.rows[2].cells.map(\.col) == [0, 2])
        #expect(g[CellRef(row: 5, col: 2)] == .number(3))
        #expect(g.usedRange == CellRange(a1: "A1:C6"))
    }
}
