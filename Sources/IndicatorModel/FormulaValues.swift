import SheetCore

/// The values that simple formulas of a sheet give, worked out from the sheet itself.
///
/// A workbook stores each formula with the value it had when it was last calculated. Programs that write
/// workbooks without calculating (xlsxwriter writes 0 unless told the result, some exporters write nothing)
/// leave values that Excel and WPS recompute the moment the file is opened: a 合计 of `=SUM(E3:E30)` shows the
/// sum there, while the file says 0. A reviewer reads what the spreadsheet shows, so the normaliser does too:
/// a formula made only of numbers, cell references, ranges, `+ - * /`, parentheses, `SUM` and `ROUND` over
/// cells of the same sheet is evaluated (its references evaluated in turn, without loops); any other formula
/// (other functions, other sheets, names, text) keeps the value stored in the file.
public enum FormulaValues {
    /// `grid` with every formula cell that can be evaluated holding its evaluated number. The same grid (no copy)
    /// when no cell has a formula.
    public static func resolved(_ grid: Grid) -> Grid {
        guard grid.rows.contains(where: { $0.cells.contains { $0.formula != nil } }) else { return grid }
        var evaluator = Evaluator(grid: grid)
        var out = grid
        for i in out.rows.indices {
            for j in out.rows[i].cells.indices {
                guard out.rows[i].cells[j].formula != nil else { continue }
                let ref = CellRef(row: out.rows[i].index, col: out.rows[i].cells[j].col)
                if let v = evaluator.value(of: ref) { out.rows[i].cells[j].value = .number(v) }
            }
        }
        return out
    }

    /// The value of one formula evaluated over `grid` (nil when it is not a formula this evaluator reads).
    public static func evaluate(_ formula: String, in grid: Grid) -> Double? {
        var evaluator = Evaluator(grid: grid)
        return evaluator.evaluate(formula)
    }

    struct Evaluator {
        let grid: Grid
        /// Formula cells worked out (nil: cannot be), and those being worked out (a loop gives nil).
        var done: [CellRef: Double?] = [:]
        var active: Set<CellRef> = []
        static let maxDepth = 64
        /// Cells looked at and formulas read, over the whole sheet: past this, formulas keep their saved values
        /// (a hostile sheet of thousands of formulas over large ranges must not cost minutes).
        var budget = 200_000

        init(grid: Grid) { self.grid = grid }

        /// A cell's number: its formula's value when it has one that can be evaluated, else its stored number;
        /// 0 for an empty cell; nil for text, errors and formulas that cannot be evaluated.
        mutating func value(of ref: CellRef) -> Double? {
            guard let cell = grid.cell(at: ref) else { return 0 }
            if let formula = cell.formula {
                if let known = done[ref] { return known }
                guard active.count < Evaluator.maxDepth, !active.contains(ref) else { return nil }
                active.insert(ref)
                let v = evaluate(formula)
                active.remove(ref)
                done[ref] = v
                return v
            }
            switch cell.value {
            case .number(let d): return d
            case .empty: return 0
            default: return nil
            }
        }

        mutating func evaluate(_ formula: String) -> Double? {
            budget -= formula.utf8.count
            guard budget > 0 else { return nil }
            var p = Parser(text: Array(formula.utf8))
            if p.peek == UInt8(ascii: "=") { p.i += 1 }
            guard let v = expression(&p), p.atEnd, v.isFinite else { return nil }
            return v
        }

        // expression := term (('+' | '-') term)*
        mutating func expression(_ p: inout Parser) -> Double? {
            guard var v = term(&p) else { return nil }
            while true {
                p.skipSpaces()
                guard let op = p.peek, op == UInt8(ascii: "+") || op == UInt8(ascii: "-") else { return v }
                p.i += 1
                guard let w = term(&p) else { return nil }
                v = op == UInt8(ascii: "+") ? v + w : v - w
            }
        }

        // term := factor (('*' | '/') factor)*
        mutating func term(_ p: inout Parser) -> Double? {
            guard var v = factor(&p) else { return nil }
            while true {
                p.skipSpaces()
                guard let op = p.peek, op == UInt8(ascii: "*") || op == UInt8(ascii: "/") else { return v }
                p.i += 1
                guard let w = factor(&p) else { return nil }
                if op == UInt8(ascii: "/") {
                    guard w != 0 else { return nil }  // #DIV/0!
                    v /= w
                } else {
                    v *= w
                }
            }
        }

