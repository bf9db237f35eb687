import SheetCore

/// Patches the cells of one worksheet part at the byte level.
///
/// Only the `<c>` elements of the updated cells change (or are inserted, in column order, with a `<row>` in row
/// order where the row is missing); every other byte of the part stays as it was. The `s` style and any
/// other attribute of a replaced cell are kept; `t` is rewritten for the new value and `vm` (value metadata
/// that belonged to the old value) dropped. A cell's formula is kept, with the new value as its cached result,
/// unless the update brings its own. Works with prefixed elements (`<x:c>`) and with rows and cells that have
/// no `r` attribute (their position follows the previous one).
///
/// Sheets whose rows or cells are out of order, repeated, or name another row than their `<row>` (which the
/// reader sorts, the later repeat winning) take a slower general path (`walkIrregular`) that patches the
/// cells the reader would read.
struct FillSheetPatcher {
    struct Result {
        var bytes: [UInt8]
        /// A cell that holds a formula (before or after) was written: the calculation chain must go.
        var formulaTouched: Bool
        var written: Int
        var inserted: Int
    }

    let part: String
    private let src: [UInt8]
    private var sc: FillScanner
    private var edits: [(start: Int, end: Int, bytes: [UInt8])] = []
    private var formulaTouched = false
    private var written = 0
    private var inserted = 0
    /// Column styles from `<cols>`: 1-based min/max and style.
    private var colStyles: [(min: Int, max: Int, style: String)] = []

    init(part: String, bytes: [UInt8]) {
        self.part = part
        self.src = bytes
        self.sc = FillScanner(bytes)
    }

    /// Applies `updates` (any order; for the same cell the last one wins).
    static func patch(_ bytes: [UInt8], part: String, updates: [CellUpdate]) throws -> Result {
        var p = FillSheetPatcher(part: part, bytes: bytes)
        return try p.run(updates)
    }

    private func location(_ ref: CellRef? = nil) -> Location {
        Location(file: "", part: part, cell: ref)
    }

    private mutating func run(_ raw: [CellUpdate]) throws -> Result {
        // Already in order with one update per cell (what ScoreFill gives): as they are; else the last per cell.
        var updates = raw
        if !zip(raw, raw.dropFirst()).allSatisfy({ $0.ref < $1.ref }) {
            var byRef: [CellRef: CellUpdate] = [:]
            for u in raw { byRef[u.ref] = u }
            updates = byRef.values.sorted { $0.ref < $1.ref }
        }
        edits.reserveCapacity(updates.count + 8)

        // Before <sheetData>: the dimension and the column styles.
        var dimension: (tag: FillTag, attr: FillAttribute)?
        var sheetData: FillTag?
        do {
            try FillScanner.requireUTF8(src)
            while let t = try sc.next() {
                guard t.kind != .end else { continue }
                if sc.isLocal(t, "sheetData") { sheetData = t; break }
                if sc.isLocal(t, "dimension"), let a = sc.attribute("ref", in: sc.attributes(of: t)) {
                    dimension = (t, a)
                } else if sc.isLocal(t, "col") {
                    let attrs = sc.attributes(of: t)
                    if let mn = sc.attribute("min", in: attrs).flatMap({ Int(sc.value($0)) }),
                       let mx = sc.attribute("max", in: attrs).flatMap({ Int(sc.value($0)) }),
                       let st = sc.attribute("style", in: attrs).map({ sc.value($0) }), st != "0" {
                        colStyles.append((mn, mx, st))
                    }
                }
            }
        } catch let e as JixiaoError {
            throw e.located(location())
        }
        guard let sheetData else {
            throw JixiaoError(.corrupt, "worksheet has no <sheetData>", at: location())
        }
        let p = sc.prefix(of: sheetData)

        if !updates.isEmpty {
            do {
                if sheetData.kind == .empty {
                    var out = tagOpen(p, "sheetData", attrsOf: sheetData)
                    for group in groupByRow(updates[...]) { out += try newRow(p, group) }
                    out += close(p, "sheetData")
                    edits.append((sheetData.start, sheetData.end, out))
                } else {
                    do {
                        try walkSheetData(p, updates)
                    } catch is Irregular {
                        // Rows or cells out of order (the reader sorts them): start again on the general path.
                        edits.removeAll(keepingCapacity: true)
                        formulaTouched = false
                        written = 0
                        inserted = 0
                        sc.pos = sheetData.end
                        try walkIrregular(p, updates)
                    }
                }
            } catch let e as JixiaoError {
                throw e.located(location())
            }
            if let dimension { dimensionEdit(dimension.attr, updates) }
        }

        // An insertion before an element comes before the replacement of that element.
        edits.sort { $0.start != $1.start ? $0.start < $1.start : $0.end < $1.end }
        var out: [UInt8] = []
        out.reserveCapacity(src.count + edits.reduce(0) { $0 + $1.bytes.count })
        var at = 0
        for e in edits {
            precondition(e.start >= at, "overlapping fill edits")
            out += src[at..<e.start]
            out += e.bytes
            at = e.end
        }
        out += src[at...]
        return Result(bytes: out, formulaTouched: formulaTouched, written: written, inserted: inserted)
    }

