import SheetCore
import Testing
@testable import XLSXFormat

/// Issue 8: the workbook's relationships are held in memory; a rels part listing far more targets than the archive
/// may have entries (250,000 in a 1.4 MB file took 160 MB) is refused, naming the limit.
@Suite struct RelationshipLimitTests {
    @Test func moreRelationshipsThanEntriesAreRefused() throws {
        var p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        let extra = (0..<20).map { #"<Relationship Id="rX\#($0)" Type="\#(PackageBuilder.rel)/worksheet" Target="worksheets/s\#($0).xml"/>"# }.joined()
        let rels = String(decoding: p.parts["xl/_rels/workbook.xml.rels"]!, as: UTF8.self)
        p.parts["xl/_rels/workbook.xml.rels"] = Array(rels.replacingOccurrences(of: "</Relationships>", with: extra + "</Relationships>").utf8)
        var limits = ReadLimits()
        limits.maxZipEntries = 20
        let e = #expect(throws: JixiaoError.self) { try XLSXReader(parts: p.parts, limits: limits).readWorkbook() }
        #expect(e?.kind == .limitExceeded && e?.message.contains("maxZipEntries") == true, "\(String(describing: e))")
        #expect(e?.location?.part == "xl/_rels/workbook.xml.rels", "\(String(describing: e))")
        // 23 relationships are fine under a limit of 23.
        limits.maxZipEntries = 23
        #expect(try XLSXReader(parts: p.parts, limits: limits).readWorkbook().sheets.count == 1)
    }
}

/// A ZIP named .xlsx that is no workbook says what it is: it used to be "no indicator table in any sheet ()"
/// for a Word file, or "no _rels/.rels and no xl/workbook.xml" for an ODS or a ZIP of workbooks.
@Suite struct OtherPackageTests {
    static let pkgRels = "http://schemas.openxmlformats.org/package/2006/relationships"

    func message(_ parts: [String: String]) -> String? {
        let p = parts.mapValues { Array($0.utf8) }
        do {
            _ = try XLSXReader(parts: p).readWorkbook()
            return nil
        } catch let e as JixiaoError {
            #expect(e.kind == .notAWorkbook, "\(e)")
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func wordOdsAndZipsOfWorkbooks() {
        let word = message([
            "_rels/.rels": #"<Relationships xmlns="\#(Self.pkgRels)"><Relationship Id="rId1" Type="\#(PackageBuilder.rel)/officeDocument" Target="word/document.xml"/></Relationships>"#,
            "word/document.xml": #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>"#])
        #expect(word?.contains("Word document") == true, "\(String(describing: word))")
        let ods = message(["mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"])
        #expect(ods?.contains("OpenDocument") == true && ods?.contains("save it as .xlsx") == true, "\(String(describing: ods))")
        let zip = message(["城区/教育局.xlsx": "x", "城区/卫健委.xlsx": "x", "说明.txt": "x"])
        #expect(zip?.contains("ZIP archive holding 2 spreadsheet files") == true && zip?.contains("教育局.xlsx") == true,
                "\(String(describing: zip))")
    }

    @Test func realWorkbooksAreNotMistaken() throws {
        // A workbook that embeds a Word document and a workbook (xl/embeddings) is still read.
        var p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        p.parts["xl/embeddings/Microsoft_Word_Document.docx"] = [0x50, 0x4B]
        p.parts["xl/embeddings/Microsoft_Excel_Worksheet.xlsx"] = [0x50, 0x4B]
        #expect(try p.reader().readWorkbook().sheets.count == 1)
    }
}
