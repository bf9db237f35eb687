import SheetCore
import XMLStream

/// `[Content_Types].xml`: used only to find the workbook part when the package relationships do not name it.
enum ContentTypes {
    /// The part whose override content type is a SpreadsheetML workbook (`…spreadsheetml.sheet.main+xml`,
    /// the macro-enabled and template variants), or nil.
    static func workbookPart(from source: PartSource, limits: ReadLimits) throws -> String? {
        guard let bytes = try source.read("[Content_Types].xml") else { return nil }
        let d = Delegate()
        try XMLPushParser.parse(bytes, delegate: d, location: Location(file: source.fileName, part: "[Content_Types].xml"),
                                limits: limits)
        return d.workbook
    }

    static func isWorkbookType(_ t: String) -> Bool {
        let l = t.lowercased()
        return (l.contains("spreadsheetml") || l.contains("ms-excel")) && l.hasSuffix(".main+xml")
    }

    private final class Delegate: XMLStreamDelegate {
        var workbook: String?
        func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
            guard workbook == nil, name.is("Override"), let type = attributes.value("ContentType"),
                  ContentTypes.isWorkbookType(type), let part = attributes.value("PartName") else { return }
            workbook = Relationships.resolve(part, from: "")
        }
        func endElement(_ name: XMLName) throws {}
        func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
    }
}
