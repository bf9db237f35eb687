import Foundation
import Testing
import SheetCore
import TestSupport
@testable import XLSXFormat

typealias SeededRandom = SeededRNG

/// Random workbooks for write → read round trips.
enum RandomWorkbook {
    static let texts = [
        "项目决策（20%）", "A111.与部门中长期规划目标匹配性", "①满意度≥90%得10分；\n②90%＞满意度≥80%得8分", " 前导空格",
        "尾随空格 ", "\t制表符", "two\nlines\n", "a\r\nb", "_x0041_", "_x005F_", "x_xABCD_y", "_xyz", "<tag> & \"quotes\" 'apos'",
        "控制\u{1}字符\u{1F}", "😀 emoji 𠀀", "=SUM(A1)", "007", "1e5", "TRUE", "#N/A text", "   ", "\u{FFFE}", "Ω≈ç√",
    ]
    static let sheetNames = ["附件1", "Sheet 2", "O'Neil", "数据（原始）", "x", "评分表-2026", "空"]

    static func value(_ rng: inout SeededRandom) -> CellValue {
        switch Int.random(in: 0..<14, using: &rng) {
        case 0: return .number(Double(Int.random(in: -1000...1000, using: &rng)))
        case 1: return .number(Double.random(in: -1e6...1e6, using: &rng))
        case 2: return .number([1e300, -1e-300, 9_007_199_254_740_992, 0.1, 1.0 / 3.0, -0.0, 123_456_789.123456789,
                                Double.leastNonzeroMagnitude, 2.5e-7][Int.random(in: 0..<9, using: &rng)])
        case 3, 4, 5: return .string(texts[Int.random(in: 0..<texts.count, using: &rng)])
        case 6: return .string(String((0..<Int.random(in: 1...40, using: &rng)).map { _ in
            Character(Unicode.Scalar(UInt32.random(in: 0x4E00...0x9FA5, using: &rng))!) }))
        case 7: return .bool(Bool.random(using: &rng))
        case 8: return .date(ExcelDate(serial: Double(Int.random(in: 1...80_000, using: &rng))))
        case 9: return .date(ExcelDate(serial: Double(Int.random(in: 61...80_000, using: &rng)) + Double(Int.random(in: 1..<86_400, using: &rng)) / 86_400))
        case 10: return .date(ExcelDate(serial: Double(Int.random(in: 1..<86_400, using: &rng)) / 86_400))
        case 11: return .date(ExcelDate(serial: Double(Int.random(in: 1...500_000, using: &rng)) / 3600, isDuration: true))
        case 12: return .error(["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"][Int.random(in: 0..<7, using: &rng)])
        default: return .number(Double(Int.random(in: 0...100, using: &rng)) / 4)
        }
    }

    static func grid(_ rng: inout SeededRandom, name: String) -> Grid {
        var rows: [Row] = []
        var r: UInt32 = UInt32.random(in: 0...3, using: &rng)
        let rowCount = Int.random(in: 0...40, using: &rng)
        for _ in 0..<rowCount {
            var cells: [Cell] = []
            var c: UInt16 = UInt16.random(in: 0...2, using: &rng)
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                var cell = Cell(col: c, value: value(&rng))
                // Formulas with their true cached values (LibreOffice recalculates them on load).
                switch Int.random(in: 0..<16, using: &rng) {
                case 0: cell.formula = "2*3.5"; cell.value = .number(7)
                case 1: cell.formula = "TRIM(\" 指标 a \")"; cell.value = .string("指标 a")
                case 2: cell.formula = "1>2"; cell.value = .bool(false)
                case 3: cell.formula = "1/0"; cell.value = .error("#DIV/0!")
                default: break
                }
                if cell.value.isEmpty && cell.formula == nil { cell.value = .number(1) }
                cells.append(cell)
                c += UInt16.random(in: 1...3, using: &rng)
                if Int.random(in: 0..<40, using: &rng) == 0 { c += UInt16.random(in: 20...800, using: &rng) }  // AA…, AAA…
            }
            if !cells.isEmpty { rows.append(Row(index: r, cells: cells)) }
            r += UInt32.random(in: 1...3, using: &rng)
            if Int.random(in: 0..<60, using: &rng) == 0 { r += UInt32.random(in: 100...100_000, using: &rng) }
        }
        // Non-overlapping merges.
        var merged: [CellRange] = []
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            let a = CellRef(row: UInt32.random(in: 0...60, using: &rng), col: UInt16.random(in: 0...20, using: &rng))
            let b = CellRef(row: a.row + UInt32.random(in: 0...4, using: &rng), col: a.col + UInt16.random(in: 0...3, using: &rng))
            let m = CellRange(first: a, last: b)
            guard a != b, !merged.contains(where: { $0.first.row <= m.last.row && m.first.row <= $0.last.row
                && $0.first.col <= m.last.col && m.first.col <= $0.last.col }) else { continue }
            merged.append(m)
        }
        return Grid(info: SheetInfo(name: name), rows: rows, merged: merged.sorted())
    }

    static func workbook(seed: UInt64) -> Workbook {
        var rng = SeededRandom(seed: seed)
        let count = Int.random(in: 1...3, using: &rng)
        var names = sheetNames
        names.shuffle(using: &rng)
        var sheets: [Grid] = []
        for i in 0..<count {
            var g = grid(&rng, name: names[i])
            if i > 0, Int.random(in: 0..<3, using: &rng) == 0 { g.info.visibility = .hidden }
            sheets.append(g)
        }
        return Workbook(file: "random-\(seed).xlsx", sheets: sheets)
    }
}

