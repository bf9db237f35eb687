import SheetCore
import Testing
@testable import XLSXFormat

private func grid(_ rows: String, extra: String = "", sst: [String]? = nil, styles: String? = nil,
                  date1904: Bool = false) throws -> Grid {
    try PackageBuilder.oneSheet(rows, extra: extra, sst: sst, styles: styles, date1904: date1904).reader().readGrid(sheet: 0)
}

@Suite struct SheetReaderTests {
    @Test func valueTypes() throws {
        let g = try grid("""
            <row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>3.25</v></c><c r="C1" t="b"><v>1</v></c>\
            <c r="D1" t="e"><v>#DIV/0!</v></c><c r="E1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>\
            <c r="F1" t="inlineStr"><is><r><t>富</t></r><r><rPr/><t>文本</t></r><rPh><t>ふ</t></rPh></is></c>\
            <c r="G1" t="n"><v>-1.5E-3</v></c><c r="H1" t="b"><v>0</v></c><c r="I1"><v>abc</v></c></row>
            """, sst: ["<t>zero</t>", "<t>一</t>"])
        #expect(g[0, 0] == .string("一"))
        #expect(g[0, 1] == .number(3.25))
        #expect(g[0, 2] == .bool(true))
        #expect(g[0, 3] == .error("#DIV/0!"))
        #expect(g[0, 4] == .string("ab"))
        #expect(g.cell(at: CellRef(row: 0, col: 4))?.formula == #""a"&"b""#)
        #expect(g[0, 5] == .string("富文本"))
        #expect(g[0, 6] == .number(-0.0015))
        #expect(g[0, 7] == .bool(false))
        #expect(g[0, 8] == .string("abc"))
    }

