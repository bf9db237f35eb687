import Foundation
@testable import XLSXFormat

/// Builds the parts of a small XLSX package in memory, for reader tests without ZIP.
struct PackageBuilder {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let strictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let strictRel = "http://purl.oclc.org/ooxml/officeDocument/relationships"

    var parts: [String: [UInt8]] = [:]

    /// A package with one worksheet whose `<sheetData>` content is `rows` (and `extra` after it).
    static func oneSheet(_ rows: String, extra: String = "", sst: [String]? = nil, styles: String? = nil,
                         date1904: Bool = false) -> PackageBuilder {
        var p = PackageBuilder()
        p.standard(sheets: [("Sheet1", nil, "worksheet")], date1904: date1904)
        p.parts["xl/worksheets/sheet1.xml"] = Array(#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\#(main)"><sheetData>\#(rows)</sheetData>\#(extra)</worksheet>"#.utf8)
        if let sst {
            p.parts["xl/sharedStrings.xml"] = Array(#"<sst xmlns="\#(main)">\#(sst.map { "<si>\($0)</si>" }.joined())</sst>"#.utf8)
        }
        if let styles {
            p.parts["xl/styles.xml"] = Array(#"<styleSheet xmlns="\#(main)">\#(styles)</styleSheet>"#.utf8)
        }
        return p
    }

    /// Content types, package rels, workbook and its rels for sheets `(name, state, kind)` at
    /// `xl/<kind>s/sheetN.xml`; sharedStrings and styles rels.
    mutating func standard(sheets: [(String, String?, String)], date1904: Bool = false) {
        parts["[Content_Types].xml"] = Array(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.utf8)
        parts["_rels/.rels"] = Array(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(PackageBuilder.rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8)
        var wb = #"<workbook xmlns="\#(PackageBuilder.main)" xmlns:r="\#(PackageBuilder.rel)">"#
        if date1904 { wb += #"<workbookPr date1904="1"/>"# }
        wb += "<sheets>"
        var rels = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for (i, s) in sheets.enumerated() {
            let state = s.1.map { #" state="\#($0)""# } ?? ""
            wb += #"<sheet name="\#(s.0)" sheetId="\#(i + 1)"\#(state) r:id="rId\#(i + 1)"/>"#
            let type = s.2 == "macrosheet" ? "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" : "\(PackageBuilder.rel)/\(s.2)"
            rels += #"<Relationship Id="rId\#(i + 1)" Type="\#(type)" Target="\#(s.2)s/sheet\#(i + 1).xml"/>"#
        }
        wb += "</sheets></workbook>"
        rels += #"<Relationship Id="rIdS" Type="\#(PackageBuilder.rel)/sharedStrings" Target="sharedStrings.xml"/>"#
        rels += #"<Relationship Id="rIdT" Type="\#(PackageBuilder.rel)/styles" Target="styles.xml"/>"#
        rels += "</Relationships>"
        parts["xl/workbook.xml"] = Array(wb.utf8)
        parts["xl/_rels/workbook.xml.rels"] = Array(rels.utf8)
    }

    func reader() throws -> XLSXReader { try XLSXReader(parts: parts) }
}

import ZipArchive

extension PackageBuilder {
    /// The package as XLSX (ZIP) bytes.
    func xlsxBytes() throws -> [UInt8] {
        var w = ZipWriter()
        for name in parts.keys.sorted() { try w.add(name, parts[name]!) }
        return try w.finish()
    }
}