    // MARK: walking

    private mutating func walkSheetData(_ p: [UInt8], _ updates: [CellUpdate]) throws {
        var k = 0
        var lastRow: Int = 0  // 1-based; 0 = none yet
        while let t = try sc.next() {
            if t.kind == .end {
                if sc.isLocal(t, "sheetData") {
                    if k < updates.count {
                        var out: [UInt8] = []
                        for group in groupByRow(updates[k...]) { out += try newRow(p, group) }
                        edits.append((t.start, t.start, out))
                    }
                    return
                }
                continue
            }
            guard sc.isLocal(t, "row") else {
                if t.kind == .start { _ = try sc.skipElement(t) }
                continue
            }
            var rowNum = lastRow + 1
            if let r = sc.attribute("r", of: t) {
                // An unreadable row number counts as absent (the row follows the previous one), as the
                // reader takes it.
                if let n = number(r), n >= 1, n <= Int(CellRef.maxRow) + 1 { rowNum = n }
            }
            if rowNum <= lastRow { throw Irregular() }
            lastRow = rowNum
            let rowIndex = UInt32(rowNum - 1)

            // Missing rows before this one.
            var k2 = k
            while k2 < updates.count, updates[k2].ref.row < rowIndex { k2 += 1 }
            if k2 > k {
                var out: [UInt8] = []
                for group in groupByRow(updates[k..<k2]) { out += try newRow(p, group) }
                edits.append((t.start, t.start, out))
                k = k2
            }
            // Updates in this row.
            while k2 < updates.count, updates[k2].ref.row == rowIndex { k2 += 1 }
            if k2 == k {
                // A row without updates; the reader has parsed this part, so its end tag can be searched for.
                if t.kind == .start { _ = try sc.skipWellFormedElement(t) }
                continue
            }
            let mine = Array(updates[k..<k2])
            k = k2
            let rowStyle = styleOfRow(t)
            if t.kind == .empty {
                // <row r="5"/> → <row r="5">cells</row>
                var out = rebuiltStartTag(t, sc.attributes(of: t), extraCols: mine.map { Int($0.ref.col) + 1 })
                for u in mine { out += try newCell(sc.prefix(of: t), u, style: rowStyle ?? colStyle(u.ref.col)) }
                out += close(sc.prefix(of: t), "row")
                edits.append((t.start, t.end, out))
            } else {
                let inserted = try walkRow(t, mine, rowStyle: rowStyle)
                if !inserted.isEmpty, let sp = sc.attribute("spans", of: t),
                   let fixed = widenedSpans(sc.value(sp), inserted) {
                    edits.append((sp.valueStart, sp.valueEnd, Array(fixed.utf8)))
                }
            }
        }
        throw JixiaoError(.corrupt, "<sheetData> is not closed", at: location())
    }

