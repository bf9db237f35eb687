import SheetCore
import XMLStream

/// One `<Relationship>` of a `.rels` part, its target resolved to a part name (no leading `/`).
struct Relationship: Hashable {
    var id: String
    /// The full type URI (Transitional `http://schemas.openxmlformats.org/...` or Strict `http://purl.oclc.org/...`).
    var type: String
    /// The resolved part name, e.g. `xl/worksheets/sheet1.xml`; the raw target for external ones.
    var target: String
    var external: Bool

    /// The last path segment of the type: `worksheet`, `officeDocument`, `sharedStrings`, `xlMacrosheet`, ...
    var kind: Substring { type.split(separator: "/").last ?? "" }
}

/// Reading `.rels` parts and resolving their targets (OPC part names, ECMA-376 Part 2).
enum Relationships {
    /// The `.rels` part name of a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`; `""` → `_rels/.rels`.
    static func relsPart(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// The folder of a part: `xl/workbook.xml` → `xl/`; `workbook.xml` → ``.
    static func folder(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// Resolves a target URI against the source part: absolute (`/xl/...`) or relative (`worksheets/...`,
    /// `../drawings/...`), `\` as `/`, percent escapes decoded, `.`/`..` segments removed.
    static func resolve(_ target: String, from sourcePart: String) -> String {
        // Backslashes (written by some tools) as slashes; Foundation's replacing is skipped when there are none.
        let slashed = target.utf8.contains(UInt8(ascii: "\\")) ? target.replacingOccurrences(of: "\\", with: "/") : target
        var t = percentDecoded(slashed)
        if let hash = t.firstIndex(of: "#") { t = String(t[..<hash]) }
        let joined = t.hasPrefix("/") ? t : folder(of: sourcePart) + t
        var out: [Substring] = []
        for seg in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(seg)
        }
        return out.joined(separator: "/")
    }

    static func percentDecoded(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses the relationships of `sourcePart` (`""` for the package). Missing `.rels` part → nil.
    static func read(for sourcePart: String, from source: PartSource, limits: ReadLimits) throws -> [Relationship]? {
        let relsName = relsPart(of: sourcePart)
        guard let bytes = try source.read(relsName) else { return nil }
        let d = RelsDelegate(source: sourcePart)
        try XMLPushParser.parse(bytes, delegate: d, location: Location(file: source.fileName, part: relsName), limits: limits)
        return d.rels
    }

    private final class RelsDelegate: XMLStreamDelegate {
        let source: String
        var rels: [Relationship] = []
        init(source: String) { self.source = source }
        func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
            guard name.is("Relationship") else { return }
            let id = attributes.value("Id") ?? ""
            let type = attributes.value("Type") ?? ""
            let target = attributes.value("Target") ?? ""
            let external = attributes.value("TargetMode")?.lowercased() == "external"
            rels.append(Relationship(id: id, type: type, target: external ? target : Relationships.resolve(target, from: source),
                                     external: external))
        }
        func endElement(_ name: XMLName) throws {}
        func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
    }
}