/// Where written workbooks are kept for scripts/check-with-libreoffice.
enum WrittenWorkbooks {
    static let folder = Fixtures.repoRoot.appendingPathComponent(".build/written-workbooks")

    static func keep(_ bytes: [UInt8], as name: String) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(bytes).write(to: folder.appendingPathComponent(name))
    }
}

func writeWorkbook(_ wb: Workbook, strings: XLSXStringStorage = .shared, level: Int32 = 6) throws -> [UInt8] {
    let w = XLSXWriter(options: XLSXWriterOptions(compressionLevel: level, date1904: wb.date1904), displayName: wb.file)
    for g in wb.sheets { try w.addSheet(g, strings: strings) }
    return try w.finish()
}

@Suite("XLSXWriter round trips")
struct WriterRoundTripTests {
    /// The value a reader gives back for a written value.
    static func expected(_ v: CellValue) -> CellValue {
        switch v {
        case .number(let d) where !d.isFinite: return .error("#NUM!")
        case .number(let d) where d == 0: return .number(0)
        default: return v
        }
    }

    static func compare(_ written: Workbook, _ read: Workbook, seed: UInt64) {
        #expect(read.sheets.map(\.info) == written.sheets.map(\.info), "seed \(seed)")
        for (w, r) in zip(written.sheets, read.sheets) {
            #expect(r.merged == w.merged, "seed \(seed) sheet \(w.name)")
            #expect(r.rows.map(\.index) == w.rows.map(\.index), "seed \(seed) sheet \(w.name)")
            for (wr, rr) in zip(w.rows, r.rows) {
                #expect(rr.cells.map(\.col) == wr.cells.map(\.col), "seed \(seed) \(w.name) row \(wr.index + 1)")
                for (wc, rc) in zip(wr.cells, rr.cells) {
                    let at = "seed \(seed) \(w.name)!\(CellRef(row: wr.index, col: wc.col).a1)"
                    #expect(rc.value == expected(wc.value), "\(at)")
                    #expect(rc.formula == wc.formula, "\(at)")
                }
            }
        }
    }

    @Test(arguments: 0..<40)
    func randomWorkbooksReadBackEqual(seed: UInt64) throws {
        let wb = RandomWorkbook.workbook(seed: seed)
        for strings in [XLSXStringStorage.shared, .inline] {
            let bytes = try writeWorkbook(wb, strings: strings)
            if seed < 4 { WrittenWorkbooks.keep(bytes, as: "random-\(seed)-\(strings.rawValue).xlsx") }
            let read = try XLSXReader(bytes: bytes, name: wb.file).readWorkbook()
            Self.compare(wb, read, seed: seed)
        }
    }

    @Test func date1904WorkbooksKeepTheirSerials() throws {
        var wb = Workbook(file: "d1904.xlsx", sheets: [Grid(name: "S", values: [
            [.date(ExcelDate(serial: 100, epoch1904: true)), .date(ExcelDate(serial: 40000.25, epoch1904: true))],
        ])], date1904: true)
        let read = try XLSXReader(bytes: try writeWorkbook(wb), name: wb.file).readWorkbook()
        #expect(read.date1904)
        Self.compare(wb, read, seed: 0)
        // A 1900-system date written into a 1904 workbook is converted, so it shows the same day.
        wb.sheets = [Grid(name: "S", values: [[.date(ExcelDate(serial: 45000))]])]
        let again = try XLSXReader(bytes: try writeWorkbook(wb), name: wb.file).readWorkbook()
        if case .date(let d) = again.sheets[0][0, 0] {
            #expect(d.serial == 45000 - 1462)
            #expect(d.isoString == ExcelDate(serial: 45000).isoString)
        } else {
            Issue.record("not a date: \(again.sheets[0][0, 0])")
        }
    }

