import SheetCore

extension FillNewSheet {
    /// The worksheet part for this sheet: header row frozen, inline strings, internal hyperlinks. Uses the
    /// default cell format only, so that styles.xml stays byte-identical.
    /// `headerStyle` and `linkStyle` are cell-format indexes for the first row and the linked cells.
    func worksheetXML(strict: Bool = false, headerStyle: Int? = nil, linkStyle: Int? = nil) throws -> [UInt8] {
        let linked = Set(links.map(\.ref))
        var out: [UInt8] = []
        func w(_ s: String) { out += Array(s.utf8) }
        w(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        w("\n")
        if strict {
            w(#"<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships">"#)
        } else {
            w(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        }
        let width = rows.map(\.count).max() ?? 0
        if width > 0, !rows.isEmpty {
            let last = CellRef(row: UInt32(rows.count - 1), col: UInt16(width - 1))
            w("<dimension ref=\"A1:\(last.a1)\"/>")
        } else {
            w("<dimension ref=\"A1\"/>")
        }
        w("<sheetViews><sheetView workbookViewId=\"0\">")
        if rows.count > 1 {
            w("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>")
        }
        w("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if !columnWidths.isEmpty {
            w("<cols>")
            for (i, cw) in columnWidths.enumerated() where cw.isFinite && cw > 0 {
                w("<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(CellValue.format(min(cw, 255)))\" customWidth=\"1\"/>")
            }
            w("</cols>")
        }
        w("<sheetData>")
        for (r, values) in rows.enumerated() {
            guard values.contains(where: { !$0.isEmpty }) else { continue }
            w("<row r=\"\(r + 1)\">")
            for (c, v) in values.enumerated() where !v.isEmpty {
                let cellRef = CellRef(row: UInt32(r), col: UInt16(c))
                let style = r == 0 ? headerStyle : (linked.contains(cellRef) ? linkStyle : nil)
                let attrs = "r=\"\(cellRef.a1)\"" + (style.map { " s=\"\($0)\"" } ?? "")
                switch v {
                case .empty: break
                case .string(let s):
                    w("<c \(attrs) t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                    out += FillXML.escape(s)
                    w("</t></is></c>")
                case .number(let d):
                    w("<c \(attrs)><v>"); out += try FillXML.number(d); w("</v></c>")
                case .date(let d):
                    w("<c \(attrs)><v>"); out += try FillXML.number(d.serial); w("</v></c>")
                case .bool(let b):
                    w("<c \(attrs) t=\"b\"><v>\(b ? 1 : 0)</v></c>")
                case .error(let e):
                    w("<c \(attrs) t=\"e\"><v>"); out += FillXML.escape(e); w("</v></c>")
                }
            }
            w("</row>")
        }
        w("</sheetData>")
        if !links.isEmpty {
            w("<hyperlinks>")
            for l in links {
                w("<hyperlink ref=\"\(l.ref.a1)\" location=\"")
                out += FillXML.escape(l.location, attribute: true)
                w("\"")
                if let tip = l.tooltip {
                    w(" tooltip=\""); out += FillXML.escape(tip, attribute: true); w("\"")
                }
                w("/>")
            }
            w("</hyperlinks>")
        }
        w(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#)
        w("</worksheet>")
        return out
    }

    /// Excel's rules for a sheet name: 1–31 characters, none of `[]:*?/\`, not starting or ending with `'`.
    static func validate(name: String) throws {
        let bad: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        guard !name.isEmpty, name.count <= 31, !name.contains(where: { bad.contains($0) }),
              !name.hasPrefix("'"), !name.hasSuffix("'") else {
            throw JixiaoError(.invalidValue, "\"\(name)\" cannot be a sheet name (1-31 characters, none of []:*?/\\)")
        }
    }
}
