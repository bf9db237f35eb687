import SheetCore
import Testing
@testable import XLSXFormat

/// Byte-level sheet patching on small hand-written parts.
@Suite struct FillSheetPatchTests {
    let head = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#

    func patch(_ xml: String, _ updates: [CellUpdate]) throws -> (String, FillSheetPatcher.Result) {
        let r = try FillSheetPatcher.patch(Array(xml.utf8), part: "xl/worksheets/sheet1.xml", updates: updates)
        return (String(decoding: r.bytes, as: UTF8.self), r)
    }

    func u(_ a1: String, _ v: CellValue, _ f: String? = nil) -> CellUpdate {
        CellUpdate(ref: CellRef(a1: a1)!, value: v, formula: f)
    }

    @Test func replacesValueKeepsStyleAndOtherAttributes() throws {
        let xml = head + #"<sheetData><row r="3" spans="1:6"><c r="E3" s="4" t="n"><v>1</v></c><c r="F3" s="4" cm="1" t="n"><v>1</v></c></row></sheetData></worksheet>"#
        let (out, r) = try patch(xml, [u("F3", .number(0.5))])
        #expect(out == head + #"<sheetData><row r="3" spans="1:6"><c r="E3" s="4" t="n"><v>1</v></c><c r="F3" s="4" cm="1"><v>0.5</v></c></row></sheetData></worksheet>"#)
        #expect(r.written == 1 && r.inserted == 0 && !r.formulaTouched)
    }

    @Test func sharedStringCellBecomesInlineString() throws {
        let xml = head + #"<sheetData><row r="35"><c r="F35" s="2" t="s"><v>152</v></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("F35", .string("98.5分 <&>"))])
        #expect(out.contains(#"<c r="F35" s="2" t="inlineStr"><is><t>98.5分 &lt;&amp;&gt;</t></is></c>"#))
    }

    @Test func leadingSpaceIsPreserved() throws {
        let xml = head + #"<sheetData><row r="1"><c r="A1"/></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("A1", .string(" x"))])
        #expect(out.contains(#"<t xml:space="preserve"> x</t>"#))
    }

    @Test func formulaKeptWithNewCachedValue() throws {
        let xml = head + #"<sheetData><row r="35"><c r="F35" s="4"><f>SUM(F3:F34)</f><v>0</v></c></row></sheetData></worksheet>"#
        let (out, r) = try patch(xml, [u("F35", .number(97))])
        #expect(out.contains(#"<c r="F35" s="4"><f>SUM(F3:F34)</f><v>97</v></c>"#))
        #expect(r.formulaTouched)
    }

