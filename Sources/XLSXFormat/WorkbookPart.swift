import SheetCore
import XMLStream

/// A `<sheet>` entry of the workbook part with its relationship resolved.
struct SheetEntry {
    var info: SheetInfo
    /// The sheet's part name (nil when its relationship is missing).
    var part: String?
}

/// What the reader needs from `workbook.xml`: sheets in order, their states and r:ids, and the date system.
struct WorkbookPart {
    struct RawSheet {
        var name: String
        var state: String?
        var rid: String?
    }

    var sheets: [RawSheet] = []
    var date1904 = false

    static func parse(_ bytes: [UInt8], location: Location, limits: ReadLimits) throws -> WorkbookPart {
        let d = Delegate()
        try XMLPushParser.parse(bytes, delegate: d, location: location, limits: limits)
        return d.result
    }

    private final class Delegate: XMLStreamDelegate {
        var result = WorkbookPart()
        var inSheets = false
        func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
            if name.is("sheets") {
                inSheets = true
            } else if name.is("sheet") && inSheets {
                var s = RawSheet(name: "", state: nil, rid: nil)
                for a in attributes {
                    if a.is("name") && a.prefix.isEmpty {
                        s.name = a.value
                    } else if a.is("state") && a.prefix.isEmpty {
                        s.state = a.value
                    } else if a.is("id") && !a.prefix.isEmpty {
                        // r:id (any prefix bound to the relationships namespace)
                        s.rid = a.value
                    }
                }
                result.sheets.append(s)
            } else if name.is("workbookPr") {
                if let v = attributes.value("date1904") {
                    result.date1904 = v == "1" || v.lowercased() == "true"
                }
            }
        }
        func endElement(_ name: XMLName) throws {
            if name.is("sheets") { inSheets = false }
        }
        func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
    }
}

extension SheetVisibility {
    /// `state` attribute of `<sheet>`: visible (default), hidden, veryHidden (any case).
    init(state: String?) {
        switch state?.lowercased() {
        case "hidden": self = .hidden
        case "veryhidden": self = .veryHidden
        default: self = .visible
        }
    }
}

extension SheetKind {
    /// From the last segment of a relationship type.
    init?(relationshipKind kind: Substring) {
        switch kind {
        case "worksheet": self = .worksheet
        case "chartsheet": self = .chartsheet
        case "dialogsheet": self = .dialogsheet
        case "xlMacrosheet", "xlIntlMacrosheet", "macrosheet": self = .macrosheet
        default: return nil
        }
    }

    /// From the part's folder as a last resort (`xl/chartsheets/sheet1.xml`).
    init(partName: String) {
        let p = partName.lowercased()
        if p.contains("chartsheets/") { self = .chartsheet }
        else if p.contains("dialogsheets/") { self = .dialogsheet }
        else if p.contains("macrosheets/") { self = .macrosheet }
        else { self = .worksheet }
    }
}
