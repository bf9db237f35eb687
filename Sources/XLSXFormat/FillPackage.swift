import SheetCore

/// The parts of an OPC package a template fill needs to look at or patch: `[Content_Types].xml`, the root
/// relationships, the workbook part and its relationships. Sheets are found the way Excel finds them:
/// `_rels/.rels` → officeDocument → `<sheet r:id>` → workbook relationships → part.
///
/// Patches are minimal and byte-level: an element is removed or inserted, nothing else is re-serialised.
struct FillPackage {
    struct Sheet {
        var name: String
        var sheetId: Int
        var relId: String
        /// Package part name without the leading `/`, e.g. `xl/worksheets/sheet1.xml`.
        var part: String
        /// Relationship type ends with `/worksheet`.
        var isWorksheet: Bool
    }

    static let worksheetType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    static let strictWorksheetType = "http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet"
    static let strictMainNamespace = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    static let worksheetContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    static let relationshipsNamespaces = ["http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                          "http://purl.oclc.org/ooxml/officeDocument/relationships"]

    /// Strict OOXML (`http://purl.oclc.org/ooxml/...` namespaces): new parts use the strict names too.
    var strict: Bool
    var contentTypesName: String
    var contentTypes: [UInt8]
    var workbookPart: String
    var workbook: [UInt8]
    var workbookRelsPart: String
    var workbookRels: [UInt8]
    var sheets: [Sheet]
    /// The styles part, when the workbook has one.
    var stylesPart: String?
    /// The calculation chain part, when the workbook has one (part name and relationship Id).
    var calcChain: (part: String, relId: String)?
    /// Every entry name, lower-cased, for making new names unique.
    var entryNames: Set<String>

    init(reader: ZipReaderLike, file: String) throws {
        entryNames = Set(reader.entryNames.map { FillPackage.normalise($0) })
        guard let ct = try reader.readPart("[Content_Types].xml") else {
            throw JixiaoError(.corrupt, "the package has no [Content_Types].xml", at: Location(file: file))
        }
        contentTypesName = "[Content_Types].xml"
        contentTypes = ct
        guard let rootRels = try reader.readPart("_rels/.rels") else {
            throw JixiaoError(.corrupt, "the package has no _rels/.rels", at: Location(file: file))
        }
        let rootTargets = try FillPackage.relationships(rootRels, base: "", part: "_rels/.rels", file: file)
        guard let office = rootTargets.first(where: { $0.type.hasSuffix("/officeDocument") }) else {
            throw JixiaoError(.corrupt, "_rels/.rels names no officeDocument (workbook) part",
                              at: Location(file: file, part: "_rels/.rels"))
        }
        workbookPart = office.target
        guard let wb = try reader.readPart(workbookPart) else {
            throw JixiaoError(.corrupt, "the workbook part \(workbookPart) is missing", at: Location(file: file))
        }
        workbook = wb
        for (name, bytes) in [("[Content_Types].xml", ct), (workbookPart, wb)] {
            do { try FillScanner.requireUTF8(bytes) } catch let e as JixiaoError {
                throw e.located(Location(file: file, part: name))
            }
        }
        strict = FillScanner(wb).find(FillPackage.strictMainNamespace, from: 0) != nil
        let dir = FillPackage.directory(of: workbookPart)
        let fileName = String(workbookPart.split(separator: "/").last ?? "")
        workbookRelsPart = dir + "_rels/" + fileName + ".rels"
        workbookRels = try reader.readPart(workbookRelsPart) ?? []
        let rels = workbookRels.isEmpty ? []
            : try FillPackage.relationships(workbookRels, base: dir, part: workbookRelsPart, file: file)
        stylesPart = rels.first(where: { $0.type.hasSuffix("/styles") && !$0.external })?.target
        if let cc = rels.first(where: { $0.type.hasSuffix("/calcChain") }) {
            calcChain = (cc.target, cc.id)
        }

        // <sheet name sheetId r:id/> in workbook order.
        var sc = FillScanner(workbook)
        var found: [Sheet] = []
        do {
            while let t = try sc.next() {
                guard t.kind != .end, sc.isLocal(t, "sheet") else { continue }
                let attrs = sc.attributes(of: t)
                guard let n = sc.attribute("name", in: attrs), let rid = sc.prefixedAttribute(local: "id", in: attrs) else {
                    continue
                }
                let id = sc.value(rid)
                let rel = rels.first { $0.id == id }
                found.append(Sheet(name: sc.value(n),
                                   sheetId: sc.attribute("sheetId", in: attrs).flatMap { Int(sc.value($0)) } ?? 0,
                                   relId: id, part: rel?.target ?? "",
                                   isWorksheet: rel?.type.hasSuffix("/worksheet") ?? false))
            }
        } catch let e as JixiaoError {
            throw e.located(Location(file: file, part: workbookPart))
        }
        sheets = found
    }

    // MARK: relationships

    struct Relationship {
        var id: String
        var type: String
        /// Resolved part name (no leading `/`), or the raw target for external ones.
        var target: String
        var external: Bool
    }

    static func relationships(_ bytes: [UInt8], base: String, part: String, file: String) throws -> [Relationship] {
        var sc = FillScanner(bytes)
        var out: [Relationship] = []
        do {
            while let t = try sc.next() {
                guard t.kind != .end, sc.isLocal(t, "Relationship") else { continue }
                let attrs = sc.attributes(of: t)
                guard let id = sc.attribute("Id", in: attrs), let target = sc.attribute("Target", in: attrs) else { continue }
                let external = sc.attribute("TargetMode", in: attrs).map { sc.value($0) == "External" } ?? false
                let raw = sc.value(target)
                out.append(Relationship(id: sc.value(id),
                                        type: sc.attribute("Type", in: attrs).map { sc.value($0) } ?? "",
                                        target: external ? raw : resolve(raw, base: base),
                                        external: external))
            }
        } catch let e as JixiaoError {
            throw e.located(Location(file: file, part: part))
        }
        return out
    }

    /// Resolves a relationship target against the source part's folder: `/xl/a.xml` → `xl/a.xml`,
    /// `worksheets/sheet1.xml` from `xl/` → `xl/worksheets/sheet1.xml`, `../media/i.png` from `xl/drawings/`
    /// → `xl/media/i.png`. Percent-escapes are decoded.
    static func resolve(_ target: String, base: String) -> String {
        let decoded = percentDecode(target.replacingBackslashes())
        var segments: [Substring] = []
        let joined = decoded.hasPrefix("/") ? decoded : base + decoded
        for s in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if s == "." { continue }
            if s == ".." { if !segments.isEmpty { segments.removeLast() }; continue }
            segments.append(s)
        }
        return segments.joined(separator: "/")
    }

