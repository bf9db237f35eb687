import SheetCore

/// Shared formulas (`<f t="shared" si="n">`): only the master cell stores the text; every other cell of the
/// group gets the master's formula with its relative references moved by the cell's offset from the master,
/// as Excel does when it fills a formula down or across.
enum SharedFormula {
    /// Moves the relative parts of the A1 references in `formula` by `rows`/`cols`; `$`-anchored parts stay.
    /// Text in double quotes, quoted sheet names and structured references (`Table[Column]`) are left alone;
    /// a reference moved off the sheet becomes `#REF!`.
    static func shift(_ formula: String, rows: Int, cols: Int) -> String {
        if rows == 0 && cols == 0 { return formula }
        let u = Array(formula.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count + 8)
        var i = 0
        let n = u.count
        @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        @inline(__always) func isNameChar(_ b: UInt8) -> Bool {
            isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b >= 0x80
        }
        while i < n {
            let b = u[i]
            // Literals and quoted names: copy through to the closing quote (doubled quotes escape).
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                let q = b
                out.append(b)
                i += 1
                while i < n {
                    out.append(u[i])
                    if u[i] == q {
                        if i + 1 < n, u[i + 1] == q { out.append(q); i += 2; continue }
                        i += 1
                        break
                    }
                    i += 1
                }
                continue
            }
            if b == UInt8(ascii: "[") {
                var depth = 0
                while i < n {
                    if u[i] == UInt8(ascii: "[") { depth += 1 }
                    if u[i] == UInt8(ascii: "]") { depth -= 1 }
                    out.append(u[i])
                    i += 1
                    if depth == 0 { break }
                }
                continue
            }
            let startsToken = i == 0 || !isNameChar(u[i - 1])
            // Whole columns (`G:H`) and whole rows (`7:8`).
            if startsToken, let (text, end) = lineRange(u, i, rows: rows, cols: cols),
               end == n || !(isNameChar(u[end]) || u[end] == UInt8(ascii: "(") || u[end] == UInt8(ascii: "!")) {
                out.append(contentsOf: text.utf8)
                i = end
                continue
            }
            if startsToken, b == UInt8(ascii: "$") || isLetter(b), let (ref, end) = parseRef(u, i),
               end == n || !(isNameChar(u[end]) || u[end] == UInt8(ascii: "(") || u[end] == UInt8(ascii: "!")) {
                out.append(contentsOf: shifted(ref, rows: rows, cols: cols).utf8)
                i = end
                continue
            }
            // Copy a whole name/number token so that digits inside names (LOG10, A1B) are not read as refs.
            if isNameChar(b) {
                while i < n, isNameChar(u[i]) { out.append(u[i]); i += 1 }
                continue
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `[$]A:[$]B` (columns) or `[$]1:[$]2` (rows) at `i`, moved; nil when there is none.
    private static func lineRange(_ u: [UInt8], _ start: Int, rows: Int, cols: Int) -> (String, Int)? {
        func part(_ i: inout Int, letters: Bool) -> (abs: Bool, value: Int)? {
            var abs = false
            if i < u.count, u[i] == UInt8(ascii: "$") { abs = true; i += 1 }
            var v = 0, count = 0
            while i < u.count {
                let b = u[i]
                if letters, (b | 0x20) >= 97, (b | 0x20) <= 122 { v = v * 26 + Int((b | 0x20) - 96) }
                else if !letters, b >= 48, b <= 57 { v = v * 10 + Int(b - 48) }
                else { break }
                count += 1
                i += 1
                if count > (letters ? 3 : 7) { return nil }
            }
            return count > 0 ? (abs, v) : nil
        }
        for letters in [true, false] {
            var i = start
            guard let a = part(&i, letters: letters), i < u.count, u[i] == UInt8(ascii: ":") else { continue }
            i += 1
            guard let b = part(&i, letters: letters) else { continue }
            let limit = letters ? Int(CellRef.maxCol) + 1 : Int(CellRef.maxRow) + 1
            let delta = letters ? cols : rows
            var texts: [String] = []
            for p in [a, b] {
                guard p.value >= 1, p.value <= limit else { return nil }
                let v = p.abs ? p.value : p.value + delta
                guard v >= 1, v <= limit else { return ("#REF!", i) }
                texts.append((p.abs ? "$" : "") + (letters ? CellRef.columnName(UInt16(v - 1)) : String(v)))
            }
            return (texts.joined(separator: ":"), i)
        }
        return nil
    }

    private struct Ref {
        var colAbs: Bool, col: Int, rowAbs: Bool, row: Int
    }

    /// `[$]LETTERS[$]DIGITS` at `i`: the reference (0-based) and the index after it.
    private static func parseRef(_ u: [UInt8], _ start: Int) -> (Ref, Int)? {
        var i = start
        let n = u.count
        var r = Ref(colAbs: false, col: 0, rowAbs: false, row: 0)
        if i < n, u[i] == UInt8(ascii: "$") { r.colAbs = true; i += 1 }
        var letters = 0
        while i < n, (u[i] | 0x20) >= 97, (u[i] | 0x20) <= 122 {
            r.col = r.col * 26 + Int((u[i] | 0x20) - 96)
            letters += 1
            i += 1
            if letters > 3 { return nil }
        }
        guard letters > 0 else { return nil }
        if i < n, u[i] == UInt8(ascii: "$") { r.rowAbs = true; i += 1 }
        var digits = 0
        while i < n, u[i] >= 48, u[i] <= 57 {
            r.row = r.row * 10 + Int(u[i] - 48)
            digits += 1
            i += 1
            if digits > 7 { return nil }
        }
        guard digits > 0, r.row >= 1, r.row <= Int(CellRef.maxRow) + 1, r.col <= Int(CellRef.maxCol) + 1 else { return nil }
        r.col -= 1
        r.row -= 1
        return (r, i)
    }

    private static func shifted(_ r: Ref, rows: Int, cols: Int) -> String {
        let row = r.rowAbs ? r.row : r.row + rows
        let col = r.colAbs ? r.col : r.col + cols
        guard row >= 0, row <= Int(CellRef.maxRow), col >= 0, col <= Int(CellRef.maxCol) else { return "#REF!" }
        return (r.colAbs ? "$" : "") + CellRef.columnName(UInt16(col)) + (r.rowAbs ? "$" : "") + String(row + 1)
    }
}
