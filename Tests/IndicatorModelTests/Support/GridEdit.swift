import SheetCore

/// Grid rewrites that turn a seed table into the other shapes real tables come in.
enum GridEdit {
    /// All stored cells as (ref, value).
    static func cells(_ g: Grid) -> [(CellRef, CellValue)] {
        g.rows.flatMap { r in r.cells.map { (CellRef(row: r.index, col: $0.col), $0.value) } }
    }

    static func rebuilt(_ g: Grid, name: String? = nil, cells: [(CellRef, CellValue)], merged: [CellRange]) -> Grid {
        var out = Grid(info: SheetInfo(name: name ?? g.name, visibility: g.info.visibility), rows: [], merged: merged.sorted())
        for (ref, v) in cells where !v.isEmpty { out.set(ref, v) }
        return out
    }

    /// The table moved down and right (an empty margin column, note rows above), with notes added.
    static func offset(_ g: Grid, rows dr: UInt32, cols dc: UInt16) -> Grid {
        let moved = cells(g).map { (CellRef(row: $0.0.row + dr, col: $0.0.col + dc), $0.1) }
        let merged = g.merged.map {
            CellRange(first: CellRef(row: $0.first.row + dr, col: $0.first.col + dc),
                      last: CellRef(row: $0.last.row + dr, col: $0.last.col + dc))
        }
        return rebuilt(g, cells: moved, merged: merged)
    }

    /// Sets cells (row, col, text) on a grid.
    static func with(_ g: Grid, _ edits: [(UInt32, UInt16, CellValue)]) -> Grid {
        var out = g
        for (r, c, v) in edits { out.set(CellRef(row: r, col: c), v) }
        return out
    }

    /// No merges; every row repeats its parents' names in the level columns.
    static func repeatedParents(_ g: Grid, header: UInt32, levels: [UInt16], stopAt totalsRow: UInt32) -> Grid {
        var out = g
        out.merged = []
        var current = [String](repeating: "", count: levels.count)
        for r in (header + 1)..<totalsRow {
            let texts = levels.map { g[r, $0].text.trimmingSpaces }
            guard let d = texts.lastIndex(where: { !$0.isEmpty }) else { continue }
            for l in 0...d {
                if texts[l].isEmpty {
                    out.set(CellRef(row: r, col: levels[l]), .string(current[l]))
                } else {
                    current[l] = texts[l]
                    for k in (l + 1)..<levels.count { current[k] = "" }
                }
            }
        }
        return out
    }

    /// Numbers in some columns written as text, the ways people do: `1　`, `　2`, `１０`, `5分`, `10.0`.
    static func textNumbers(_ g: Grid, cols: [UInt16], from: UInt32) -> Grid {
        var out = g
        var i = 0
        for (ref, v) in cells(g) where ref.row >= from && cols.contains(ref.col) {
            guard case .number(let d) = v else { continue }
            let n = CellValue.format(d)
            let fullWidth = String(String.UnicodeScalarView(n.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
            let variants = ["\(n)\u{3000}", "\u{3000}\(n)", fullWidth, "\(n)分", "\(n).0", " \(n) "]
            out.set(ref, .string(variants[i % variants.count]))
            i += 1
        }
        return out
    }

    /// Header texts replaced (by exact current text).
    static func renameHeader(_ g: Grid, row: UInt32, _ names: [String: String]) -> Grid {
        var out = g
        for (ref, v) in cells(g) where ref.row == row {
            if let n = names[v.text] { out.set(ref, .string(n)) }
        }
        return out
    }

    /// Cell texts rewritten by a function (for name variants).
    static func mapTexts(_ g: Grid, rows: ClosedRange<UInt32>, cols: [UInt16], _ f: (String) -> String) -> Grid {
        var out = g
        for (ref, v) in cells(g) where rows.contains(ref.row) && cols.contains(ref.col) {
            if case .string(let s) = v { out.set(ref, .string(f(s))) }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