    @Test func numbersAreCorrectlyRounded() throws {
        let texts = ["0.1", "2.2250738585072014E-308", "1.7976931348623157e308", "123456789012345678901234567890",
                     "0.30000000000000004", "9007199254740993", "-0"]
        let rows = texts.enumerated().map { #"<row r="\#($0.offset + 1)"><c r="A\#($0.offset + 1)"><v>\#($0.element)</v></c></row>"# }
        let g = try grid(rows.joined())
        for (i, t) in texts.enumerated() {
            #expect(g[UInt32(i), 0] == .number(Double(t)!), "\(t)")
        }
    }

    @Test func sharedStringsTrimEscapesAndPhonetics() throws {
        let g = try grid(#"<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c><c t="s"><v>4</v></c></row>"#,
                         sst: ["<t>  padded \n</t>", #"<t xml:space="preserve">  kept </t>"#, "<t>a_x000D_b_x005F_x000D_</t>",
                               "<r><t xml:space=\"preserve\">A </t></r><r><t>B</t></r><rPh sb=\"0\" eb=\"1\"><t>ei</t></rPh><phoneticPr fontId=\"1\"/>",
                               "<t>_X0000_ _x12G4_</t>"])
        #expect(g[0, 0] == .string("padded"))
        #expect(g[0, 1] == .string("  kept "))
        #expect(g[0, 2] == .string("a\rb_x000D_"))
        #expect(g[0, 3] == .string("A B"))
        #expect(g[0, 4] == .string("_X0000_ _x12G4_"))
    }

    @Test func cellsAndRowsWithoutReferences() throws {
        let g = try grid("<row><c><v>1</v></c><c><v>2</v></c></row><row><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row><row r=\"5\"><c><v>5</v></c></row><row><c><v>6</v></c></row>")
        #expect(g[0, 0] == .number(1))
        #expect(g[0, 1] == .number(2))
        #expect(g[1, 2] == .number(3))
        #expect(g[1, 3] == .number(4))
        #expect(g[4, 0] == .number(5))
        #expect(g[5, 0] == .number(6))
    }

    @Test func repeatedAndUnorderedRowsAndCellsAreMerged() throws {
        let xml = """
            <row r="3"><c r="B3"><v>1</v></c><c r="A3"><v>2</v></c><c r="B3"><v>9</v></c></row>\
            <row r="1"><c r="A1"><v>3</v></c></row>\
            <row r="3"><c r="C3"><v>4</v></c><c r="A3"><v>5</v></c></row>\
            <row r="2"><c r="A2"><v>6</v></c></row><row r="2"><c r="B2"><v>7</v></c></row>
            """
        let g = try grid(xml)
        #expect(g.rows.map(\.index) == [0, 1, 2])
        #expect(g.rows[2].cells.map(\.col) == [0, 1, 2])
        #expect(g[2, 0] == .number(5))
        #expect(g[2, 1] == .number(9))
        #expect(g[2, 2] == .number(4))
        #expect(g[1, 0] == .number(6) && g[1, 1] == .number(7))
        // Streaming: consecutive repeats merged, rows otherwise in document order.
        var indexes: [UInt32] = []
        try PackageBuilder.oneSheet(xml).reader().forEachRow(sheet: 0) { indexes.append($0.index) }
        #expect(indexes == [2, 0, 2, 1])
    }

    @Test func malformedReferencesAreTreatedAsMissing() throws {
        let g = try grid(#"<row r="1"><c r="A1"><v>1</v></c><c r="A0"><v>2</v></c><c r="0"><v>3</v></c></row><row r="0"><c><v>4</v></c></row>"#)
        #expect(g[0, 0] == .number(1))
        #expect(g[0, 1] == .number(2))
        #expect(g[0, 2] == .number(3))
        #expect(g[1, 0] == .number(4))  // row r="0" → previous + 1
    }

    @Test func cellNamingAnotherRow() throws {
        let g = try grid(#"<row r="1"><c r="A1"><v>1</v></c><c r="B4"><v>2</v></c></row>"#)
        #expect(g[0, 0] == .number(1))
        #expect(g[3, 1] == .number(2))
    }

    @Test func sharedFormulasAreMovedToEachDependent() throws {
        let g = try grid(#"<row r="1"><c r="A1"><f t="shared" ref="A1:B3" si="0">B1*2+$C$1</f><v>2</v></c><c r="B1"><f t="shared" si="0"/><v>3</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>"#)
        #expect(g.cell(at: CellRef(row: 0, col: 0))?.formula == "B1*2+$C$1")
        #expect(g.cell(at: CellRef(row: 0, col: 1))?.formula == "C1*2+$C$1")
        #expect(g.cell(at: CellRef(row: 1, col: 0))?.formula == "B2*2+$C$1")
        #expect(g[1, 0] == .number(4))
    }

    @Test(arguments: [
        ("B1*2", 1, 0, "B2*2"), ("$B$1+B$1+$B1+B1", 1, 1, "$B$1+C$1+$B2+C2"), ("SUM(A1:A3)", 2, 0, "SUM(A3:A5)"),
        ("\"A1\"&A1", 1, 0, "\"A1\"&A2"), ("'My A1'!C3*Sheet2!D4", 1, 0, "'My A1'!C4*Sheet2!D5"),
        ("LOG10(A1)+ATAN2(A1,B1)", 0, 1, "LOG10(B1)+ATAN2(B1,C1)"), ("Table1[[#This Row],[A1]]*A1", 1, 0, "Table1[[#This Row],[A1]]*A2"),
        ("A1", -1, 0, "#REF!"), ("XFD1+1.5E3", 0, 1, "#REF!+1.5E3"), ("_xlfn.CONCAT(A1)", 1, 0, "_xlfn.CONCAT(A2)"),
        ("SUM(G:H)+SUM($C:D)", 5, 1, "SUM(H:I)+SUM($C:E)"), ("SUM(7:$8)", 1, 3, "SUM(8:$8)"), ("A1:B2", 0, 0, "A1:B2"),
    ])
    func sharedFormulaShift(_ f: String, _ rows: Int, _ cols: Int, _ expected: String) {
        #expect(SharedFormula.shift(f, rows: rows, cols: cols) == expected)
    }

    @Test func mergedRangesSortedAndMalformedSkipped() throws {
        let g = try grid(#"<row r="1"><c r="A1"><v>1</v></c></row>"#,
                         extra: #"<mergeCells count="4"><mergeCell ref="C3:D4"/><mergeCell ref="A1:B1"/><mergeCell ref="Z"/><mergeCell ref="A0:B2"/><mergeCell ref="A1:B1"/></mergeCells>"#)
        #expect(g.merged.map(\.a1) == ["A1:B1", "C3:D4"])
    }

    @Test func dateFormats() throws {
        let styles = """
            <numFmts count="5"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>\
            <numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="0.00&quot;h&quot;"/>\
            <numFmt numFmtId="167" formatCode="[Red][$-804]0.00;[Blue]yyyy"/><numFmt numFmtId="168" formatCode="[$-804]yyyy/m/d"/></numFmts>\
            <cellXfs count="8"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>\
            <xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="31"/></cellXfs>
            """
        let g = try grid("""
            <row r="1"><c s="0"><v>45000</v></c><c s="1"><v>45000</v></c><c s="2"><v>45000.5</v></c><c s="3"><v>1.5</v></c>\
            <c s="4"><v>2</v></c><c s="5"><v>3</v></c><c s="6"><v>0.25</v></c><c s="7"><v>60</v></c><c s="1"><v>1e12</v></c><c s="99"><v>5</v></c></row>
            """, styles: styles)
        #expect(g[0, 0] == .number(45000))
        #expect(g[0, 1] == .date(ExcelDate(serial: 45000)))
        #expect(g[0, 1].text == "2023-03-15")
        #expect(g[0, 2].text == "2023-03-15T12:00:00")
        #expect(g[0, 3] == .date(ExcelDate(serial: 1.5, isDuration: true)))
        #expect(g[0, 3].text == "PT129600S")
        #expect(g[0, 4] == .number(2))
        #expect(g[0, 5] == .number(3))
        #expect(g[0, 6].text == "06:00:00")
        #expect(g[0, 7].text == "1900-02-28")
        #expect(g[0, 8] == .number(1e12))
        #expect(g[0, 9] == .number(5))
    }

    @Test func date1904AndISODateCells() throws {
        let g = try grid(#"<row r="1"><c s="1"><v>1.5</v></c><c t="d"><v>2024-02-29T08:30:00</v></c><c t="d"><v>2014-02-14T08:27:48.765Z</v></c></row>"#,
                         styles: #"<cellXfs><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs>"#, date1904: true)
        #expect(g[0, 0].text == "1904-01-02T12:00:00")
        #expect(g[0, 1].text == "2024-02-29T08:30:00")
        #expect(g[0, 2] == .string("2014-02-14T08:27:48.765Z"))
    }

    @Test func strictNamespacesAndPrefixes() throws {
        var p = PackageBuilder()
        p.parts["_rels/.rels"] = Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="\#(PackageBuilder.strictRel)/officeDocument" Target="/book/wb.xml"/></Relationships>"#.utf8)
        p.parts["book/wb.xml"] = Array(#"<x:workbook xmlns:x="\#(PackageBuilder.strictMain)" xmlns:rel="\#(PackageBuilder.strictRel)"><x:workbookPr date1904="true"/><x:sheets><x:sheet name="R&amp;D" sheetId="1" rel:id="a"/><x:sheet name="隐藏" state="veryHidden" sheetId="2" rel:id="b"/><x:sheet name="Chart" sheetId="3" rel:id="c"/></x:sheets></x:workbook>"#.utf8)
        p.parts["book/_rels/wb.xml.rels"] = Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="\#(PackageBuilder.strictRel)/worksheet" Target="../data/s%201.xml"/><Relationship Id="b" Type="\#(PackageBuilder.strictRel)/worksheet" Target="/data/s2.xml"/><Relationship Id="c" Type="\#(PackageBuilder.strictRel)/chartsheet" Target="charts/c.xml"/><Relationship Id="s" Type="\#(PackageBuilder.strictRel)/sharedStrings" Target="strings.xml"/></Relationships>"#.utf8)
        p.parts["data/s 1.xml"] = Array(#"<x:worksheet xmlns:x="\#(PackageBuilder.strictMain)"><x:sheetData><x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>"#.utf8)
        p.parts["data/s2.xml"] = Array(#"<worksheet xmlns="\#(PackageBuilder.strictMain)"><sheetData/></worksheet>"#.utf8)
        p.parts["book/charts/c.xml"] = Array("<chartsheet/>".utf8)
        p.parts["book/strings.xml"] = Array(#"<sst xmlns="\#(PackageBuilder.strictMain)"><si><t>严格</t></si></sst>"#.utf8)
        let r = try p.reader()
        #expect(r.date1904)
        #expect(r.sheets.map(\.name) == ["R&D", "隐藏", "Chart"])
        #expect(r.sheets.map(\.visibility) == [.visible, .veryHidden, .visible])
        #expect(r.sheets.map(\.kind) == [.worksheet, .worksheet, .chartsheet])
        let wb = try r.readWorkbook()
        #expect(wb.sheets[0][1, 1] == .string("严格"))
        #expect(wb.sheets[1].rows.isEmpty && wb.sheets[2].rows.isEmpty)
    }

    @Test func workbookFoundThroughContentTypesWhenRelsAreMissing() throws {
        var p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        p.parts["_rels/.rels"] = nil
        p.parts["book.xml"] = p.parts["xl/workbook.xml"]
        p.parts["_rels/book.xml.rels"] = Array(String(decoding: p.parts["xl/_rels/workbook.xml.rels"]!, as: UTF8.self)
            .replacingOccurrences(of: "Target=\"", with: "Target=\"xl/").utf8)
        p.parts["xl/workbook.xml"] = nil
        p.parts["[Content_Types].xml"] = Array(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/book.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>"#.utf8)
        let r = try p.reader()
        #expect(r.workbookPart == "book.xml")
        #expect(try r.readGrid(sheet: 0)[0, 0] == .number(1))
    }

    @Test func macroSheetsAreRead() throws {
        var p = PackageBuilder()
        p.standard(sheets: [("M", "hidden", "macrosheet")])
        p.parts["xl/macrosheets/sheet1.xml"] = Array(#"<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" xmlns="\#(PackageBuilder.main)"><sheetData><row r="1"><c r="A1"><v>7</v></c></row></sheetData></xm:macrosheet>"#.utf8)
        let r = try p.reader()
        #expect(r.sheets == [SheetInfo(name: "M", kind: .macrosheet, visibility: .hidden)])
        #expect(try r.readGrid(sheet: 0)[0, 0] == .number(7))
    }

    @Test func sheetsWithoutARelationshipAreLeftOut() throws {
        var p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        p.parts["xl/workbook.xml"] = Array(#"<workbook xmlns="\#(PackageBuilder.main)" xmlns:r="\#(PackageBuilder.rel)"><sheets><sheet name="Module1" sheetId="9" r:id=""/><sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Gone" sheetId="2" r:id="rId77"/></sheets></workbook>"#.utf8)
        let r = try p.reader()
        #expect(r.sheets.map(\.name) == ["Sheet1"])
        #expect(try r.readGrid(sheet: 0)[0, 0] == .number(1))
    }

    @Test func errorsNameTheirPlace() throws {
        func error(_ p: PackageBuilder) -> JixiaoError? {
            do { _ = try p.reader().readWorkbook(); return nil } catch { return error as? JixiaoError }
        }
        // A shared string index past the table.
        var e = error(.oneSheet(#"<row r="4"><c r="C4" t="s"><v>5</v></c></row>"#, sst: ["<t>x</t>"]))
        #expect(e?.kind == .corrupt)
        #expect(e?.location?.description == "test.xlsx!Sheet1!C4")
        // Malformed sheet XML.
        e = error(.oneSheet(#"<row r="1"><c r="A1"><v>1</v></row>"#))
        #expect(e?.kind == .corrupt)
        #expect(e?.location?.sheet == "Sheet1")
        #expect(e?.location?.part == "xl/worksheets/sheet1.xml")
        // A missing sheet part.
        var p = PackageBuilder.oneSheet("")
        p.parts["xl/worksheets/sheet1.xml"] = nil
        e = error(p)
        #expect(e?.kind == .corrupt && e?.location?.sheet == "Sheet1")
        // A DOCTYPE in the shared strings.
        p = .oneSheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
        p.parts["xl/sharedStrings.xml"] = Array(#"<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst xmlns="\#(PackageBuilder.main)"><si><t>&a;</t></si></sst>"#.utf8)
        e = error(p)
        #expect(e?.kind == .unsafe && e?.location?.part == "xl/sharedStrings.xml")
        // A sheet index past the end.
        #expect { try PackageBuilder.oneSheet("").reader().readGrid(sheet: 3) } throws: { ($0 as? JixiaoError)?.kind == .invalidValue }
        // No workbook at all.
        #expect(throws: JixiaoError.self) { try XLSXReader(parts: ["docProps/app.xml": Array("<a/>".utf8)]) }
    }

    @Test func limits() throws {
        var limits = ReadLimits()
        limits.maxStringLength = 10
        let p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1" t="str"><v>0123456789abc</v></c></row>"#)
        #expect { try XLSXReader(parts: p.parts, limits: limits).readGrid(sheet: 0) } throws: {
            ($0 as? JixiaoError)?.kind == .limitExceeded
        }
        limits = ReadLimits()
        limits.maxMergedRanges = 1
        let q = PackageBuilder.oneSheet("", extra: #"<mergeCells><mergeCell ref="A1:B1"/><mergeCell ref="A2:B2"/></mergeCells>"#)
        #expect { try XLSXReader(parts: q.parts, limits: limits).readGrid(sheet: 0) } throws: {
            ($0 as? JixiaoError)?.kind == .limitExceeded
        }
    }
}

@Suite struct NumberFormatTests {
    @Test(arguments: [
        ("General", NumberFormatKind.number), ("0.00", .number), ("#,##0;[Red]-#,##0", .number),
        ("yyyy-mm-dd", .date), ("yyyy\"年\"m\"月\"d\"日\"", .date), ("[$-804]yyyy\"年\"m\"月\"", .date),
        ("h:mm AM/PM", .date), ("[h]:mm:ss", .duration), ("[mm]:ss", .duration), ("[ss].0", .duration),
        ("0.00\"h\"", .number), ("\\d0", .number), ("[Red]0.00", .number), ("0_m", .number),
        ("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", .date), ("0;yyyy", .number), ("@", .number),
    ])
    func customFormats(_ code: String, _ kind: NumberFormatKind) {
        #expect(NumberFormats.kind(ofFormatCode: code) == kind, "\(code)")
    }

    @Test func builtinIds() {
        #expect((14...22).allSatisfy { NumberFormats.builtinKind($0) == .date })
        #expect(NumberFormats.builtinKind(46) == .duration)
        #expect([27, 31, 36, 50, 58].allSatisfy { NumberFormats.builtinKind($0) == .date })
        #expect([0, 1, 2, 9, 10, 11, 37, 49, 59].allSatisfy { NumberFormats.builtinKind($0) == .number })
    }
}

@Suite struct RelationshipTests {
    @Test func targetsResolve() {
        #expect(Relationships.resolve("worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(Relationships.resolve("/xl/worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(Relationships.resolve("../drawings/d.xml", from: "xl/worksheets/sheet1.xml") == "xl/drawings/d.xml")
        #expect(Relationships.resolve("./a\\b%20c.xml", from: "wb.xml") == "a/b c.xml")
        #expect(Relationships.relsPart(of: "xl/workbook.xml") == "xl/_rels/workbook.xml.rels")
        #expect(Relationships.relsPart(of: "") == "_rels/.rels")
    }
}