    /// Walks the cells of one row that has updates; returns the 1-based columns of inserted cells.
    private mutating func walkRow(_ row: FillTag, _ mine: [CellUpdate], rowStyle: String?) throws -> [Int] {
        let rowIndex = mine[0].ref.row
        let p = sc.prefix(of: row)
        var j = 0
        var lastCol = -1  // 0-based
        var insertedCols: [Int] = []

        // New cells for the updates left of `limit` (all when nil), to go in at `offset`.
        func flush(before limit: Int?, at offset: Int) throws {
            var out: [UInt8] = []
            while j < mine.count, limit.map({ Int(mine[j].ref.col) < $0 }) ?? true {
                out += try newCell(p, mine[j], style: rowStyle ?? colStyle(mine[j].ref.col))
                insertedCols.append(Int(mine[j].ref.col) + 1)
                inserted += 1
                j += 1
            }
            if !out.isEmpty { edits.append((offset, offset, out)) }
        }

        while let t = try sc.next() {
            if t.kind == .end {
                if sc.isLocal(t, "row") {
                    try flush(before: nil, at: t.start)
                    return insertedCols
                }
                continue
            }
            guard sc.isLocal(t, "c") else {
                // extLst or another child that must stay after the cells.
                try flush(before: nil, at: t.start)
                if t.kind == .start { _ = try sc.skipElement(t) }
                continue
            }
            var col = lastCol + 1
            if let r = sc.attribute("r", of: t) {
                let parsed = src.withUnsafeBufferPointer {
                    CellRef.parse(UnsafeBufferPointer(rebasing: $0[r.valueStart..<r.valueEnd]))
                }
                // An unreadable reference counts as absent (the next column), as the reader takes it. A cell
                // that names another row goes to the general path: the reader puts it in that row.
                if let parsed {
                    guard parsed.row == rowIndex else { throw Irregular() }
                    col = Int(parsed.col)
                }
            }
            if col <= lastCol { throw Irregular() }
            lastCol = col
            // Past column XFD the reader drops the cell.
            guard col <= Int(CellRef.maxCol) else { throw Irregular() }
            if j < mine.count, Int(mine[j].ref.col) < col { try flush(before: col, at: t.start) }
            if j < mine.count, Int(mine[j].ref.col) == col {
                try replaceCell(t, mine[j])
                j += 1
            } else if t.kind == .start {
                _ = try sc.skipElement(t)
            }
        }
        throw JixiaoError(.corrupt, "<row> is not closed", at: location())
    }

    /// Replaces one existing `<c>` element.
    private mutating func replaceCell(_ t: FillTag, _ u: CellUpdate) throws {
        let p = sc.prefix(of: t)
        var end = t.end
        var formula: [UInt8]?
        var formulaHasRef = false
        var ext: [UInt8] = []
        if t.kind == .start {
            var closed = false
            while let ct = try sc.next() {
                if ct.kind == .end {
                    if sc.isLocal(ct, "c") { end = ct.end; closed = true; break }
                    continue
                }
                var elementEnd = ct.end
                if ct.kind == .start { elementEnd = try sc.skipElement(ct).end }
                if sc.isLocal(ct, "f") {
                    formula = Array(src[ct.start..<elementEnd])
                    // A shared-formula master, or an array formula over more than this cell, carries other
                    // cells' formulas: it must not be replaced.
                    let fa = sc.attributes(of: ct)
                    if let ref = sc.attribute("ref", in: fa) {
                        let shared = sc.attribute("t", in: fa).map { sc.value($0) == "shared" } ?? false
                        let range = CellRange(a1: sc.value(ref))
                        formulaHasRef = shared || range == nil || range!.cellCount > 1
                    }
                } else if sc.isLocal(ct, "extLst") {
                    ext = Array(src[ct.start..<elementEnd])
                }
            }
            guard closed else { throw JixiaoError(.corrupt, "<c> is not closed", at: location(u.ref)) }
        }
        if let f = u.formula {
            if formulaHasRef {
                throw JixiaoError(.unsupported,
                                  "the cell holds a shared or array formula that other cells depend on; jixiao will not replace it",
                                  at: location(u.ref))
            }
            formula = element(p, "f", FillXML.escape(f))
        }
        if formula != nil { formulaTouched = true }

        var out: [UInt8] = []
        out.reserveCapacity(end - t.start + 48)
        out.append(UInt8(ascii: "<"))
        out += src[t.nameStart..<t.nameEnd]
        let newFormula = u.formula != nil
        let src = self.src
        sc.forEachAttribute(of: t) { a in
            if equal(src, a.nameStart, a.nameEnd, "t") || equal(src, a.nameStart, a.nameEnd, "vm") { return false }
            // Cell metadata (dynamic arrays) belongs to the old formula when a new one replaces it.
            if newFormula, equal(src, a.nameStart, a.nameEnd, "cm") { return false }
            out += src[a.fullStart..<a.fullEnd]
            return false
        }
        try appendValue(&out, p, u.value, formula: formula, ext: ext, at: u.ref)
        edits.append((t.start, end, out))
        written += 1
    }

