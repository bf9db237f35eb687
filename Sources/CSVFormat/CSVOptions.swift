import SheetCore

/// Text encodings a CSV file can be read in or written as.
///
/// Reading treats `.utf8` and `.utf8BOM` alike (a BOM is skipped when present). `.gbk` and `.gb18030` are
/// decoded and encoded with the C library's `iconv`; GB18030 is a superset of GBK and is what detection picks.
/// UTF-16 is Excel's "Unicode text" (tab-separated, with a BOM).
public enum CSVEncoding: String, Sendable, CaseIterable {
    case utf8
    case utf8BOM = "utf8-bom"
    case gb18030
    case gbk
    case utf16le
    case utf16be

    /// The name `iconv` knows the encoding by.
    public var iconvName: String {
        switch self {
        case .utf8, .utf8BOM: return "UTF-8"
        case .gb18030: return "GB18030"
        case .gbk: return "GBK"
        case .utf16le: return "UTF-16LE"
        case .utf16be: return "UTF-16BE"
        }
    }

    /// The byte-order mark a writer puts first (empty for `.utf8`, `.gbk`, `.gb18030`).
    public var byteOrderMark: [UInt8] {
        switch self {
        case .utf8BOM: return [0xEF, 0xBB, 0xBF]
        case .utf16le: return [0xFF, 0xFE]
        case .utf16be: return [0xFE, 0xFF]
        case .utf8, .gbk, .gb18030: return []
        }
    }
}

/// How to read a CSV file. Everything left `nil` is detected.
public struct CSVOptions: Sendable {
    /// The file's encoding; `nil` detects it: a BOM first, else valid UTF-8, else GB18030.
    public var encoding: CSVEncoding?
    /// The field separator; `nil` detects it among `,` `;` and tab from the first records.
    public var delimiter: UInt8?
    /// Turns plain decimals (`12`, `-3.5`, `1e3`, `0.25`) into numbers, as Excel does when it opens a CSV.
    /// Text with leading zeros (`007`), a leading `+`, spaces, `%`, thousands separators or full-width digits,
    /// and integers too long to be held exactly, stay strings.
    public var inferNumbers: Bool
    /// Field and line length limits (`maxCSVField`, `maxCSVLine`) and, for whole-grid reads, the in-memory row
    /// and cell limits.
    public var limits: ReadLimits

    public init(encoding: CSVEncoding? = nil, delimiter: UInt8? = nil, inferNumbers: Bool = true,
                limits: ReadLimits = .default) {
        self.encoding = encoding
        self.delimiter = delimiter
        self.inferNumbers = inferNumbers
        self.limits = limits
    }
}

/// Byte constants used by the reader and writer.
enum ASCII {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let tab: UInt8 = 0x09
    static let space: UInt8 = 0x20
}
