import Testing
import SheetCore
import CSVFormat

@Suite struct ParserTests {
    let s = { (t: String) in CellValue.string(t) }

    @Test func quotedFieldsWithEscapesDelimitersAndBreaks() throws {
        let g = try parse("\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"\"\"\"\r\n\"cr\rin\",\"crlf\r\nin\",\"\"\r\n")
        #expect(table(g) == [
            [s("a,b"), s("say \"hi\""), s("line1\nline2"), s("\"")],
            [s("cr\rin"), s("crlf\r\nin")],
        ])
    }

    @Test func lenientQuotes() throws {
        // A quote inside an unquoted field is text; text after a closing quote is appended (Excel, Python).
        let g = try parse("ab\"c,\"x\"y,\"\"z\n")
        #expect(table(g) == [[s("ab\"c"), s("xy"), s("z")]])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEnds(_ eol: String) throws {
        let g = try parse("a,b\(eol)c,d\(eol)\(eol)e\(eol)")
        #expect(table(g) == [[s("a"), s("b")], [s("c"), s("d")], [], [s("e")]])
        // Blank line 3 leaves a gap: row indices are record numbers.
        #expect(g.rows.map(\.index) == [0, 1, 3])
    }

    @Test func lastLineWithoutBreakAndTrailingEmptyLine() throws {
        #expect(table(try parse("a,b\nc")) == [[s("a"), s("b")], [s("c")]])
        #expect(table(try parse("a,b\nc,")) == [[s("a"), s("b")], [s("c")]])
        #expect(table(try parse("a\n\n")) == [[s("a")]])
        #expect(try parse("").rows.isEmpty)
        #expect(try parse("\r\n").rows.isEmpty)
    }

    @Test func raggedRowsAndEmptyFields() throws {
        let g = try parse("a\n,,c,\nd,e,f,g,h\n,,,\n")
        #expect(table(g) == [[s("a")], [.empty, .empty, s("c")], [s("d"), s("e"), s("f"), s("g"), s("h")]])
        #expect(g.rows.map(\.index) == [0, 1, 2])
        #expect(g.row(at: 1)?.cells.map(\.col) == [2])
    }

    @Test func textIsKeptExactly() throws {
        let g = try parse(" a ,\u{3000}全角\u{3000},\"  \",\t x\n")
        #expect(table(g) == [[s(" a "), s("\u{3000}全角\u{3000}"), s("  "), s("\t x")]])
    }

    @Test func bomIsSkippedOnlyAtTheStart() throws {
        let g = try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + bytes("a,\u{FEFF}b\n"), name: "x.csv")
        #expect(table(g) == [[s("a"), s("\u{FEFF}b")]])
        let n = try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + bytes("12\n"), name: "x.csv")
        #expect(n[0, 0] == .number(12))
    }

    @Test func numbersAreInferredOnlyWhenAsked() throws {
        let g = try parse("12,-3.5,1e3,0.25,007,+5,5%,\"1,234\",１２\n")
        #expect(table(g) == [[.number(12), .number(-3.5), .number(1000), .number(0.25),
                              s("007"), s("+5"), s("5%"), s("1,234"), s("１２")]])
        let off = try parse("12,x\n", CSVOptions(inferNumbers: false))
        #expect(table(off) == [[s("12"), s("x")]])
    }

    @Test func gridIsNamedAfterTheFile() throws {
        #expect(try CSVReader.read(bytes: bytes("a"), name: "dir/附件2.csv").name == "附件2")
        #expect(CSVReader.sheetName(forFile: "/a/b/table.v2.csv") == "table.v2")
        #expect(CSVReader.sheetName(forFile: ".hidden") == ".hidden")
    }

    @Test func unterminatedQuoteNamesTheLineTheFieldStarted() throws {
        let e = jixiaoError { _ = try parse("a,b\nc,\"open\nmore\nlines") }
        #expect(e?.kind == .corrupt)
        #expect(e?.location == Location(file: "t.csv", line: 2))
        #expect(e?.description.hasPrefix("t.csv:2: ") == true)
    }

    @Test func lineNumbersCountPhysicalLines() throws {
        // Quoted breaks (CRLF, LF, CR) count as lines: x|y,p|q|z|(end of z)|ok|"bad → the error is at line 7.
        let e = jixiaoError { _ = try parse("\"x\r\ny\",\"p\rq\"\n\"z\n\"\nok\n\"bad") }
        #expect(e?.location?.line == 7)
        let e2 = jixiaoError { _ = try parse("a\r\nb\r\n\"c") }
        #expect(e2?.location?.line == 3)
    }

    @Test func fieldLimit() throws {
        var limits = ReadLimits()
        limits.maxCSVField = 8
        let ok = try parse("12345678,\"1234\"\"678\"\n", CSVOptions(limits: limits))
        #expect(ok[0, 1] == .string("1234\"678"))
        for text in ["a\n123456789,b\n", "a\n\"123456789\"\n", "a\n\"1234\"\"5678\"\n"] {
            let e = jixiaoError { _ = try parse(text, CSVOptions(limits: limits)) }
            #expect(e?.kind == .limitExceeded, "\(text)")
            #expect(e?.message.contains("maxCSVField") == true)
            #expect(e?.location?.line == 2)
        }
    }

    @Test func lineLimit() throws {
        var limits = ReadLimits()
        limits.maxCSVLine = 10
        _ = try parse("1234,6789\nabc\n", CSVOptions(limits: limits))
        let e = jixiaoError { _ = try parse("ok\n12,45,78,ab,cd\n", CSVOptions(limits: limits)) }
        #expect(e?.kind == .limitExceeded)
        #expect(e?.message.contains("maxCSVLine") == true)
        #expect(e?.location?.line == 2)
    }

    @Test func hugeFieldIsRejectedAtTheLimit() throws {
        // 100 MB in one quoted field: the error comes once the default 1 MiB field limit is passed.
        var big = [UInt8](repeating: UInt8(ascii: "x"), count: 100 << 20)
        big[0] = ASCII_QUOTE
        let e = jixiaoError { _ = try CSVReader.read(bytes: big, name: "big.csv") }
        #expect(e?.kind == .limitExceeded)
        #expect(e?.location?.line == 1)
    }

    @Test func tooManyColumns() throws {
        let line = String(repeating: "x,", count: 16_384) + "x\n"
        let e = jixiaoError { _ = try parse(line) }
        #expect(e?.kind == .limitExceeded)
        #expect(table(try parse(String(repeating: "x,", count: 16_383) + "x\n"))[0].count == 16_384)
    }
}

let ASCII_QUOTE = UInt8(ascii: "\"")
