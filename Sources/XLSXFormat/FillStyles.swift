import SheetCore

/// Two cell formats for the added findings sheet, appended to `styles.xml`: a bold header and a hyperlink
/// (blue, underlined). Both copy the workbook's default font (font 0) so that the sheet looks like the rest
/// of the workbook. Only `<fonts>` and `<cellXfs>` get new children (and their `count`); nothing else in the
/// part changes. Used only when a sheet is added.
enum FillStyles {
    struct Added {
        var bytes: [UInt8]
        /// Indexes into `cellXfs` for the `s` attribute.
        var header: Int
        var link: Int
    }

    /// Nil when the part has no `<fonts>` with a font or no `<cellXfs>` (the new sheet then uses format 0).
    static func addFindingsFormats(_ styles: [UInt8]) throws -> Added? {
        try FillScanner.requireUTF8(styles)
        var sc = FillScanner(styles)
        var fontsOpen: FillTag?, fontsClose: FillTag?, firstFont: Range<Int>?, fontCount = 0
        var xfsOpen: FillTag?, xfsClose: FillTag?, xfCount = 0
        while let t = try sc.next() {
            guard t.kind != .end else { continue }
            if sc.isLocal(t, "fonts"), t.kind == .start {
                fontsOpen = t
                while let c = try sc.next() {
                    if c.kind == .end, sc.isLocal(c, "fonts") { fontsClose = c; break }
                    guard c.kind != .end else { continue }
                    let end = c.kind == .start ? try sc.skipElement(c).end : c.end
                    if sc.isLocal(c, "font") {
                        if firstFont == nil { firstFont = c.start..<end }
                        fontCount += 1
                    }
                }
            } else if sc.isLocal(t, "cellXfs"), t.kind == .start {
                xfsOpen = t
                while let c = try sc.next() {
                    if c.kind == .end, sc.isLocal(c, "cellXfs") { xfsClose = c; break }
                    guard c.kind != .end else { continue }
                    if c.kind == .start { _ = try sc.skipElement(c) }
                    if sc.isLocal(c, "xf") { xfCount += 1 }
                }
            }
        }
        guard let fontsOpen, let fontsClose, let firstFont, let xfsOpen, let xfsClose, fontCount > 0, xfCount > 0 else {
            return nil
        }
        let fp = String(decoding: sc.prefix(of: fontsOpen), as: UTF8.self)
        let xp = String(decoding: sc.prefix(of: xfsOpen), as: UTF8.self)

        let base = fontChildren(styles, firstFont, dropping: ["b", "u", "color"])
        let bold = Array("<\(fp)font><\(fp)b/>".utf8) + base + Array("</\(fp)font>".utf8)
        let link = Array("<\(fp)font><\(fp)u/><\(fp)color rgb=\"FF0563C1\"/>".utf8) + base + Array("</\(fp)font>".utf8)
        let xfs = "<\(xp)xf numFmtId=\"0\" fontId=\"\(fontCount)\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
            + "<\(xp)xf numFmtId=\"0\" fontId=\"\(fontCount + 1)\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"

        var edits: [(Int, Int, [UInt8])] = []
        if let c = sc.attribute("count", in: sc.attributes(of: fontsOpen)) {
            edits.append((c.valueStart, c.valueEnd, Array(String(fontCount + 2).utf8)))
        }
        edits.append((fontsClose.start, fontsClose.start, bold + link))
        if let c = sc.attribute("count", in: sc.attributes(of: xfsOpen)) {
            edits.append((c.valueStart, c.valueEnd, Array(String(xfCount + 2).utf8)))
        }
        edits.append((xfsClose.start, xfsClose.start, Array(xfs.utf8)))
        edits.sort { $0.0 < $1.0 }
        var out: [UInt8] = []
        var at = 0
        for (s, e, b) in edits {
            out += styles[at..<s]
            out += b
            at = e
        }
        out += styles[at...]
        return Added(bytes: out, header: xfCount, link: xfCount + 1)
    }

    /// The formats a findings sheet written earlier uses: `s` of A1 (header) and of the first linked cell.
    static func formatsUsed(_ sheet: [UInt8]) throws -> (header: Int?, link: Int?) {
        var sc = FillScanner(sheet)
        var styleOf: [String: Int] = [:]
        var firstLink: String?
        while let t = try sc.next() {
            guard t.kind != .end else { continue }
            if sc.isLocal(t, "c") {
                let attrs = sc.attributes(of: t)
                if let r = sc.attribute("r", in: attrs), let st = sc.attribute("s", in: attrs), let n = Int(sc.value(st)) {
                    styleOf[sc.value(r)] = n
                }
            } else if sc.isLocal(t, "hyperlink"), firstLink == nil {
                firstLink = sc.attribute("ref", in: sc.attributes(of: t)).map { sc.value($0) }
            }
        }
        return (styleOf["A1"], firstLink.flatMap { styleOf[$0] })
    }

    /// The child elements of a `<font>` element, without the ones named in `dropping` (local names).
    static func fontChildren(_ bytes: [UInt8], _ font: Range<Int>, dropping: Set<String>) -> [UInt8] {
        var sc = FillScanner(Array(bytes[font]))
        var out: [UInt8] = []
        guard let open = try? sc.next(), open.kind == .start else { return [] }
        while let t = try? sc.next() {
            if t.kind == .end { break }  // </font>
            let end = t.kind == .start ? ((try? sc.skipElement(t).end) ?? t.end) : t.end
            let local = String(decoding: sc.bytes[t.localStart..<t.nameEnd], as: UTF8.self)
            if !dropping.contains(local) { out += sc.bytes[t.start..<end] }
        }
        return out
    }
}
