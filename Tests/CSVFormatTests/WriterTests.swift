import Testing
import Foundation
import SheetCore
import CSVFormat
import TestSupport

@Suite struct WriterTests {
    func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    @Test func quotingRules() throws {
        let w = CSVWriter(encoding: .utf8)
        let line = try w.encodeRow([
            .string("plain"), .string("a,b"), .string("say \"hi\""), .string("l1\nl2"), .string("cr\r"),
            .string(" lead"), .string("trail "), .string("\ttab"), .string("中文（12分）"), .empty, .string("a;b"),
        ])
        #expect(text(line) == "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\"cr\r\",\" lead\",\"trail \",\"\ttab\",中文（12分）,,a;b\r\n")
        let semi = try CSVWriter(encoding: .utf8, delimiter: UInt8(ascii: ";")).encodeRow([.string("a;b"), .string("a,b")])
        #expect(text(semi) == "\"a;b\";a,b\r\n")
        let sep = Grid(name: "s", values: [[.string("sep=;")], [.string("x")]])
        let out = try CSVWriter(encoding: .utf8).write(sep)
        #expect(text(out) == "\"sep=;\"\r\nx\r\n")
        #expect(try CSVReader.read(bytes: out, name: "s.csv").rows == sep.rows)
    }

    @Test func valueKinds() throws {
        let line = try CSVWriter(encoding: .utf8).encodeRow([
            .number(12), .number(-3.5), .number(0.1 + 0.2), .number(1e20), .bool(true), .bool(false),
            .date(ExcelDate(serial: 45292)), .date(ExcelDate(serial: 45292.5)), .error("#DIV/0!"),
        ])
        #expect(text(line) == "12,-3.5,0.30000000000000004,1e+20,TRUE,FALSE,2024-01-01,2024-01-01T12:00:00,#DIV/0!\r\n")
    }

    @Test func gridFromA1PaddedToTheWidestRow() throws {
        var g = Grid(info: SheetInfo(name: "s"))
        g.set(CellRef(a1: "B2")!, .string("x"))
        g.set(CellRef(a1: "D4")!, .number(1))
        let out = try CSVWriter().write(g)
        #expect(Array(out.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(text(Array(out.dropFirst(3))) == ",,,\r\n,x,,\r\n,,,\r\n,,,1\r\n")
        #expect(try CSVWriter().write(Grid(info: SheetInfo(name: "e"))) == [0xEF, 0xBB, 0xBF])
    }

    @Test func gbkCannotHoldEveryCharacter() throws {
        var g = Grid(info: SheetInfo(name: "s"))
        g.set(CellRef(a1: "A1")!, .string("一级指标"))
        g.set(CellRef(a1: "C3")!, .string("好😀"))
        let e = jixiaoError { _ = try CSVWriter(encoding: .gbk).write(g) }
        #expect(e?.kind == .invalidValue)
        #expect(e?.location?.cell == CellRef(a1: "C3"))
        #expect(e?.location?.sheet == "s")
        let dir = try Fixtures.tempDirectory("csvgbk")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.csv").path
        let onFile = jixiaoError { try CSVWriter(encoding: .gbk).write(g, toFile: path) }
        #expect(onFile?.description.hasPrefix("\(path)!s!C3: ") == true)
        #expect(e?.message.contains("😀") == true)
        // GB18030 holds it, and it reads back.
        let out = try CSVWriter(encoding: .gb18030).write(g)
        let back = try CSVReader.read(bytes: out, name: "s.csv")
        #expect(back.rows == g.rows)
        #expect(CSVReader.detect(bytes: out).encoding == .gb18030)
    }

    @Test(arguments: CSVEncoding.allCases)
    func seedTableRoundTripsInEveryEncoding(_ enc: CSVEncoding) throws {
        let golden = try #require(try GridJSON.golden("seed000_project_framework.xlsx").sheets.first)
        let delimiter = enc == .utf16le || enc == .utf16be ? UInt8(ascii: "\t") : UInt8(ascii: ",")
        let out = try CSVWriter(encoding: enc, delimiter: delimiter).write(golden)
        #expect(Array(out.prefix(enc.byteOrderMark.count)) == enc.byteOrderMark)
        let back = try CSVReader.read(bytes: out, name: "x.csv", options: CSVOptions(encoding: enc))
        #expect(differences(back, golden) == [])
        if enc != .gbk && enc != .utf8 {   // GBK bytes are detected as GB18030, BOM-less UTF-8 as .utf8
            #expect(CSVReader.detect(bytes: out) == (enc, delimiter))
        }
    }

    @Test func writesTheSameBytesAsExcelSavedForTheSeed() throws {
        // The Excel-saved fixture (UTF-8 BOM, CRLF, minimal quoting, rows padded) is reproduced byte for byte.
        let original = Array(try Fixtures.data("csv/seed000_project_framework.csv"))
        let grid = try CSVReader.read(bytes: original, name: "seed000_project_framework.csv")
        #expect(try CSVWriter().write(grid) == original)
    }

    @Test(arguments: [CSVEncoding.utf8BOM, .gb18030, .utf16le])
    func streamWriterMatchesTheWholeGridWriter(_ enc: CSVEncoding) throws {
        let golden = try #require(try GridJSON.golden("seed002_department_framework.xlsx").sheets.first)
        let writer = CSVWriter(encoding: enc)
        var stream = try CSVStreamWriter(writer, width: 7)
        var out = stream.preamble
        for row in golden.rows { try stream.append(row, to: &out) }
        #expect(out == (try writer.write(golden)))
        // Skipped rows become empty lines; without a width each line is as long as its row.
        var ragged = try CSVStreamWriter(CSVWriter(encoding: .utf8))
        var r: [UInt8] = []
        try ragged.append(Row(index: 1, cells: [Cell(col: 2, value: .number(5))]), to: &r)
        #expect(text(r) == "\r\n,,5\r\n")
    }

    @Test func atomicFileWrite() throws {
        let dir = try Fixtures.tempDirectory("csvwrite")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.csv").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let g = Grid(name: "t", values: [[.string("附件"), .number(1)]])
        try CSVWriter().write(g, toFile: path)
        #expect(try CSVReader.read(path: path).rows == g.rows)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
        // A failed write leaves the old file alone and no temporary behind.
        var bad = Grid(info: SheetInfo(name: "t"))
        bad.set(CellRef(a1: "A1")!, .string("😀"))
        #expect(throws: JixiaoError.self) { try CSVWriter(encoding: .gbk).write(bad, toFile: path) }
        #expect(try CSVReader.read(path: path).rows == g.rows)
        let e = jixiaoError { try CSVWriter().write(g, toFile: dir.appendingPathComponent("no/such/dir.csv").path) }
        #expect(e?.kind == .io)
    }
}
