import SheetCore
import XMLStream

// The fixed package parts and the parts of a worksheet around its rows. Element order follows the schema
// sequences of ECMA-376 Part 1 (CT_Worksheet, CT_Workbook), which Excel enforces.

enum Namespace {
    static let main: StaticString = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel: StaticString = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRel: StaticString = "http://schemas.openxmlformats.org/package/2006/relationships"
}

extension XLSXWriter {
    // MARK: - Worksheet

    func writeWorksheetStart(_ w: XMLWriter, options: SheetOptions, selected: Bool) {
        w.declaration()
        w.start("worksheet")
        w.attribute("xmlns", raw: Namespace.main)
        w.attribute("xmlns:r", raw: Namespace.rel)
        w.endStart()
        if let p = options.print, p.fitToWidth {
            w.raw("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>")
        }
        if let d = options.dimension {
            w.start("dimension")
            w.attribute("ref", d.first == d.last ? d.first.a1 : d.a1)
            w.endEmpty()
        }
        w.raw("<sheetViews><sheetView")
        if !options.showGridLines { w.raw(" showGridLines=\"0\"") }
        if selected { w.raw(" tabSelected=\"1\"") }
        w.raw(" workbookViewId=\"0\"")
        if let f = options.freeze, f.row > 0 || f.col > 0 {
            w.endStart()
            let pane: StaticString = f.row > 0 && f.col > 0 ? "bottomRight" : f.row > 0 ? "bottomLeft" : "topRight"
            w.start("pane")
            if f.col > 0 { w.attribute("xSplit", Int(f.col)) }
            if f.row > 0 { w.attribute("ySplit", Int(f.row)) }
            w.attribute("topLeftCell", f.a1)
            w.attribute("activePane", raw: pane)
            w.attribute("state", raw: "frozen")
            w.endEmpty()
            w.start("selection")
            w.attribute("pane", raw: pane)
            w.attribute("activeCell", f.a1)
            w.attribute("sqref", f.a1)
            w.endEmpty()
            w.raw("</sheetView></sheetViews>")
        } else {
            w.raw("/></sheetViews>")
        }
        w.raw("<sheetFormatPr defaultRowHeight=\"13.5\"/>")
        let widths = options.columnWidths.sorted { $0.key < $1.key }
        if !widths.isEmpty {
            w.raw("<cols>")
            var i = 0
            while i < widths.count {
                var j = i
                while j + 1 < widths.count, widths[j + 1].key == widths[j].key + 1, widths[j + 1].value == widths[i].value {
                    j += 1
                }
                w.start("col")
                w.attribute("min", Int(widths[i].key) + 1)
                w.attribute("max", Int(widths[j].key) + 1)
                w.attribute("width", min(max(widths[i].value, 0), 255))  // Excel: 0…255 characters
                w.raw(" customWidth=\"1\"")
                w.endEmpty()
                i = j + 1
            }
            w.raw("</cols>")
        }
        w.raw("<sheetData>")
    }

    func writeWorksheetEnd(_ w: XMLWriter, sheet: SheetStream, options: SheetOptions, file: String) throws {
        let merged = sheet.merged.sorted()
        try XLSXWriter.checkOverlaps(merged, at: Location(file: file, sheet: sheet.name))
        if !merged.isEmpty {
            w.start("mergeCells")
            w.attribute("count", merged.count)
            w.endStart()
            for m in merged {
                w.start("mergeCell")
                w.attribute("ref", m.a1)
                w.endEmpty()
                try w.flushIfNeeded()
            }
            w.close("mergeCells")
        }
        if let p = options.print {
            if p.centerHorizontally { w.raw("<printOptions horizontalCentered=\"1\"/>") }
            w.start("pageMargins")
            w.attribute("left", p.marginLeft)
            w.attribute("right", p.marginRight)
            w.attribute("top", p.marginTop)
            w.attribute("bottom", p.marginBottom)
            w.attribute("header", 0.3)
            w.attribute("footer", 0.3)
            w.endEmpty()
            w.start("pageSetup")
            w.attribute("paperSize", p.paperSize)
            if p.fitToWidth { w.raw(" fitToHeight=\"0\"") }
            w.attribute("orientation", p.orientation.rawValue)
            w.endEmpty()
        } else {
            w.raw("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>")
        }
        w.raw("</worksheet>")
    }

