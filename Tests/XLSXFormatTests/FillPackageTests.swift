import SheetCore
import Testing
@testable import XLSXFormat

/// Package-level patches (workbook, relationships, content types) on hand-written parts.
@Suite struct FillPackageTests {
    struct MemoryPackage: ZipReaderLike {
        var parts: [String: String]
        var entryNames: [String] { parts.keys.sorted() }
        func readPart(_ name: String) throws -> [UInt8]? {
            let key = FillPackage.normalise(name)
            return parts.first { FillPackage.normalise($0.key) == key }.map { Array($0.value.utf8) }
        }
    }

    static let contentTypes = #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>"#
    static let rootRels = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    static let workbook = #"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="附件2" sheetId="3" rel:id="rId7"/><x:sheet name="图表" sheetId="4" rel:id="rId2"/></x:sheets></x:workbook>"#
    static let workbookRels = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>"#

    func package(workbook: String = workbook) throws -> FillPackage {
        let mem = MemoryPackage(parts: ["[Content_Types].xml": Self.contentTypes, "_rels/.rels": Self.rootRels,
                                        "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": Self.workbookRels,
                                        "xl/worksheets/sheet1.xml": "<worksheet/>", "xl/calcChain.xml": "<calcChain/>"])
        return try FillPackage(reader: mem, file: "t.xlsx")
    }

    @Test func findsSheetsThroughRelationships() throws {
        let p = try package()
        #expect(p.sheets.map(\.name) == ["附件2", "图表"])
        #expect(p.sheets[0].part == "xl/worksheets/sheet1.xml" && p.sheets[0].isWorksheet)
        #expect(p.sheets[1].part == "xl/chartsheets/sheet1.xml" && !p.sheets[1].isWorksheet)
        #expect(p.calcChain?.part == "xl/calcChain.xml" && p.calcChain?.relId == "rId9")
        #expect(p.relationshipsPrefix() == "rel")
    }

    @Test func dropsCalcChainMinimally() throws {
        var p = try package()
        try p.dropCalcChain()
        let rels = String(decoding: p.workbookRels, as: UTF8.self)
        let ct = String(decoding: p.contentTypes, as: UTF8.self)
        #expect(rels == Self.workbookRels.replacingOccurrences(of: #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>"#, with: ""))
        #expect(ct == Self.contentTypes.replacingOccurrences(of: #"<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>"#, with: ""))
    }

    @Test func addsAWorksheetWithUniqueNamesAndIds() throws {
        var p = try package()
        let part = try p.addWorksheet(named: "校验结果")
        #expect(part == "xl/worksheets/sheet3.xml")
        let wb = String(decoding: p.workbook, as: UTF8.self)
        #expect(wb.contains(#"<x:sheet name="图表" sheetId="4" rel:id="rId2"/><x:sheet name="校验结果" sheetId="5" rel:id="rId10"/></x:sheets>"#))
        let rels = String(decoding: p.workbookRels, as: UTF8.self)
        #expect(rels.hasSuffix(#"<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/></Relationships>"#))
        let ct = String(decoding: p.contentTypes, as: UTF8.self)
        #expect(ct.hasSuffix(#"<Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#))
    }

    @Test func declaresTheRelationshipsNamespaceWhenTheRootDoesNot() throws {
        let wb = #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="A" sheetId="1" r:id="rId7"/></sheets></workbook>"#
        var p = try package(workbook: wb)
        _ = try p.addWorksheet(named: "B&C")
        #expect(String(decoding: p.workbook, as: UTF8.self).contains(#"<sheet name="B&amp;C" sheetId="2" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId10"/></sheets>"#))
    }

    @Test func strictWorkbooksGetStrictNames() throws {
        let wb = #"<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId7"/></sheets></workbook>"#
        var p = try package(workbook: wb)
        #expect(p.strict && p.relationshipsPrefix() == "r")
        _ = try p.addWorksheet(named: "B")
        #expect(String(decoding: p.workbookRels, as: UTF8.self).contains(#"Type="http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet""#))
        let xml = String(decoding: try FillNewSheet(name: "B", rows: []).worksheetXML(strict: true), as: UTF8.self)
        #expect(xml.contains(#"<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main""#))
    }

    @Test func resolvesTargets() {
        #expect(FillPackage.resolve("/xl/worksheets/sheet1.xml", base: "xl/") == "xl/worksheets/sheet1.xml")
        #expect(FillPackage.resolve("worksheets/sheet%201.xml", base: "xl/") == "xl/worksheets/sheet 1.xml")
        #expect(FillPackage.resolve("../media/./i.png", base: "xl/drawings/") == "xl/media/i.png")
        #expect(FillPackage.resolve("worksheets\\sheet2.xml", base: "xl/") == "xl/worksheets/sheet2.xml")
    }

    @Test func missingPartsAreCorruptErrors() {
        let mem = MemoryPackage(parts: ["[Content_Types].xml": Self.contentTypes])
        #expect(throws: JixiaoError.self) { try FillPackage(reader: mem, file: "t.xlsx") }
    }

    @Test func newSheetXMLHasLinksAndEscapes() throws {
        let sheet = FillNewSheet(name: "校验结果", rows: [[.string("级别"), .string("单元格")],
                                                       [.string("错误"), .string("F23 <x>")]],
                                 links: [FillLink(ref: CellRef(a1: "B2")!, location: FillLink.location(sheet: "Bob's", cell: CellRef(a1: "F23")!))],
                                 columnWidths: [8, 12])
        let xml = String(decoding: try sheet.worksheetXML(), as: UTF8.self)
        #expect(xml.contains(#"<hyperlink ref="B2" location="'Bob''s'!F23"/>"#))
        #expect(xml.contains(#"<dimension ref="A1:B2"/>"#))
        #expect(xml.contains("F23 &lt;x&gt;"))
        #expect(throws: JixiaoError.self) { try FillNewSheet.validate(name: "a/b") }
        #expect(throws: JixiaoError.self) { try FillNewSheet.validate(name: String(repeating: "长", count: 32)) }
    }
}
