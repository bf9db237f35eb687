import Testing
import SheetCore
@testable import XLSXFormat

/// Each part the writer produces, against an XML snippet.
@Suite("XLSXWriter parts")
struct WriterPartTests {
    static let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNS = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    static let relNS = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

    static func parts(_ options: XLSXWriterOptions = XLSXWriterOptions(), _ build: (XLSXWriter) throws -> Void) throws -> [String: String] {
        let w = XLSXWriter(collectingPartsWith: options)
        try build(w)
        _ = try w.finish()
        var out: [String: String] = [:]
        for p in w.collectedParts ?? [] { out[p.name] = String(decoding: p.bytes, as: UTF8.self) }
        return out
    }

    /// The sheet body between `<sheetData>` and `</sheetData>`.
    static func sheetData(_ xml: String?) -> String {
        guard let xml, let a = xml.range(of: "<sheetData>"), let b = xml.range(of: "</sheetData>") else { return "?" }
        return String(xml[a.upperBound..<b.lowerBound])
    }

    @Test func partOrderAndNames() throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        try w.addSheet(Grid(name: "A", values: [[.string("x")]]))
        try w.addSheet(Grid(name: "B", values: [[.number(1)]]))
        _ = try w.finish()
        #expect(w.collectedParts!.map(\.name) == [
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml", "_rels/.rels",
            "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/sharedStrings.xml",
        ])
    }

    @Test func cellsOfEveryKind() throws {
        let p = try Self.parts { w in
            var g = Grid(name: "S", values: [
                [.string("文本"), .number(-20.5), .bool(true), .bool(false), .error("#DIV/0!")],
                [.number(1e20), .number(.infinity), .error("not an error code"), .string("文本")],
            ])
            g.set(CellRef(a1: "A3")!, .number(3), formula: "SUM(A1:B1)")
            g.set(CellRef(a1: "B3")!, .string("ok"), formula: "=IF(1,\"ok\",\"x\")")
            g.set(CellRef(a1: "C3")!, .empty, formula: "NOW()")
            g.set(CellRef(a1: "AA3")!, .bool(true), formula: "TRUE()")
            try w.addSheet(g)
        }
        #expect(Self.sheetData(p["xl/worksheets/sheet1.xml"]) ==
            "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>-20.5</v></c><c r=\"C1\" t=\"b\"><v>1</v></c>"
            + "<c r=\"D1\" t=\"b\"><v>0</v></c><c r=\"E1\" t=\"e\"><v>#DIV/0!</v></c></row>"
            + "<row r=\"2\"><c r=\"A2\"><v>1e+20</v></c><c r=\"B2\" t=\"e\"><v>#NUM!</v></c><c r=\"C2\" t=\"s\"><v>1</v></c>"
            + "<c r=\"D2\" t=\"s\"><v>0</v></c></row>"
            + "<row r=\"3\"><c r=\"A3\"><f>SUM(A1:B1)</f><v>3</v></c><c r=\"B3\" t=\"str\"><f>IF(1,\"ok\",\"x\")</f><v>ok</v></c>"
            + "<c r=\"C3\"><f>NOW()</f></c><c r=\"AA3\" t=\"b\"><f>TRUE()</f><v>1</v></c></row>")
        #expect(p["xl/sharedStrings.xml"] == Self.decl + "<sst \(Self.mainNS) count=\"3\" uniqueCount=\"2\">"
            + "<si><t>文本</t></si><si><t>not an error code</t></si></sst>")
        #expect(p["xl/workbook.xml"]!.contains("<calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/>"))
    }

    @Test func inlineStringsWithEscapesAndWhitespace() throws {
        let p = try Self.parts { w in
            try w.addSheet(SheetInfo(name: "S")) { s in
                try s.append(values: [.string(" 前导空格"), .string("a\r\nb"), .string("_x0041_"), .string("<&>")])
            }
        }
        #expect(Self.sheetData(p["xl/worksheets/sheet1.xml"]) ==
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> 前导空格</t></is></c>"
            + "<c r=\"B1\" t=\"inlineStr\"><is><t>a_x000D_\nb</t></is></c>"
            + "<c r=\"C1\" t=\"inlineStr\"><is><t>_x005F_x0041_</t></is></c>"
            + "<c r=\"D1\" t=\"inlineStr\"><is><t>&lt;&amp;&gt;</t></is></c></row>")
        #expect(p["xl/sharedStrings.xml"] == nil)
        #expect(!p["[Content_Types].xml"]!.contains("sharedStrings"))
        #expect(!p["xl/_rels/workbook.xml.rels"]!.contains("sharedStrings"))
    }

    @Test func datesGetDateFormats() throws {
        let p = try Self.parts { w in
            let bordered = w.addStyle(CellStyle(border: .all(.thin)))
            try w.addSheet(SheetInfo(name: "S")) { s in
                try s.append(Row(index: 0, cells: [
                    Cell(col: 0, value: .date(ExcelDate(serial: 45000))),
                    Cell(col: 1, value: .date(ExcelDate(serial: 45000.5))),
                    Cell(col: 2, value: .date(ExcelDate(serial: 0.25))),
                    Cell(col: 3, value: .date(ExcelDate(serial: 1.5, isDuration: true))),
                    Cell(col: 4, value: .date(ExcelDate(serial: 45001)), style: bordered),
                    Cell(col: 5, value: .date(ExcelDate(serial: 100, epoch1904: true))),
                ]))
            }
        }
        #expect(Self.sheetData(p["xl/worksheets/sheet1.xml"]) ==
            "<row r=\"1\"><c r=\"A1\" s=\"2\"><v>45000</v></c><c r=\"B1\" s=\"3\"><v>45000.5</v></c>"
            + "<c r=\"C1\" s=\"4\"><v>0.25</v></c><c r=\"D1\" s=\"5\"><v>1.5</v></c><c r=\"E1\" s=\"6\"><v>45001</v></c>"
            + "<c r=\"F1\" s=\"2\"><v>1562</v></c></row>")
        let styles = p["xl/styles.xml"]!
        #expect(styles.contains("<numFmts count=\"4\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
            + "<numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm:ss\"/><numFmt numFmtId=\"166\" formatCode=\"hh:mm:ss\"/>"
            + "<numFmt numFmtId=\"167\" formatCode=\"[h]:mm:ss\"/></numFmts>"))
        // The bordered style's date variant keeps its border.
        #expect(styles.contains("<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/>"))
    }

    @Test func stylesAreDeduplicated() throws {
        let p = try Self.parts { w in
            let a = w.addStyle(CellStyle(font: .init(bold: true), fill: .solid("D9E1F2"), border: .all(.thin),
                                         alignment: .init(horizontal: .center, vertical: .center, wrap: true)))
            let b = w.addStyle(CellStyle(font: .init(bold: true), fill: .solid("D9E1F2"), border: .all(.thin),
                                         alignment: .init(horizontal: .center, vertical: .center, wrap: true)))
            let c = w.addStyle(CellStyle(font: .init(bold: true), border: .all(.thin), numberFormat: "0.00"))
            let d = w.addStyle(CellStyle(font: .init(name: "黑体", size: 16), numberFormat: "0.0#"))
            #expect(a == 1 && b == 1 && c == 2 && d == 3)
            try w.addSheet(Grid(name: "S", values: [[.number(1)]]))
        }
        #expect(p["xl/styles.xml"] == Self.decl + "<styleSheet \(Self.mainNS)>"
            + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"0.0#\"/></numFmts>"
            + "<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"
            + "<font><b/><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"
            + "<font><sz val=\"16\"/><name val=\"黑体\"/><family val=\"3\"/><charset val=\"134\"/></font></fonts>"
            + "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
            + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFD9E1F2\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>"
            + "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
            + "<border><left style=\"thin\"><color indexed=\"64\"/></left><right style=\"thin\"><color indexed=\"64\"/></right>"
            + "<top style=\"thin\"><color indexed=\"64\"/></top><bottom style=\"thin\"><color indexed=\"64\"/></bottom><diagonal/></border></borders>"
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
            + "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\">"
            + "<alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
            + "<xf numFmtId=\"2\" fontId=\"1\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"164\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/></cellXfs>"
            + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
            + "<dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium2\" defaultPivotStyle=\"PivotStyleLight16\"/></styleSheet>")
    }

    @Test func unknownStyleIndicesFallBackToDefault() throws {
        let p = try Self.parts { w in
            try w.addSheet(Grid(info: SheetInfo(name: "S"), rows: [Row(index: 0, cells: [Cell(col: 0, value: .number(1), style: 42)])]))
        }
        #expect(Self.sheetData(p["xl/worksheets/sheet1.xml"]) == "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")
    }

    @Test func worksheetLayout() throws {
        let p = try Self.parts { w in
            let head = w.addStyle(CellStyle(border: .all(.thin)))
            var g = Grid(name: "附件1", values: [[.string("标题")], [.string("a"), .string("b")]],
                         merged: [CellRange(a1: "A1:C1")!])
            g.set(CellRef(a1: "B1")!, .empty, style: head)
            try w.addSheet(g, options: SheetOptions(columnWidths: [0: 30, 1: 10, 2: 10, 4: 10], rowHeights: [0: 30, 5: 12.75],
                                                    freeze: CellRef(a1: "B3"), print: .a4Landscape(titleRows: 0...1),
                                                    showGridLines: false))
        }
        #expect(p["xl/worksheets/sheet1.xml"] == Self.decl + "<worksheet \(Self.mainNS) \(Self.relNS)>"
            + "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"A1:B2\"/>"
            + "<sheetViews><sheetView showGridLines=\"0\" tabSelected=\"1\" workbookViewId=\"0\">"
            + "<pane xSplit=\"1\" ySplit=\"2\" topLeftCell=\"B3\" activePane=\"bottomRight\" state=\"frozen\"/>"
            + "<selection pane=\"bottomRight\" activeCell=\"B3\" sqref=\"B3\"/></sheetView></sheetViews>"
            + "<sheetFormatPr defaultRowHeight=\"13.5\"/>"
            + "<cols><col min=\"1\" max=\"1\" width=\"30\" customWidth=\"1\"/><col min=\"2\" max=\"3\" width=\"10\" customWidth=\"1\"/>"
            + "<col min=\"5\" max=\"5\" width=\"10\" customWidth=\"1\"/></cols>"
            + "<sheetData><row r=\"1\" ht=\"30\" customHeight=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"/></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>2</v></c></row>"
            + "<row r=\"6\" ht=\"12.75\" customHeight=\"1\"/></sheetData>"
            + "<mergeCells count=\"1\"><mergeCell ref=\"A1:C1\"/></mergeCells><printOptions horizontalCentered=\"1\"/>"
            + "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
            + "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/></worksheet>")
    }

    @Test func widthsAndHeightsAreKeptWithinExcelsLimits() throws {
        let p = try Self.parts { w in
            try w.addSheet(Grid(name: "S", values: [[.number(1)]]), options: SheetOptions(columnWidths: [0: 300, 1: -2], rowHeights: [0: 500]))
        }
        let xml = p["xl/worksheets/sheet1.xml"]!
        #expect(xml.contains("<col min=\"1\" max=\"1\" width=\"255\" customWidth=\"1\"/><col min=\"2\" max=\"2\" width=\"0\" customWidth=\"1\"/>"))
        #expect(xml.contains("<row r=\"1\" ht=\"409\" customHeight=\"1\">"))
    }

    @Test func frozenRowsOnly() throws {
        let p = try Self.parts { w in
            try w.addSheet(Grid(name: "S", values: [[.number(1)]]), options: SheetOptions(freeze: CellRef(a1: "A4")))
        }
        #expect(p["xl/worksheets/sheet1.xml"]!.contains("<sheetView tabSelected=\"1\" workbookViewId=\"0\">"
            + "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            + "<selection pane=\"bottomLeft\" activeCell=\"A4\" sqref=\"A4\"/></sheetView>"))
    }

    @Test func workbookRelsAndContentTypes() throws {
        let p = try Self.parts(XLSXWriterOptions(date1904: true)) { w in
            try w.addSheet(Grid(info: SheetInfo(name: "隐藏", visibility: .hidden), rows: []))
            try w.addSheet(Grid(name: "O'Neil 表", values: [[.string("x")]]), options: SheetOptions(print: .a4Landscape(titleRows: 2...3)))
            try w.addSheet(Grid(info: SheetInfo(name: "very", visibility: .veryHidden), rows: []))
        }
        #expect(p["xl/workbook.xml"] == Self.decl + "<workbook \(Self.mainNS) \(Self.relNS)><workbookPr date1904=\"1\"/>"
            + "<bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"12300\" firstSheet=\"1\" activeTab=\"1\"/></bookViews>"
            + "<sheets><sheet name=\"隐藏\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/><sheet name=\"O'Neil 表\" sheetId=\"2\" r:id=\"rId2\"/>"
            + "<sheet name=\"very\" sheetId=\"3\" state=\"veryHidden\" r:id=\"rId3\"/></sheets>"
            + "<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'O''Neil 表'!$3:$4</definedName></definedNames>"
            + "<calcPr calcId=\"191029\"/></workbook>")
        // The first visible sheet is the selected tab.
        #expect(!p["xl/worksheets/sheet1.xml"]!.contains("tabSelected"))
        #expect(p["xl/worksheets/sheet2.xml"]!.contains("tabSelected=\"1\""))
        let ws = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
        #expect(p["xl/_rels/workbook.xml.rels"] == Self.decl
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(ws)\" Target=\"worksheets/sheet1.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"\(ws)\" Target=\"worksheets/sheet2.xml\"/>"
            + "<Relationship Id=\"rId3\" Type=\"\(ws)\" Target=\"worksheets/sheet3.xml\"/>"
            + "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            + "</Relationships>")
        let ct = p["[Content_Types].xml"]!
        for part in ["/xl/workbook.xml", "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet3.xml", "/xl/styles.xml",
                     "/xl/sharedStrings.xml", "/docProps/core.xml", "/docProps/app.xml"] {
            #expect(ct.contains("<Override PartName=\"\(part)\""), "\(part)")
        }
        #expect(ct.hasPrefix(Self.decl + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"))
        #expect(p["docProps/core.xml"]!.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">1980-01-01T00:00:00Z</dcterms:created>"))
        #expect(p["_rels/.rels"]!.contains("Target=\"xl/workbook.xml\""))
    }

    @Test func streamingRowsAndHeightOnlyRows() throws {
        let p = try Self.parts { w in
            try w.addSheet(SheetInfo(name: "S"), options: SheetOptions(rowHeights: [0: 20, 2: 21, 9: 22])) { s in
                try s.append(values: [.number(1)])           // row 1
                try s.append(Row(index: 4, cells: [Cell(col: 2, value: .number(5))]), height: 30)
                try s.append(values: [.number(6)])           // row 6
                s.merge(CellRange(a1: "A7:B8")!)
                s.merge(CellRange(a1: "C3")!)                 // single cell: ignored
            }
        }
        let xml = p["xl/worksheets/sheet1.xml"]!
        #expect(Self.sheetData(xml) == "<row r=\"1\" ht=\"20\" customHeight=\"1\"><c r=\"A1\"><v>1</v></c></row>"
            + "<row r=\"3\" ht=\"21\" customHeight=\"1\"/><row r=\"5\" ht=\"30\" customHeight=\"1\"><c r=\"C5\"><v>5</v></c></row>"
            + "<row r=\"6\"><c r=\"A6\"><v>6</v></c></row><row r=\"10\" ht=\"22\" customHeight=\"1\"/>")
        #expect(xml.contains("<mergeCells count=\"1\"><mergeCell ref=\"A7:B8\"/></mergeCells>"))
        #expect(!xml.contains("<dimension"))
    }

    // MARK: - Refusals

    @Test(arguments: ["", "a[1]", "a:b", "12345678901234567890123456789012", "'quoted'", "History", "tab\tname"])
    func badSheetNamesAreRefused(_ name: String) throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        #expect(throws: JixiaoError.self) { try w.addSheet(Grid(name: name, values: [])) }
    }

    @Test func duplicateNamesIgnoringCaseAreRefused() throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        try w.addSheet(Grid(name: "Sheet", values: []))
        let e = #expect(throws: JixiaoError.self) { try w.addSheet(Grid(name: "SHEET", values: [])) }
        #expect(e?.kind == .invalidValue)
        #expect(e?.location?.sheet == "SHEET")
    }

    @Test func overlappingMergesAreRefused() throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        let g = Grid(name: "S", values: [[.number(1)]], merged: [CellRange(a1: "A1:B3")!, CellRange(a1: "B3:C4")!])
        let e = #expect(throws: JixiaoError.self) { try w.addSheet(g) }
        #expect(e?.message.contains("A1:B3") == true)
        #expect(e?.message.contains("B3:C4") == true)
        // Touching but not overlapping is fine.
        let w2 = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        try w2.addSheet(Grid(name: "S", values: [], merged: [CellRange(a1: "A1:B3")!, CellRange(a1: "C1:C4")!, CellRange(a1: "A4:B4")!]))
    }

    @Test func rowsOutOfOrderAndUnsortedCellsAreRefused() throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        #expect(throws: JixiaoError.self) {
            try w.addSheet(SheetInfo(name: "S")) { s in
                try s.append(Row(index: 3, cells: [Cell(col: 0, value: .number(1))]))
                try s.append(Row(index: 3, cells: [Cell(col: 0, value: .number(1))]))
            }
        }
        let w2 = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        let e = #expect(throws: JixiaoError.self) {
            try w2.addSheet(SheetInfo(name: "S")) { s in
                try s.append(Row(index: 0, cells: [Cell(col: 2, value: .number(1)), Cell(col: 1, value: .number(1))]))
            }
        }
        #expect(e?.location?.cell == CellRef(a1: "B1"))
    }

    @Test func overlongTextIsRefusedWithItsCell() throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        w.displayName = "out.xlsx"
        let e = #expect(throws: JixiaoError.self) {
            try w.addSheet(Grid(name: "S", values: [[.empty, .string(String(repeating: "长", count: 32_768))]]))
        }
        #expect(e?.location?.description == "out.xlsx!S!B1")
    }

    @Test func workbookWithoutVisibleSheetIsRefused() throws {
        let w = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        #expect(throws: JixiaoError.self) { _ = try w.finish() }
        let w2 = XLSXWriter(collectingPartsWith: XLSXWriterOptions())
        try w2.addSheet(Grid(info: SheetInfo(name: "h", visibility: .hidden), rows: []))
        #expect(throws: JixiaoError.self) { _ = try w2.finish() }
    }
}
