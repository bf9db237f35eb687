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