        // factor := number | reference | SUM(args) | ROUND(expression, expression) | '(' expression ')' | sign factor
        mutating func factor(_ p: inout Parser) -> Double? {
            p.skipSpaces()
            guard let c = p.peek else { return nil }
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                p.i += 1
                guard let v = factor(&p) else { return nil }
                return c == UInt8(ascii: "-") ? -v : v
            }
            if c == UInt8(ascii: "(") {
                p.i += 1
                guard let v = expression(&p) else { return nil }
                p.skipSpaces()
                guard p.take(UInt8(ascii: ")")) else { return nil }
                return v
            }
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: ".") { return p.number() }
            if let name = p.function() {
                switch name {
                case "SUM": return sum(&p)
                case "ROUND": return round(&p)
                default: return nil
                }
            }
            guard let range = p.reference() else { return nil }
            guard range.first == range.last else { return nil }  // a range outside SUM
            return value(of: range.first)
        }

        /// SUM's arguments after its `(`: ranges sum their numbers (text and empty cells count nothing, as in
        /// Excel); other arguments are expressions.
        mutating func sum(_ p: inout Parser) -> Double? {
            var total = 0.0
            p.skipSpaces()
            if p.take(UInt8(ascii: ")")) { return 0 }
            while true {
                p.skipSpaces()
                let start = p.i
                if let range = p.reference(), p.nextIsArgumentEnd() {
                    guard let s = rangeSum(range) else { return nil }
                    total += s
                } else {
                    p.i = start
                    guard let v = expression(&p) else { return nil }
                    total += v
                }
                p.skipSpaces()
                if p.take(UInt8(ascii: ")")) { return total }
                guard p.take(UInt8(ascii: ",")) else { return nil }
            }
        }

        mutating func round(_ p: inout Parser) -> Double? {
            guard let v = expression(&p) else { return nil }
            p.skipSpaces()
            guard p.take(UInt8(ascii: ",")), let digits = expression(&p) else { return nil }
            p.skipSpaces()
            guard p.take(UInt8(ascii: ")")), abs(digits) <= 15 else { return nil }
            var scale = 1.0
            for _ in 0..<Int(abs(digits.rounded(.towardZero))) { scale *= 10 }
            // Excel rounds halves away from zero.
            return digits >= 0 ? (v * scale).rounded(.toNearestOrAwayFromZero) / scale
                               : (v / scale).rounded(.toNearestOrAwayFromZero) * scale
        }

        /// The numbers of a range: stored numbers and the values of formulas that can be evaluated; text,
        /// booleans and empty cells count nothing. Nil when a formula inside cannot be evaluated or an error
        /// value is inside (Excel's SUM gives the error then).
        mutating func rangeSum(_ range: CellRange) -> Double? {
            var total = 0.0
            // Rows are sorted by index and cells by column: the range's first row and cell are searched for.
            let rows = grid.rows
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if rows[mid].index < range.first.row { lo = mid + 1 } else { hi = mid }
            }
            for r in lo..<rows.count {
                let row = rows[r]
                guard row.index <= range.last.row else { break }
                let cells = row.cells
                var c = 0, e = cells.count
                while c < e {
                    let mid = (c + e) / 2
                    if cells[mid].col < range.first.col { c = mid + 1 } else { e = mid }
                }
                for cell in cells[c...] {
                    guard cell.col <= range.last.col else { break }
                    budget -= 1
                    guard budget > 0 else { return nil }
                    if cell.formula != nil {
                        guard let v = value(of: CellRef(row: row.index, col: cell.col)) else { return nil }
                        total += v
                        continue
                    }
                    switch cell.value {
                    case .number(let d): total += d
                    case .error: return nil
                    default: break
                    }
                }
            }
            return total
        }
    }

    /// Bytes of a formula, read left to right.
    struct Parser {
        let text: [UInt8]
        var i = 0

        var peek: UInt8? { i < text.count ? text[i] : nil }
        var atEnd: Bool {
            mutating get { skipSpaces(); return i == text.count }
        }

        mutating func skipSpaces() {
            while i < text.count, text[i] == 0x20 || text[i] == 0x0A || text[i] == 0x0D || text[i] == 0x09 { i += 1 }
        }

        mutating func take(_ b: UInt8) -> Bool {
            guard peek == b else { return false }
            i += 1
            return true
        }

        /// `123`, `1.5`, `.5`, `1E3`.
        mutating func number() -> Double? {
            let start = i
            while let c = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: ".") { i += 1 }
            if let c = peek, c == UInt8(ascii: "E") || c == UInt8(ascii: "e") {
                i += 1
                if let s = peek, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { i += 1 }
                while let c = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { i += 1 }
            }
            return Double(String(decoding: text[start..<i], as: UTF8.self))
        }

        /// An upper-cased function name followed by `(` (consumed), or nil (nothing consumed).
        mutating func function() -> String? {
            var j = i
            while j < text.count, text[j] < 0x80, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(text[j] & 0xDF) { j += 1 }
            guard j > i, j < text.count, text[j] == UInt8(ascii: "(") else { return nil }
            let name = String(decoding: text[i..<j], as: UTF8.self).uppercased()
            i = j + 1
            return name
        }

        /// `A1`, `$B$3`, `A1:C9` (also written backwards); nil (nothing consumed) otherwise. Whole columns or
        /// rows, other sheets and names are not read.
        mutating func reference() -> CellRange? {
            let start = i
            guard let a = cell() else { i = start; return nil }
            if take(UInt8(ascii: ":")) {
                guard let b = cell() else { i = start; return nil }
                return CellRange(first: CellRef(row: min(a.row, b.row), col: min(a.col, b.col)),
                                 last: CellRef(row: max(a.row, b.row), col: max(a.col, b.col)))
            }
            return CellRange(first: a, last: a)
        }

        mutating func cell() -> CellRef? {
            let start = i
            _ = take(UInt8(ascii: "$"))
            var letters = ""
            while let c = peek, c < 0x80, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c & 0xDF), letters.count < 4 {
                letters.append(Character(Unicode.Scalar(c & 0xDF)))
                i += 1
            }
            _ = take(UInt8(ascii: "$"))
            var digits = 0
            var row = 0
            while let c = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c), digits < 8 {
                row = row * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
                i += 1
            }
            guard !letters.isEmpty, digits > 0, row >= 1, row <= Int(CellRef.maxRow) + 1,
                  let col = CellRef.columnIndex(letters),
                  // Not the start of a longer name (`A1B`), a function (`LOG10(`) or another sheet (`A1!`).
                  peek.map({ !(($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z")) && $0 != UInt8(ascii: "(")
                      && $0 != UInt8(ascii: "!") && $0 != UInt8(ascii: "_") && !($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }) ?? true
            else { i = start; return nil }
            return CellRef(row: UInt32(row - 1), col: col)
        }

        /// After a reference: the end of a SUM argument (`,` or `)`), spaces allowed.
        mutating func nextIsArgumentEnd() -> Bool {
            skipSpaces()
            return peek == UInt8(ascii: ",") || peek == UInt8(ascii: ")")
        }
    }
}