    // MARK: building

    /// A new `<c>` for a cell that did not exist.
    private mutating func newCell(_ p: [UInt8], _ u: CellUpdate, style: String?) throws -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "<")] + p + Array("c r=\"\(u.ref.a1)\"".utf8)
        if let style { out += Array(" s=\"".utf8) + FillXML.escape(style, attribute: true) + [UInt8(ascii: "\"")] }
        var formula: [UInt8]?
        if let f = u.formula {
            formula = element(p, "f", FillXML.escape(f))
            formulaTouched = true
        }
        try appendValue(&out, p, u.value, formula: formula, ext: [], at: u.ref)
        written += 1
        return out
    }

    private mutating func newRow(_ p: [UInt8], _ group: ArraySlice<CellUpdate>) throws -> [UInt8] {
        guard let first = group.first else { return [] }
        var out: [UInt8] = [UInt8(ascii: "<")] + p + Array("row r=\"\(first.ref.row + 1)\">".utf8)
        for u in group {
            out += try newCell(p, u, style: colStyle(u.ref.col))
            inserted += 1
        }
        out += close(p, "row")
        return out
    }

    /// Appends the rest of a cell after its attributes: ` t="…"` for the value's type, then `/>` or `>`, the
    /// formula, the value element(s), `ext` and `</c>`.
    private func appendValue(_ out: inout [UInt8], _ p: [UInt8], _ v: CellValue, formula: [UInt8]?, ext: [UInt8],
                             at ref: CellRef) throws {
        let hasFormula = formula != nil
        var type: StaticString?
        switch v {
        case .empty, .number, .date: type = nil
        case .bool: type = "b"
        case .error: type = "e"
        case .string: type = hasFormula ? "str" : "inlineStr"
        }
        if let type {
            append(&out, " t=\"")
            append(&out, type)
            out.append(UInt8(ascii: "\""))
        }
        if case .empty = v, formula == nil, ext.isEmpty {
            append(&out, "/>")
            return
        }
        out.append(UInt8(ascii: ">"))
        if let formula { out += formula }
        do {
            switch v {
            case .empty:
                break
            case .number(let d):
                appendOpen(&out, p, "v")
                if d != 0, d == d.rounded(), abs(d) < 1e16 {
                    FillXML.appendDecimal(&out, Int64(d))  // the text `FillXML.number` gives, without a String
                } else {
                    out += try FillXML.number(d)
                }
                appendClose(&out, p, "v")
            case .date(let d):
                appendElement(&out, p, "v", try FillXML.number(d.serial))
            case .bool(let b):
                appendElement(&out, p, "v", [b ? UInt8(ascii: "1") : UInt8(ascii: "0")])
            case .error(let e):
                appendElement(&out, p, "v", FillXML.escape(e))
            case .string(let s):
                if hasFormula {
                    appendElement(&out, p, "v", FillXML.escape(s))
                } else {
                    let preserve = s.first.map { $0.isWhitespace } == true || s.last.map { $0.isWhitespace } == true
                    appendOpen(&out, p, "is")
                    out.append(UInt8(ascii: "<"))
                    out += p
                    append(&out, preserve ? "t xml:space=\"preserve\">" : "t>")
                    out += FillXML.escape(s)
                    appendClose(&out, p, "t")
                    appendClose(&out, p, "is")
                }
            }
        } catch let e as JixiaoError {
            throw e.located(location(ref))
        }
        out += ext
        appendClose(&out, p, "c")
    }

    /// Appends a short ASCII literal byte by byte (cheaper than `append(contentsOf:)` for a few bytes).
    @inline(__always)
    private func append(_ out: inout [UInt8], _ s: StaticString) {
        let bytes = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount { out.append(bytes[i]) }
    }

    private func appendOpen(_ out: inout [UInt8], _ p: [UInt8], _ name: StaticString) {
        out.append(UInt8(ascii: "<"))
        if !p.isEmpty { out += p }
        append(&out, name)
        out.append(UInt8(ascii: ">"))
    }

    private func appendClose(_ out: inout [UInt8], _ p: [UInt8], _ name: StaticString) {
        out.append(UInt8(ascii: "<"))
        out.append(UInt8(ascii: "/"))
        if !p.isEmpty { out += p }
        append(&out, name)
        out.append(UInt8(ascii: ">"))
    }

    private func appendElement(_ out: inout [UInt8], _ p: [UInt8], _ name: StaticString, _ content: [UInt8]) {
        appendOpen(&out, p, name)
        out += content
        appendClose(&out, p, name)
    }

    private func element(_ p: [UInt8], _ name: StaticString, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        appendElement(&out, p, name, content)
        return out
    }

    private func close(_ p: [UInt8], _ name: StaticString) -> [UInt8] {
        var out: [UInt8] = []
        appendClose(&out, p, name)
        return out
    }

    /// `<p:name attrs>` from an empty tag `<p:name attrs/>`.
    private func tagOpen(_ p: [UInt8], _ name: String, attrsOf t: FillTag) -> [UInt8] {
        var inner = Array(src[t.start..<(t.end - 1)])
        while let last = inner.last, last == UInt8(ascii: "/") || FillScanner.isSpace(last) { inner.removeLast() }
        return inner + [UInt8(ascii: ">")]
    }

    /// The start tag of an empty `<row …/>`, with `spans` widened when new columns fall outside it.
    private func rebuiltStartTag(_ t: FillTag, _ attrs: [FillAttribute], extraCols: [Int]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "<")] + Array(src[t.nameStart..<t.nameEnd])
        for a in attrs {
            if equal(src, a.nameStart, a.nameEnd, "spans"), let fixed = widenedSpans(sc.value(a), extraCols) {
                out += src[a.fullStart..<a.valueStart] + Array(fixed.utf8) + src[a.valueEnd..<a.fullEnd]
            } else {
                out += src[a.fullStart..<a.fullEnd]
            }
        }
        out.append(UInt8(ascii: ">"))
        return out
    }

    /// `spans="1:9"` widened to hold 1-based columns; nil when already covered or unparseable.
    private func widenedSpans(_ spans: String, _ cols: [Int]) -> String? {
        var lo = Int.max, hi = Int.min
        for part in spans.split(separator: " ") {
            let ends = part.split(separator: ":")
            guard ends.count == 2, let a = Int(ends[0]), let b = Int(ends[1]) else { return nil }
            lo = min(lo, a); hi = max(hi, b)
        }
        guard lo != Int.max, let cmin = cols.min(), let cmax = cols.max() else { return nil }
        if cmin >= lo && cmax <= hi { return nil }
        return "\(min(lo, cmin)):\(max(hi, cmax))"
    }

    /// The attribute's value as a decimal integer: `Int(sc.value(a))`, read straight from the bytes when they
    /// are plain digits.
    private func number(_ a: FillAttribute) -> Int? {
        let n = a.valueEnd - a.valueStart
        if n >= 1 && n <= 18 {
            let digits: Int? = src.withUnsafeBufferPointer { buf in
                var v = 0
                for i in a.valueStart..<a.valueEnd {
                    let d = buf[i] &- UInt8(ascii: "0")
                    guard d < 10 else { return nil }
                    v = v * 10 + Int(d)
                }
                return v
            }
            if let digits { return digits }
        }
        return Int(sc.value(a))
    }

    private func styleOfRow(_ row: FillTag) -> String? {
        guard let cf = sc.attribute("customFormat", of: row), ["1", "true"].contains(sc.value(cf)),
              let s = sc.attribute("s", of: row) else { return nil }
        return sc.value(s)
    }

    private func colStyle(_ col: UInt16) -> String? {
        let c = Int(col) + 1
        return colStyles.first { $0.min <= c && c <= $0.max }?.style
    }

    private func groupByRow(_ updates: ArraySlice<CellUpdate>) -> [ArraySlice<CellUpdate>] {
        var out: [ArraySlice<CellUpdate>] = []
        var i = updates.startIndex
        while i < updates.endIndex {
            var j = i
            while j < updates.endIndex, updates[j].ref.row == updates[i].ref.row { j += 1 }
            out.append(updates[i..<j])
            i = j
        }
        return out
    }

    /// Widens `<dimension ref>` to cover the written cells.
    private mutating func dimensionEdit(_ a: FillAttribute, _ updates: [CellUpdate]) {
        let old = sc.value(a)
        // The byte parser of `CellRange(a1:)`'s grammar (the generic one splits a String).
        guard let range = Array(old.utf8).withUnsafeBufferPointer({ CellRange.parse($0) }) else { return }
        var first = range.first, last = range.last
        for u in updates {
            first = CellRef(row: min(first.row, u.ref.row), col: min(first.col, u.ref.col))
            last = CellRef(row: max(last.row, u.ref.row), col: max(last.col, u.ref.col))
        }
        let widened = CellRange(first: first, last: last)
        guard widened != range else { return }
        let text = widened.first == widened.last ? widened.first.a1 : widened.a1
        edits.append((a.valueStart, a.valueEnd, Array(text.utf8)))
    }
}