    static func percentDecode(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count,
               let v = UInt8(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `xl/` for `xl/workbook.xml`, `` for a part at the root.
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// Lower-cased, `/`-separated, without a leading `/` (ZIP names compare this way).
    static func normalise(_ name: String) -> String {
        // ASCII names (every part of a workbook Excel or a library wrote) on their bytes: returned as they are
        // when already normal (`xl/worksheets/sheet1.xml`), else mapped byte for byte (`[Content_Types].xml`).
        let ascii = name.utf8.withContiguousStorageIfAvailable { u -> String? in
            guard !u.contains(where: { $0 >= 0x80 }) else { return nil }
            let slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\")
            var start = 0
            while start < u.count, u[start] == slash || u[start] == backslash { start += 1 }
            if start == 0, !u.contains(where: { ($0 >= 65 && $0 <= 90) || $0 == backslash }) { return name }
            return String(unsafeUninitializedCapacity: u.count - start) { buf in
                for i in start..<u.count {
                    var b = u[i]
                    if b >= 65 && b <= 90 { b += 32 } else if b == backslash { b = slash }
                    buf[i - start] = b
                }
                return u.count - start
            }
        }
        if let ascii, let ascii { return ascii }
        var s = name.replacingBackslashes()
        while s.hasPrefix("/") { s.removeFirst() }
        return s.lowercased()
    }

    // MARK: patches

    /// Removes the calculation chain from the workbook relationships and the content types.
    mutating func dropCalcChain() throws {
        guard let cc = calcChain else { return }
        workbookRels = try FillPackage.removing(workbookRels, element: "Relationship") { sc, attrs in
            sc.attribute("Id", in: attrs).map { sc.value($0) } == cc.relId
        }
        contentTypes = try FillPackage.removing(contentTypes, element: "Override") { sc, attrs in
            sc.attribute("PartName", in: attrs).map { FillPackage.normalise(FillPackage.percentDecode(sc.value($0))) }
                == FillPackage.normalise(cc.part)
        }
    }

    /// Adds a worksheet after the existing sheets: its relationship, content type and `<sheet>` entry.
    /// Returns the new part name.
    mutating func addWorksheet(named name: String) throws -> String {
        // Part name: <workbook dir>worksheets/sheetN.xml, N the first free number.
        let dir = FillPackage.directory(of: workbookPart)
        var n = sheets.count + 1
        while entryNames.contains(FillPackage.normalise(dir + "worksheets/sheet\(n).xml")) { n += 1 }
        let part = dir + "worksheets/sheet\(n).xml"
        entryNames.insert(FillPackage.normalise(part))

        // Relationship Id: rId<max+1>, unique.
        let existingIds = try FillPackage.relationships(workbookRels, base: dir, part: workbookRelsPart, file: "").map(\.id)
        let highest = existingIds.compactMap { $0.hasPrefix("rId") ? Int($0.dropFirst(3)) : nil }.max() ?? 0
        var next = highest + 1
        while existingIds.contains("rId\(next)") { next += 1 }
        let relId = "rId\(next)"

        let target = "worksheets/sheet\(n).xml"
        let type = strict ? FillPackage.strictWorksheetType : FillPackage.worksheetType
        workbookRels = try FillPackage.inserting(workbookRels, beforeEndOf: "Relationships") { p in
            "<\(p)Relationship Id=\"\(relId)\" Type=\"\(type)\" Target=\"\(target)\"/>"
        }
        contentTypes = try FillPackage.inserting(contentTypes, beforeEndOf: "Types") { p in
            "<\(p)Override PartName=\"/\(part)\" ContentType=\"\(FillPackage.worksheetContentType)\"/>"
        }
        let sheetId = (sheets.map(\.sheetId).max() ?? 0) + 1
        let relPrefix = relationshipsPrefix()
        let escapedName = String(decoding: FillXML.escape(name, attribute: true), as: UTF8.self)
        workbook = try FillPackage.inserting(workbook, beforeEndOf: "sheets") { p in
            if let r = relPrefix {
                return "<\(p)sheet name=\"\(escapedName)\" sheetId=\"\(sheetId)\" \(r):id=\"\(relId)\"/>"
            }
            let ns = FillPackage.relationshipsNamespaces[strict ? 1 : 0]
            return "<\(p)sheet name=\"\(escapedName)\" sheetId=\"\(sheetId)\" xmlns:r=\"\(ns)\" r:id=\"\(relId)\"/>"
        }
        sheets.append(Sheet(name: name, sheetId: sheetId, relId: relId, part: part, isWorksheet: true))
        return part
    }

    /// The prefix the workbook's root element binds to the relationships namespace (`r`), if any.
    func relationshipsPrefix() -> String? {
        var sc = FillScanner(workbook)
        guard let root = try? sc.next(), root.kind != .end else { return nil }
        for a in sc.attributes(of: root) {
            let qname = String(decoding: workbook[a.nameStart..<a.nameEnd], as: UTF8.self)
            guard qname.hasPrefix("xmlns:") else { continue }
            if FillPackage.relationshipsNamespaces.contains(sc.value(a)) { return String(qname.dropFirst(6)) }
        }
        return nil
    }

    /// `bytes` without the elements named `element` (local name) for which `match` is true.
    static func removing(_ bytes: [UInt8], element: StaticString,
                         where match: (FillScanner, [FillAttribute]) -> Bool) throws -> [UInt8] {
        var sc = FillScanner(bytes)
        var cuts: [Range<Int>] = []
        while let t = try sc.next() {
            guard t.kind != .end, sc.isLocal(t, element), match(sc, sc.attributes(of: t)) else { continue }
            let end = t.kind == .start ? try sc.skipElement(t).end : t.end
            cuts.append(t.start..<end)
        }
        guard !cuts.isEmpty else { return bytes }
        var out: [UInt8] = []
        var at = 0
        for c in cuts {
            out += bytes[at..<c.lowerBound]
            at = c.upperBound
        }
        out += bytes[at...]
        return out
    }

    /// Inserts the text `make(prefix)` just before the end tag of the first element named `container`
    /// (turning `<x:sheets/>` into `<x:sheets>…</x:sheets>` when it is empty).
    static func inserting(_ bytes: [UInt8], beforeEndOf container: StaticString, _ make: (String) -> String) throws -> [UInt8] {
        var sc = FillScanner(bytes)
        while let t = try sc.next() {
            guard t.kind != .end, sc.isLocal(t, container) else { continue }
            let p = String(decoding: sc.prefix(of: t), as: UTF8.self)
            let text = Array(make(p).utf8)
            if t.kind == .empty {
                var open = Array(bytes[t.start..<(t.end - 1)])
                while let last = open.last, last == UInt8(ascii: "/") || FillScanner.isSpace(last) { open.removeLast() }
                let qname = Array(bytes[t.nameStart..<t.nameEnd])
                return Array(bytes[..<t.start]) + open + [UInt8(ascii: ">")] + text
                    + Array("</".utf8) + qname + [UInt8(ascii: ">")] + Array(bytes[t.end...])
            }
            let close = try sc.skipElement(t)
            return Array(bytes[..<close.start]) + text + Array(bytes[close.start...])
        }
        throw JixiaoError(.corrupt, "no <\(container)> element")
    }
}

/// What the package patcher needs from a ZIP reader (lets the tests use an in-memory package).
protocol ZipReaderLike {
    var entryNames: [String] { get }
    /// The uncompressed part called `name` (case-insensitive, a leading `/` ignored), nil when missing.
    func readPart(_ name: String) throws -> [UInt8]?
    /// What identifies the part's bytes without inflating them (see `StoredPart`); nil when the reader cannot
    /// say (then only the bytes tell).
    func storedPart(_ name: String) throws -> StoredPart?
    /// Counts a part recognised by its `storedPart` as read (against the reader's limits), as `readPart` would.
    func countAsRead(_ name: String) throws
}

extension ZipReaderLike {
    func storedPart(_ name: String) throws -> StoredPart? { nil }
    func countAsRead(_ name: String) throws {}
}

/// A part as stored in the archive: two entries with the same method, CRC, size and compressed bytes inflate
/// to the same bytes (and pass or fail the same checks), so a part can be recognised without inflating it.
enum StoredPart: Equatable {
    case missing
    case entry(method: UInt16, crc32: UInt32, size: UInt64, compressed: [UInt8])
    /// Compressed parts larger than this are not compared (they are read instead).
    static let maxCompressedBytes = 64 << 10
}

extension String {
    func replacingBackslashes() -> String {
        guard utf8.contains(UInt8(ascii: "\\")) else { return self }
        return String(map { $0 == "\\" ? "/" : $0 })
    }
}