    /// Refuses overlapping merged ranges (Excel "repairs" such a file by dropping them). `ranges` sorted.
    static func checkOverlaps(_ ranges: [CellRange], at location: Location) throws {
        // Sweep by first row; keep the ranges still open at the current row.
        var open: [CellRange] = []
        for r in ranges {
            open.removeAll { $0.last.row < r.first.row }
            if let o = open.first(where: { $0.first.col <= r.last.col && r.first.col <= $0.last.col }) {
                throw JixiaoError(.invalidValue, "merged ranges \(o.a1) and \(r.a1) overlap (合并单元格区域重叠)",
                                  at: location)
            }
            open.append(r)
        }
    }

    // MARK: - Package parts

    func contentTypes(_ w: XMLWriter) {
        w.declaration()
        w.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        w.raw("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        w.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        w.raw("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>")
        for s in sheets {
            w.start("Override")
            w.attribute("PartName", "/" + s.part)
            w.attribute("ContentType", raw: "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
            w.endEmpty()
        }
        w.raw("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>")
        if hasSharedStrings {
            w.raw("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>")
        }
        w.raw("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>")
        w.raw("<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>")
        w.raw("</Types>")
    }

    func rootRelationships(_ w: XMLWriter) {
        w.declaration()
        w.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        w.raw("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>")
        w.raw("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>")
        w.raw("<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>")
        w.raw("</Relationships>")
    }

    func appProperties(_ w: XMLWriter) {
        w.declaration()
        w.raw("<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">")
        w.raw("<Application>jixiao</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>")
        w.raw("<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>")
        w.raw("</Properties>")
    }

    func coreProperties(_ w: XMLWriter) {
        w.declaration()
        w.raw("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
        w.element("dc:creator", text: options.creator)
        w.element("cp:lastModifiedBy", text: options.creator)
        w.raw("<dcterms:created xsi:type=\"dcterms:W3CDTF\">")
        w.text(options.timestamp)
        w.raw("</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">")
        w.text(options.timestamp)
        w.raw("</dcterms:modified></cp:coreProperties>")
    }

    func workbookPart(_ w: XMLWriter) {
        w.declaration()
        w.start("workbook")
        w.attribute("xmlns", raw: Namespace.main)
        w.attribute("xmlns:r", raw: Namespace.rel)
        w.endStart()
        w.raw(options.date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>")
        let active = sheets.firstIndex { $0.info.visibility == .visible } ?? 0
        w.raw("<bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"12300\"")
        if active > 0 { w.attribute("firstSheet", active); w.attribute("activeTab", active) }
        w.raw("/></bookViews><sheets>")
        for (i, s) in sheets.enumerated() {
            w.start("sheet")
            w.attribute("name", s.info.name)
            w.attribute("sheetId", i + 1)
            switch s.info.visibility {
            case .visible: break
            case .hidden: w.attribute("state", raw: "hidden")
            case .veryHidden: w.attribute("state", raw: "veryHidden")
            }
            w.attribute("r:id", "rId\(i + 1)")
            w.endEmpty()
        }
        w.raw("</sheets>")
        let titles = sheets.enumerated().compactMap { i, s in s.titleRows.map { (i, s.info.name, $0) } }
        if !titles.isEmpty {
            w.raw("<definedNames>")
            for (i, name, rows) in titles {
                w.start("definedName")
                w.attribute("name", raw: "_xlnm.Print_Titles")
                w.attribute("localSheetId", i)
                w.endStart()
                w.text("'\(name.replacingOccurrences(of: "'", with: "''"))'!$\(rows.lowerBound + 1):$\(rows.upperBound + 1)")
                w.close("definedName")
            }
            w.raw("</definedNames>")
        }
        w.raw(hasFormulas ? "<calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/>" : "<calcPr calcId=\"191029\"/>")
        w.raw("</workbook>")
    }

    func workbookRelationships(_ w: XMLWriter) {
        w.declaration()
        w.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        for (i, s) in sheets.enumerated() {
            w.start("Relationship")
            w.attribute("Id", "rId\(i + 1)")
            w.attribute("Type", raw: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet")
            w.attribute("Target", String(s.part.dropFirst(3)))  // relative to xl/
            w.endEmpty()
        }
        var n = sheets.count + 1
        w.start("Relationship")
        w.attribute("Id", "rId\(n)")
        w.attribute("Type", raw: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles")
        w.attribute("Target", raw: "styles.xml")
        w.endEmpty()
        if hasSharedStrings {
            n += 1
            w.start("Relationship")
            w.attribute("Id", "rId\(n)")
            w.attribute("Type", raw: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings")
            w.attribute("Target", raw: "sharedStrings.xml")
            w.endEmpty()
        }
        w.raw("</Relationships>")
    }
}