    @Test func newFormulaReplacesOldAndStringResultIsStr() throws {
        let xml = head + #"<sheetData><row r="2"><c r="B2" t="str"><f>A1&amp;"x"</f><v>ax</v></c></row></sheetData></worksheet>"#
        let (out, r) = try patch(xml, [u("B2", .string("99分"), #"SUM(F3:F4)&"分""#)])
        #expect(out.contains(#"<c r="B2" t="str"><f>SUM(F3:F4)&amp;"分"</f><v>99分</v></c>"#))
        #expect(r.formulaTouched)
    }

    @Test func newFormulaDropsOldCellMetadata() throws {
        let xml = head + #"<sheetData><row r="1"><c r="A1" s="2" cm="1"><f t="array" ref="A1">LEN(B1:B2)</f><v>3</v></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("A1", .number(4), "SUM(B1:B2)")])
        #expect(out.contains(#"<c r="A1" s="2"><f>SUM(B1:B2)</f><v>4</v></c>"#))
        let (kept, _) = try patch(xml, [u("A1", .number(4))])
        #expect(kept.contains(#"<c r="A1" s="2" cm="1"><f t="array" ref="A1">LEN(B1:B2)</f><v>4</v></c>"#))
    }

    @Test func sharedFormulaMasterIsNotReplaced() throws {
        let xml = head + #"<sheetData><row r="2"><c r="B2"><f t="shared" ref="B2:B9" si="0">A2</f><v>1</v></c></row></sheetData></worksheet>"#
        #expect(throws: JixiaoError.self) { try patch(xml, [u("B2", .number(2), "A2*2")]) }
        // Keeping the formula is fine.
        let (out, _) = try patch(xml, [u("B2", .number(2))])
        #expect(out.contains(#"<c r="B2"><f t="shared" ref="B2:B9" si="0">A2</f><v>2</v></c>"#))
    }

    @Test func insertsCellsInColumnOrderAndWidensSpans() throws {
        let xml = head + #"<dimension ref="A1:C2"/><sheetData><row r="2" spans="1:3"><c r="B2" s="1"><v>1</v></c><c r="C2"><v>2</v></c></row></sheetData></worksheet>"#
        let (out, r) = try patch(xml, [u("A2", .number(7)), u("E2", .number(9))])
        #expect(out == head + #"<dimension ref="A1:E2"/><sheetData><row r="2" spans="1:5"><c r="A2"><v>7</v></c><c r="B2" s="1"><v>1</v></c><c r="C2"><v>2</v></c><c r="E2"><v>9</v></c></row></sheetData></worksheet>"#)
        #expect(r.inserted == 2)
    }

    @Test func insertsRowsInRowOrder() throws {
        let xml = head + #"<sheetData><row r="2"><c r="A2"><v>1</v></c></row><row r="5"><c r="A5"><v>5</v></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("B1", .number(1)), u("C3", .bool(true)), u("A9", .error("#N/A"))])
        #expect(out == head + #"<sheetData><row r="1"><c r="B1"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="C3" t="b"><v>1</v></c></row><row r="5"><c r="A5"><v>5</v></c></row><row r="9"><c r="A9" t="e"><v>#N/A</v></c></row></sheetData></worksheet>"#)
    }

    @Test func emptySheetDataAndEmptyRow() throws {
        let xml = head + #"<sheetData/></worksheet>"#
        let (out, _) = try patch(xml, [u("B2", .number(3))])
        #expect(out == head + #"<sheetData><row r="2"><c r="B2"><v>3</v></c></row></sheetData></worksheet>"#)
        let xml2 = head + #"<sheetData><row r="4" spans="2:2" ht="20" customHeight="1"/></sheetData></worksheet>"#
        let (out2, _) = try patch(xml2, [u("D4", .number(3))])
        #expect(out2 == head + #"<sheetData><row r="4" spans="2:4" ht="20" customHeight="1"><c r="D4"><v>3</v></c></row></sheetData></worksheet>"#)
    }

    @Test func prefixedElementsAndImplicitReferences() throws {
        let xml = #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c s="3"><x:v>2</x:v></x:c></x:row><x:row><x:c t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
        let (out, _) = try patch(xml, [u("B1", .string("新")), u("A2", .number(4)), u("C2", .number(5))])
        #expect(out == #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c s="3" t="inlineStr"><x:is><x:t>新</x:t></x:is></x:c></x:row><x:row><x:c><x:v>4</x:v></x:c><x:c r="C2"><x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>"#)
    }

    @Test func newCellTakesColumnOrRowStyle() throws {
        let xml = head + #"<cols><col min="6" max="6" width="6" style="7" customWidth="1"/></cols><sheetData><row r="1"><c r="A1"/></row><row r="2" s="9" customFormat="1"><c r="A2"/></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("F1", .number(1)), u("F2", .number(2)), u("F3", .number(3))])
        #expect(out.contains(#"<c r="F1" s="7"><v>1</v></c>"#))
        #expect(out.contains(#"<c r="F2" s="9"><v>2</v></c>"#))
        #expect(out.contains(#"<row r="3"><c r="F3" s="7"><v>3</v></c></row>"#))
    }

    @Test func extLstStaysLastInCell() throws {
        let xml = head + #"<sheetData><row r="1"><c r="A1" vm="1" t="e"><v>#VALUE!</v><extLst><ext uri="x"/></extLst></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("A1", .number(2))])
        #expect(out.contains(#"<c r="A1"><v>2</v><extLst><ext uri="x"/></extLst></c>"#))
    }

    @Test func commentsCDATAAndQuotedGreaterThanAreSkipped() throws {
        let xml = head + #"<!-- <row r="1"> --><sheetData><row r="1" x="a>b"><c r="A1" t="inlineStr"><is><t><![CDATA[</c>]]></t></is></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("A1", .number(1))])
        #expect(out.contains(#"<row r="1" x="a>b"><c r="A1"><v>1</v></c></row>"#))
    }

    @Test func untouchedBytesStayIdentical() throws {
        let xml = head + "<sheetData>\n  <row r=\"1\">\n    <c r='A1'   s = \"2\"><v>1</v></c>\n  </row>\n</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>"
        let (out, _) = try patch(xml, [u("A1", .number(3))])
        #expect(out == head + "<sheetData>\n  <row r=\"1\">\n    <c r='A1'   s = \"2\"><v>3</v></c>\n  </row>\n</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>")
        // No updates: byte-identical.
        let (same, _) = try patch(xml, [])
        #expect(same == xml)
    }

    @Test func malformedPartsAreErrorsNotCrashes() throws {
        for bad in [head + "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v>",
                    head + "</worksheet>",
                    head + "<sheetData><row r=\"2\"/><row r=\"1\"><c r=\"A1\"></row></sheetData></worksheet>",
                    head + "<sheetData><row r=\"2\"/><row r=\"1\"><c r=\"A1\"/>",
                    head + "<sheetData><row r=\"1\"><c r=\"A1\"", "<"] {
            #expect(throws: JixiaoError.self) { try patch(bad, [u("A1", .number(1))]) }
        }
    }

    @Test func doctypeAndUTF16AreRefused() throws {
        let dtd = #"<!DOCTYPE x [<!ENTITY a "b">]>"# + head + "<sheetData/></worksheet>"
        do {
            _ = try patch(dtd, [u("A1", .number(1))])
            Issue.record("expected a refusal")
        } catch let e as JixiaoError {
            #expect(e.kind == .unsafe && e.location?.part == "xl/worksheets/sheet1.xml")
        }
        let utf16: [UInt8] = [0xFF, 0xFE] + Array((head + "<sheetData/></worksheet>").utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: JixiaoError.self) { try FillSheetPatcher.patch(utf16, part: "p", updates: [u("A1", .number(1))]) }
        // A UTF-8 byte-order mark is fine.
        let bom = "\u{FEFF}" + head + "<sheetData/></worksheet>"
        let (out, _) = try patch(bom, [u("A1", .number(1))])
        #expect(out.hasSuffix(#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#))
    }

    @Test func unreadableReferencesCountAsAbsentLikeTheReader() throws {
        let xml = head + #"<sheetData><row r="x"><c r="0"><v>1</v></c><c r="??"><v>2</v></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("B1", .number(9))])
        #expect(out == head + #"<sheetData><row r="x"><c r="0"><v>1</v></c><c r="??"><v>9</v></c></row></sheetData></worksheet>"#)
    }

    @Test func rowsOutOfOrderArePatchedWhereTheReaderReads() throws {
        // Rows 5, 2, 3 (some writers emit rows in the order they were touched): F2 replaced in place, F5 inserted
        // into row 5 in column order, row 4 inserted before the first row past it (row 5), row 9 at the end.
        let xml = head + #"<sheetData><row r="5" spans="1:2"><c r="A5"><v>5</v></c><c r="G5"/></row><row r="2"><c r="F2" s="3"/></row><row r="3"/></sheetData></worksheet>"#
        let (out, r) = try patch(xml, [u("F2", .number(2)), u("B3", .number(3)), u("D4", .number(4)), u("F5", .number(5)), u("A9", .number(9))])
        #expect(out == head + #"<sheetData><row r="4"><c r="D4"><v>4</v></c></row><row r="5" spans="1:6"><c r="A5"><v>5</v></c><c r="F5"><v>5</v></c><c r="G5"/></row><row r="2"><c r="F2" s="3"><v>2</v></c></row><row r="3"><c r="B3"><v>3</v></c></row><row r="9"><c r="A9"><v>9</v></c></row></sheetData></worksheet>"#)
        #expect(r.written == 5 && r.inserted == 4)
    }

    @Test func repeatedRowsAndCellsPatchTheLastOccurrence() throws {
        // The reader keeps the later of repeated cells: that one is replaced, the earlier stays as it was.
        let xml = head + #"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="A1" s="2"><v>2</v></c></row><row r="1"><c r="B1"><v>3</v></c></row><row r="1"><c r="B1"><v>4</v></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("A1", .number(10)), u("B1", .number(20)), u("C1", .number(30))])
        #expect(out == head + #"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="A1" s="2"><v>10</v></c></row><row r="1"><c r="B1"><v>3</v></c></row><row r="1"><c r="B1"><v>20</v></c><c r="C1"><v>30</v></c></row></sheetData></worksheet>"#)
    }

    @Test func cellsOutOfColumnOrderOrNamingAnotherRow() throws {
        // C1 before A1 (the reader sorts them); B5 written inside row 1 (the reader puts it in row 5).
        let xml = head + #"<sheetData><row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="B5"><v>5</v></c></row></sheetData></worksheet>"#
        let (out, _) = try patch(xml, [u("A1", .number(10)), u("B1", .number(20)), u("B5", .number(50)), u("D1", .number(40))])
        #expect(out == head + #"<sheetData><row r="1"><c r="B1"><v>20</v></c><c r="C1"><v>3</v></c><c r="A1"><v>10</v></c><c r="B5"><v>50</v></c><c r="D1"><v>40</v></c></row></sheetData></worksheet>"#)
        let grid = try FillPropertyTests.read(Array(out.utf8))
        #expect(grid.cell(at: CellRef(a1: "A1")!)?.value == .number(10))
        #expect(grid.cell(at: CellRef(a1: "B1")!)?.value == .number(20))
        #expect(grid.cell(at: CellRef(a1: "D1")!)?.value == .number(40))
        #expect(grid.cell(at: CellRef(a1: "B5")!)?.value == .number(50))
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        let xml = head + #"<sheetData/></worksheet>"#
        #expect(throws: JixiaoError.self) { try patch(xml, [u("A1", .number(.nan))]) }
    }

    @Test func escapingOfControlCharactersAndLiteralEscapes() {
        #expect(String(decoding: FillXML.escape("a\u{1}b_x0041_c\r"), as: UTF8.self) == "a_x0001_b_x005F_x0041_c&#13;")
        #expect(FillXML.unescape(ArraySlice(Array("&apos;a&amp;b&#x4E2D;&#25991;".utf8))) == "'a&b中文")
    }
}
