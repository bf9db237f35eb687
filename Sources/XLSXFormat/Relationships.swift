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
    /// (trailing slashes ignored, like `split(separator: "/").last`), found on the bytes.
    var kind: Substring {
        let u = type.utf8
        let slash = UInt8(ascii: "/")
        var end = u.endIndex
        while end > u.startIndex, u[u.index(before: end)] == slash { end = u.index(before: end) }
        var start = end
        while start > u.startIndex, u[u.index(before: start)] != slash { start = u.index(before: start) }
        return type[start..<end]
    }
}

/// Reading `.rels` parts and resolving their targets (OPC part names, ECMA-376 Part 2).
enum Relationships {
    /// The `.rels` part name of a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`; `""` → `_rels/.rels`.
    static func relsPart(of part: String) -> String {
        if let u = asciiBytes(part) {
            // On the bytes (same result for ASCII names: no Character can join a `/` there).
            let slash = u.lastIndex(of: UInt8(ascii: "/"))
            var out: [UInt8] = []
            out.reserveCapacity(u.count + 11)
            if let slash {
                out.append(contentsOf: u[..<slash])
                out.append(contentsOf: "/_rels/".utf8)
                out.append(contentsOf: u[(slash + 1)...])
            } else {
                out.append(contentsOf: "_rels/".utf8)
                out.append(contentsOf: u)
            }
            out.append(contentsOf: ".rels".utf8)
            return String(decoding: out, as: UTF8.self)
        }
        return relsPartGeneral(of: part)
    }

    /// `relsPart` on Characters.
    static func relsPartGeneral(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// The folder of a part: `xl/workbook.xml` → `xl/`; `workbook.xml` → ``.
    static func folder(of part: String) -> String {
        if let u = asciiBytes(part) {
            guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return "" }
            return String(decoding: u[...slash], as: UTF8.self)
        }
        return folderGeneral(of: part)
    }

    /// `folder` on Characters.
    static func folderGeneral(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// The UTF-8 bytes of an all-ASCII string, nil otherwise.
    private static func asciiBytes(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        for b in u where b >= 0x80 { return nil }
        return u
    }

    /// Resolves a target URI against the source part: absolute (`/xl/...`) or relative (`worksheets/...`,
    /// `../drawings/...`), `\` as `/`, percent escapes decoded, `.`/`..` segments removed.
    static func resolve(_ target: String, from sourcePart: String) -> String {
        resolveASCII(target, from: sourcePart) ?? resolveGeneral(target, from: sourcePart)
    }

    /// `resolve` for any target (Strings and Characters).
    static func resolveGeneral(_ target: String, from sourcePart: String) -> String {
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

    /// `resolve` on the bytes for the common case: an ASCII target and source without `\\`, `%` or `#`
    /// (nil otherwise). Same result as the general path.
    static func resolveASCII(_ target: String, from sourcePart: String) -> String? {
        var out: [UInt8] = []
        var ok = true
        target.utf8.withContiguousStorageIfAvailable { t in
            sourcePart.utf8.withContiguousStorageIfAvailable { src in
                for b in t where b >= 0x80 || b == UInt8(ascii: "\\") || b == UInt8(ascii: "%") || b == UInt8(ascii: "#") {
                    ok = false
                    return
                }
                for b in src where b >= 0x80 { ok = false; return }
                out.reserveCapacity(t.count + src.count)
                // Segment starts in `out`, to drop the last one on `..`.
                var starts: [Int] = []
                func add(_ seg: UnsafeBufferPointer<UInt8>.SubSequence) {
                    if seg.isEmpty { return }
                    if seg.count == 1, seg.first == UInt8(ascii: ".") { return }
                    if seg.count == 2, seg.first == UInt8(ascii: "."), seg.last == UInt8(ascii: ".") {
                        if let s = starts.popLast() { out.removeSubrange((s == 0 ? 0 : s - 1)...) }
                        return
                    }
                    if !out.isEmpty { out.append(UInt8(ascii: "/")) }
                    starts.append(out.count)
                    out.append(contentsOf: seg)
                }
                func addAll(_ p: UnsafeBufferPointer<UInt8>.SubSequence) {
                    var i = p.startIndex
                    while i < p.endIndex {
                        var j = i
                        while j < p.endIndex, p[j] != UInt8(ascii: "/") { j += 1 }
                        add(p[i..<j])
                        i = j + 1
                    }
                }
                if t.first != UInt8(ascii: "/"), let slash = src.lastIndex(of: UInt8(ascii: "/")) {
                    addAll(src[...slash])
                }
                addAll(t[...])
            } ?? { ok = false }()
        } ?? { ok = false }()
        return ok ? String(decoding: out, as: UTF8.self) : nil
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
        return try source.parsedPart(relsName, purpose: .relationships, context: sourcePart, limits: limits) { bytes in
            let d = RelsDelegate(source: sourcePart, limit: limits.maxZipEntries,
                                 location: Location(file: source.fileName, part: relsName))
            try XMLPushParser.parse(bytes, delegate: d, location: Location(file: source.fileName, part: relsName), limits: limits)
            return d.rels
        }
    }

    private final class RelsDelegate: XMLStreamDelegate {
        let source: String
        /// More relationships than the archive may have entries: a part of a few MB listing millions of
        /// targets (250,000 took 160 MB) is refused, naming the limit.
        let limit: Int
        let location: Location
        var rels: [Relationship] = []
        init(source: String, limit: Int, location: Location) {
            self.source = source
            self.limit = limit
            self.location = location
        }
        func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
            guard name.is("Relationship") else { return }
            if rels.count >= limit {
                throw JixiaoError(.limitExceeded, "more than \(limit) relationships in one part (limit maxZipEntries) / 关系条目数超过上限",
                                  at: location)
            }
            // One pass over the attributes; the first of each name counts (any namespace).
            var idRaw, typeRaw, targetRaw, modeRaw: UnsafeBufferPointer<UInt8>?
            for i in 0..<attributes.count {
                let n = attributes.localName(i)
                if idRaw == nil, XMLBytes.equal(n, "Id") { idRaw = attributes.rawValue(i) }
                else if typeRaw == nil, XMLBytes.equal(n, "Type") { typeRaw = attributes.rawValue(i) }
                else if targetRaw == nil, XMLBytes.equal(n, "Target") { targetRaw = attributes.rawValue(i) }
                else if modeRaw == nil, XMLBytes.equal(n, "TargetMode") { modeRaw = attributes.rawValue(i) }
            }
            let id = idRaw.map { XMLAttribute.decode($0) } ?? ""
            let type = typeRaw.map { XMLAttribute.decode($0) } ?? ""
            let target = targetRaw.map { XMLAttribute.decode($0) } ?? ""
            let external = modeRaw.map { RelsDelegate.isExternal($0) } ?? false
            rels.append(Relationship(id: id, type: type, target: external ? target : Relationships.resolve(target, from: source),
                                     external: external))
        }
        func endElement(_ name: XMLName) throws {}
        func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}

        /// `TargetMode` is `External` in any case (`&#38;` never matches).
        static func isExternal(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
            let word = "external".utf8
            guard raw.count == word.count else { return false }
            return zip(raw, word).allSatisfy { a, b in (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b }
        }
    }
}
