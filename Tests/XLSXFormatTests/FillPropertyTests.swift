import SheetCore
import Testing
import TestSupport
@testable import XLSXFormat

/// Seeded property test: random worksheets (prefixed or not, rows and cells with and without `r`, numbers,
/// inline strings, booleans, formulas, styles) patched with random updates, then read back with the XLSX
/// reader: the updated cells hold the new values (and formulas), every other cell is unchanged.
@Suite struct FillPropertyTests {
    typealias SplitMix64 = SeededRNG

    static func package(_ sheet: [UInt8]) -> [String: [UInt8]] {
        [
            "[Content_Types].xml": Array(#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.utf8),
            "_rels/.rels": Array(#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8),
            "xl/workbook.xml": Array(#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.utf8),
            "xl/_rels/workbook.xml.rels": Array(#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8),
            "xl/worksheets/sheet1.xml": sheet,
        ]
    }

    static func read(_ sheet: [UInt8]) throws -> Grid {
        try XLSXReader(parts: package(sheet)).readGrid(sheet: 0)
    }

    static func randomValue(_ rng: inout SplitMix64) -> CellValue {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return .number(Double(Int.random(in: -500...500, using: &rng)) / 4)
        case 1: return .string(["分", "A&B", "<x>", " 前后空格 ", "99分", "\"q\"", "多\n行"].randomElement(using: &rng)!)
        case 2: return .bool(Bool.random(using: &rng))
        default: return .number(Double(Int.random(in: 0...100, using: &rng)))
        }
    }

    static func randomSheet(_ rng: inout SplitMix64) -> [UInt8] {
        let p = Bool.random(using: &rng) ? "x:" : ""
        var s = "<\(p)worksheet xmlns\(p.isEmpty ? "" : ":x")=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><\(p)sheetData>"
        var lastRow = 0
        for r in 1...30 where Int.random(in: 0..<3, using: &rng) > 0 {
            let implicitRow = r == lastRow + 1 && Bool.random(using: &rng)
            s += implicitRow ? "<\(p)row>" : "<\(p)row r=\"\(r)\">"
            lastRow = r
            var lastCol = -1
            for c in 0..<10 where Bool.random(using: &rng) {
                let ref = CellRef(row: UInt32(r - 1), col: UInt16(c)).a1
                let implicitCol = c == lastCol + 1 && Int.random(in: 0..<4, using: &rng) == 0
                lastCol = c
                let rAttr = implicitCol ? "" : " r=\"\(ref)\""
                let style = Bool.random(using: &rng) ? " s=\"\(Int.random(in: 1...5, using: &rng))\"" : ""
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: s += "<\(p)c\(rAttr)\(style)><\(p)v>\(Int.random(in: 0...99, using: &rng))</\(p)v></\(p)c>"
                case 1: s += "<\(p)c\(rAttr)\(style) t=\"inlineStr\"><\(p)is><\(p)t>t\(r)_\(c)</\(p)t></\(p)is></\(p)c>"
                case 2: s += "<\(p)c\(rAttr)\(style) t=\"b\"><\(p)v>1</\(p)v></\(p)c>"
                case 3: s += "<\(p)c\(rAttr)\(style)><\(p)f>SUM(A1:A\(r))</\(p)f><\(p)v>\(r)</\(p)v></\(p)c>"
                default: s += "<\(p)c\(rAttr)\(style)/>"
                }
            }
            s += "</\(p)row>"
        }
        s += "</\(p)sheetData></\(p)worksheet>"
        return Array(s.utf8)
    }

    /// A sheet out of order, as some writers leave it and the reader accepts: rows shuffled, cells of a row
    /// shuffled, some cells repeated (the later wins) or written inside another row's element.
    static func randomIrregularSheet(_ rng: inout SplitMix64) -> [UInt8] {
        let p = Bool.random(using: &rng) ? "x:" : ""
        var rows: [(r: Int, cells: [String])] = []
        for r in 1...20 where Int.random(in: 0..<3, using: &rng) > 0 {
            var cells: [String] = []
            for c in 0..<8 where Bool.random(using: &rng) {
                let ref = CellRef(row: UInt32(r - 1), col: UInt16(c)).a1
                let style = Bool.random(using: &rng) ? " s=\"\(Int.random(in: 1...5, using: &rng))\"" : ""
                for _ in 0..<(Int.random(in: 0..<6, using: &rng) == 0 ? 2 : 1) {
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: cells.append("<\(p)c r=\"\(ref)\"\(style)><\(p)v>\(Int.random(in: 0...99, using: &rng))</\(p)v></\(p)c>")
                    case 1: cells.append("<\(p)c r=\"\(ref)\"\(style) t=\"inlineStr\"><\(p)is><\(p)t>t\(r)_\(c)</\(p)t></\(p)is></\(p)c>")
                    case 2: cells.append("<\(p)c r=\"\(ref)\"\(style)><\(p)f>SUM(A1:A\(r))</\(p)f><\(p)v>\(r)</\(p)v></\(p)c>")
                    default: cells.append("<\(p)c r=\"\(ref)\"\(style)/>")
                    }
                }
            }
            if Int.random(in: 0..<3, using: &rng) == 0 { cells.shuffle(using: &rng) }
            rows.append((r, cells))
        }
        // A few cells moved into another row's element.
        for _ in 0..<Int.random(in: 0...2, using: &rng) where rows.count > 1 {
            let from = Int.random(in: 0..<rows.count, using: &rng), to = Int.random(in: 0..<rows.count, using: &rng)
            if from != to, let cell = rows[from].cells.popLast() { rows[to].cells.append(cell) }
        }
        rows.shuffle(using: &rng)
        if let repeated = rows.first, Bool.random(using: &rng) { rows.append((repeated.r, [])) }
        var s = "<\(p)worksheet xmlns\(p.isEmpty ? "" : ":x")=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><\(p)sheetData>"
        for row in rows {
            s += row.cells.isEmpty ? "<\(p)row r=\"\(row.r)\"/>" : "<\(p)row r=\"\(row.r)\">" + row.cells.joined() + "</\(p)row>"
        }
        s += "</\(p)sheetData></\(p)worksheet>"
        return Array(s.utf8)
    }

    @Test func randomSheetsAndUpdates() throws {
        try check(seeds: UInt64(1)...150, sheet: Self.randomSheet)
    }

    @Test func randomSheetsOutOfOrderAndUpdates() throws {
        try check(seeds: UInt64(1001)...1150, sheet: Self.randomIrregularSheet)
    }

    func check(seeds: ClosedRange<UInt64>, sheet make: (inout SplitMix64) -> [UInt8]) throws {
        for seed in seeds {
            var rng = SplitMix64(state: seed)
            let sheet = make(&rng)
            var updates: [CellUpdate] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let ref = CellRef(row: UInt32.random(in: 0...33, using: &rng), col: UInt16.random(in: 0...11, using: &rng))
                let formula = Int.random(in: 0..<5, using: &rng) == 0 ? "SUM(B1:B3)" : nil
                updates.append(CellUpdate(ref: ref, value: Self.randomValue(&rng), formula: formula))
            }
            let before = try Self.read(sheet)
            let result = try FillSheetPatcher.patch(sheet, part: "xl/worksheets/sheet1.xml", updates: updates)
            let after: Grid
            do { after = try Self.read(result.bytes) } catch {
                Issue.record("seed \(seed): the patched sheet does not read: \(error)\n\(String(decoding: result.bytes, as: UTF8.self))")
                continue
            }
            var expected = before
            var last: [CellRef: CellUpdate] = [:]
            for u in updates { last[u.ref] = u }
            // An empty styled cell (`<c r="B2" s="3"/>`) is not in the read grid: its style is not known here.
            var styleUnknown = Set<CellRef>()
            for u in last.values {
                let old = before.cell(at: u.ref)
                if old == nil { styleUnknown.insert(u.ref) }
                expected.set(u.ref, u.value, formula: .some(u.formula ?? old?.formula), style: old?.style ?? 0)
            }
            for row in expected.rows {
                for c in row.cells {
                    let ref = CellRef(row: row.index, col: c.col)
                    let got = after.cell(at: ref)
                    #expect(got?.value ?? .empty == c.value, "seed \(seed) \(ref.a1)")
                    #expect(got?.formula == c.formula, "seed \(seed) \(ref.a1) formula")
                    if !styleUnknown.contains(ref) {
                        #expect(got?.style ?? 0 == c.style, "seed \(seed) \(ref.a1) style")
                    }
                }
            }
            let cellCount = { (g: Grid) in g.rows.reduce(0) { $0 + $1.cells.count } }
            #expect(cellCount(after) == cellCount(expected), "seed \(seed): no cells lost or invented")
        }
    }
}