// MARK: - rows and cells out of order

/// Thrown by the in-order walk when the sheet is not in order; `run` then takes the general path.
private struct Irregular: Error {}

extension FillSheetPatcher {
    /// One `<row>` element of the general path.
    fileprivate struct RowElement {
        var index: UInt32
        var tag: FillTag
        /// Where cells that go after all of this element's cells are inserted: before its first child that is not
        /// a cell (`extLst`), else before its end tag; nil for an empty `<row/>`.
        var tail: Int?
        /// The element's cells that the reader puts in this row: column and start offset, in document order.
        var cells: [(col: UInt16, start: Int)] = []
    }

    /// The general path: patches the cells the reader would read when rows or cells are out of order,
    /// repeated (the last occurrence is the one read) or name another row. An existing cell is replaced where
    /// its last occurrence is; a missing one goes into the last `<row>` element of its row, before the first
    /// cell of a greater column (else at its end); a missing row goes before the first `<row>` element of a
    /// greater row (else at the end of `<sheetData>`). The scanner stands just after `<sheetData>`.
    fileprivate mutating func walkIrregular(_ p: [UInt8], _ updates: [CellUpdate]) throws {
        var rows: [RowElement] = []
        var lastRowOf: [UInt32: Int] = [:]
        var lastCell: [CellRef: FillTag] = [:]
        var sheetDataEnd: Int?
        var previous: Int = -1
        scan: while let t = try sc.next() {
            if t.kind == .end {
                if sc.isLocal(t, "sheetData") { sheetDataEnd = t.start; break scan }
                continue
            }
            guard sc.isLocal(t, "row") else {
                if t.kind == .start { _ = try sc.skipElement(t) }
                continue
            }
            var index = UInt32(previous + 1)
            if let r = sc.attribute("r", of: t), let n = number(r), n >= 1, n <= Int(CellRef.maxRow) + 1 {
                index = UInt32(n - 1)
            }
            previous = Int(index)
            guard index <= CellRef.maxRow else { continue }
            var row = RowElement(index: index, tag: t, tail: nil)
            if t.kind == .start {
                var col = -1
                while let c = try sc.next() {
                    if c.kind == .end {
                        if sc.isLocal(c, "row") { if row.tail == nil { row.tail = c.start }; break }
                        continue
                    }
                    guard sc.isLocal(c, "c") else {
                        if row.tail == nil { row.tail = c.start }
                        if c.kind == .start { _ = try sc.skipElement(c) }
                        continue
                    }
                    var cellRow = index
                    col += 1
                    if let r = sc.attribute("r", of: c) {
                        let parsed = src.withUnsafeBufferPointer {
                            CellRef.parse(UnsafeBufferPointer(rebasing: $0[r.valueStart..<r.valueEnd]))
                        }
                        if let parsed {
                            cellRow = parsed.row
                            col = Int(parsed.col)
                        }
                    }
                    if c.kind == .start { _ = try sc.skipElement(c) }
                    guard col <= Int(CellRef.maxCol) else { continue }  // dropped by the reader
                    lastCell[CellRef(row: cellRow, col: UInt16(col))] = c
                    if cellRow == index { row.cells.append((UInt16(col), c.start)) }
                }
                guard row.tail != nil else { throw JixiaoError(.corrupt, "<row> is not closed", at: location()) }
            }
            lastRowOf[index] = rows.count
            rows.append(row)
        }
        guard let sheetDataEnd else { throw JixiaoError(.corrupt, "<sheetData> is not closed", at: location()) }

        // Insertions by offset, each a list of updates in order; empty rows to rebuild by row element.
        var cellInserts: [Int: (row: Int, updates: [CellUpdate])] = [:]
        var emptyRowFills: [Int: [CellUpdate]] = [:]
        var rowInserts: [Int: [CellUpdate]] = [:]
        for u in updates {
            if let t = lastCell[u.ref] {
                sc.pos = t.end
                try replaceCell(t, u)
            } else if let k = lastRowOf[u.ref.row] {
                let row = rows[k]
                guard let tail = row.tail else {
                    emptyRowFills[k, default: []].append(u)
                    continue
                }
                let offset = row.cells.first(where: { $0.col > u.ref.col })?.start ?? tail
                cellInserts[offset, default: (k, [])].updates.append(u)
            } else {
                let offset = rows.first(where: { $0.index > u.ref.row })?.tag.start ?? sheetDataEnd
                rowInserts[offset, default: []].append(u)
            }
        }
        var widened: [Int: [Int]] = [:]
        for (offset, group) in cellInserts {
            let row = rows[group.row]
            let style = styleOfRow(row.tag)
            var out: [UInt8] = []
            for u in group.updates {
                out += try newCell(sc.prefix(of: row.tag), u, style: style ?? colStyle(u.ref.col))
                inserted += 1
            }
            edits.append((offset, offset, out))
            widened[group.row, default: []] += group.updates.map { Int($0.ref.col) + 1 }
        }
        for (k, cols) in widened {
            if let sp = sc.attribute("spans", of: rows[k].tag), let fixed = widenedSpans(sc.value(sp), cols) {
                edits.append((sp.valueStart, sp.valueEnd, Array(fixed.utf8)))
            }
        }
        for (k, list) in emptyRowFills {
            let t = rows[k].tag
            let style = styleOfRow(t)
            var out = rebuiltStartTag(t, sc.attributes(of: t), extraCols: list.map { Int($0.ref.col) + 1 })
            for u in list {
                out += try newCell(sc.prefix(of: t), u, style: style ?? colStyle(u.ref.col))
                inserted += 1
            }
            out += close(sc.prefix(of: t), "row")
            edits.append((t.start, t.end, out))
        }
        for (offset, list) in rowInserts {
            var out: [UInt8] = []
            for group in groupByRow(list[...]) { out += try newRow(p, group) }
            edits.append((offset, offset, out))
        }
    }
}