    @Test func goldenGridsOfTheSeedTablesRoundTrip() throws {
        for name in ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"] {
            let golden = try GridJSON.golden(name)
            let bytes = try writeWorkbook(golden)
            WrittenWorkbooks.keep(bytes, as: "copy-\(name)")
            let read = try XLSXReader(bytes: bytes, name: name).readWorkbook()
            Self.compare(golden, read, seed: 0)
        }
    }

    @Test func sameInputSameBytes() throws {
        for seed: UInt64 in [1, 2, 3] {
            let wb = RandomWorkbook.workbook(seed: seed)
            let a = try writeWorkbook(wb)
            let b = try writeWorkbook(wb)
            #expect(a == b, "seed \(seed)")
            #expect(a.count > 500)
            let c = try writeWorkbook(wb, strings: .inline, level: 1)
            #expect(c == (try writeWorkbook(wb, strings: .inline, level: 1)))
        }
    }

    /// Local headers, central directory and end record only: no ZIP64 records or extra fields.
    @Test func noZIP64InTheOutput() throws {
        let bytes = try writeWorkbook(RandomWorkbook.workbook(seed: 7))
        var zip64 = 0, locals = 0, centrals = 0, ends = 0
        var i = 0
        while i + 4 <= bytes.count {
            let sig = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            switch sig {
            case 0x0606_4B50, 0x0706_4B50: zip64 += 1
            case 0x0403_4B50: locals += 1
            case 0x0201_4B50:
                centrals += 1
                // Extra-field length of the central directory entry must be 0.
                #expect(bytes[i + 30] == 0 && bytes[i + 31] == 0)
                // Version needed to extract: 2.0, not 4.5 (ZIP64).
                #expect(bytes[i + 6] == 20)
            case 0x0605_4B50: ends += 1
            default: break
            }
            i += 1
        }
        #expect(zip64 == 0)
        #expect(ends == 1)
        #expect(centrals >= 8 && locals >= centrals)
    }

    @Test func streamingToAFileMatchesInMemory() throws {
        let wb = RandomWorkbook.workbook(seed: 11)
        let memory = try writeWorkbook(wb)
        let dir = try Fixtures.tempDirectory("writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.xlsx").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = FileHandle(forWritingAtPath: path)!
        let w = XLSXWriter(fileHandle: handle, options: XLSXWriterOptions(), displayName: wb.file)
        for g in wb.sheets { try w.addSheet(g) }
        #expect(try w.finish() == [])
        try handle.close()
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == memory)
    }

    @Test func parallelCompressionGivesTheSameBytes() throws {
        func book(parallel: Bool) throws -> [UInt8] {
            let w = XLSXWriter(options: XLSXWriterOptions(compressionLevel: 1, compressInParallel: parallel))
            try w.addSheet(SheetInfo(name: "S")) { s in
                for i in 0..<30_000 { try s.append(values: [.number(Double(i)), .string("第\(i)行")]) }
            }
            try w.addSheet(RandomWorkbook.workbook(seed: 5).sheets[0])
            return try w.finish()
        }
        #expect(try book(parallel: true) == book(parallel: false))
    }

    @Test func errorsOnEitherSideOfTheParallelPathAreReported() throws {
        // The rows' producer fails: its error comes out, nothing hangs.
        struct Stop: Error {}
        let w = XLSXWriter()
        #expect(throws: Stop.self) {
            try w.addSheet(SheetInfo(name: "S")) { s in
                for i in 0..<50_000 { try s.append(values: [.number(Double(i))]) }
                throw Stop()
            }
        }
        // The output fails (a full disk): the writer's error comes out and the producer stops.
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { return }
        let w2 = XLSXWriter(fileHandle: full, options: XLSXWriterOptions(compressionLevel: 0), displayName: "full.xlsx")
        var appended = 0
        #expect(throws: (any Error).self) {
            try w2.addSheet(SheetInfo(name: "S")) { s in
                for i in 0..<2_000_000 { try s.append(values: [.number(Double(i)), .string("填充文本填充文本")]); appended += 1 }
            }
            _ = try w2.finish()
        }
        #expect(appended < 2_000_000)
    }

    @Test func bigStreamedSheetReadsBack() throws {
        let w = XLSXWriter(options: XLSXWriterOptions(compressionLevel: 1))
        let rows = 20_000
        try w.addSheet(SheetInfo(name: "big")) { s in
            for i in 0..<rows {
                try s.append(values: [.number(Double(i)), .string("行\(i)"), .number(Double(i) / 8), .bool(i % 2 == 0)])
            }
        }
        let bytes = try w.finish()
        let reader = try XLSXReader(bytes: bytes, name: "big.xlsx")
        var count = 0
        _ = try reader.forEachRow(sheet: 0) { row in
            #expect(row.index == UInt32(count))
            if count % 997 == 0 {
                #expect(row.cells.map(\.value) == [.number(Double(count)), .string("行\(count)"), .number(Double(count) / 8),
                                                   .bool(count % 2 == 0)])
            }
            count += 1
        }
        #expect(count == rows)
    }
}
