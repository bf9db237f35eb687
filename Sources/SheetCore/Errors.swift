/// Where something is: file, and as far as known the package part, sheet, cell or CSV line.
/// Prints like a compiler location: `附件2.xlsx!Sheet1!F23`, `data.csv:12`, `book.xlsx (xl/worksheets/sheet1.xml)`.
public struct Location: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var part: String?
    public var sheet: String?
    public var cell: CellRef?
    /// 1-based line (CSV).
    public var line: Int?

    public init(file: String, part: String? = nil, sheet: String? = nil, cell: CellRef? = nil, line: Int? = nil) {
        self.file = file
        self.part = part
        self.sheet = sheet
        self.cell = cell
        self.line = line
    }

    public func with(part: String? = nil, sheet: String? = nil, cell: CellRef? = nil, line: Int? = nil) -> Location {
        var l = self
        if let part { l.part = part }
        if let sheet { l.sheet = sheet }
        if let cell { l.cell = cell }
        if let line { l.line = line }
        return l
    }

    public var description: String {
        var s = file
        if let sheet {
            s += "!" + sheet
            if let cell { s += "!" + cell.a1 }
        } else if let cell {
            s += "!" + cell.a1
        }
        if let line { s += ":\(line)" }
        if sheet == nil, cell == nil, let part { s += " (\(part))" }
        return s
    }
}

/// The one error type that crosses layers. `kind` says what went wrong, `location` where, `message` what was
/// expected; `underlying` keeps a C library's own text (zlib, libxml2, iconv) when there is one.
public struct JixiaoError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not a ZIP/XLSX/CSV at all (wrong magic, empty file, a lock file).
        case notAWorkbook = "not-a-workbook"
        /// An OLE/CFB container: an encrypted or password-protected workbook (or a legacy .xls).
        case encrypted
        /// The file ends early.
        case truncated
        /// Structure is damaged (bad ZIP records, bad CRC, malformed XML, missing parts).
        case corrupt
        /// A configured limit was hit (entry count, part size, ratio, depth, ...).
        case limitExceeded = "limit-exceeded"
        /// XML with a DOCTYPE/entities, or anything else refused for safety.
        case unsafe
        /// Valid but not supported.
        case unsupported
        /// Reading or writing the file system failed.
        case io
        /// A value of the wrong kind where a specific one was expected.
        case invalidValue = "invalid-value"
        /// No indicator table was found in the workbook.
        case noTable = "no-table"
        /// Bad command-line usage or options.
        case usage
    }

    public var kind: Kind
    public var location: Location?
    public var message: String
    public var underlying: String?

    public init(_ kind: Kind, _ message: String, at location: Location? = nil, underlying: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.underlying = underlying
    }

    public var description: String {
        var s = location.map { "\($0): " } ?? ""
        s += message
        if let underlying, !underlying.isEmpty { s += " (\(underlying))" }
        return s
    }

    /// Fills in the parts of the location that are not set yet (the outer layer knows the file name).
    public func located(_ outer: Location) -> JixiaoError {
        var e = self
        guard var l = e.location else { e.location = outer; return e }
        if l.file.isEmpty { l.file = outer.file }
        if l.part == nil { l.part = outer.part }
        if l.sheet == nil { l.sheet = outer.sheet }
        if l.cell == nil { l.cell = outer.cell }
        if l.line == nil { l.line = outer.line }
        e.location = l
        return e
    }
}
