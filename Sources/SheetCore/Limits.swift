/// Safety limits for reading untrusted files. Every limit is named in the error when hit, and each can be
/// overridden (the CLI exposes them as `--max-*` flags). Defaults allow the largest real workbooks
/// (2,000,000 rows) while stopping zip bombs and XML bombs early.
public struct ReadLimits: Sendable, Hashable {
    /// ZIP entries in one archive.
    public var maxZipEntries: Int = 65_536
    /// Uncompressed bytes of one package part.
    public var maxPartSize: UInt64 = 4 << 30
    /// Uncompressed bytes of all parts read together.
    public var maxTotalSize: UInt64 = 8 << 30
    /// Uncompressed/compressed ratio of one entry, checked while inflating once past `ratioGrace` bytes.
    public var maxCompressionRatio: UInt64 = 200
    public var ratioGrace: UInt64 = 1 << 20
    /// XML element nesting depth.
    public var maxXMLDepth: Int = 256
    /// Attributes on one XML element.
    public var maxXMLAttributes: Int = 256
    /// Shared strings: count and total/one length in bytes.
    public var maxSharedStrings: Int = 10_000_000
    public var maxStringLength: Int = 32_767 * 4
    /// Bytes of formula text made by expanding shared formulas in one sheet (each dependent cell gets the
    /// master's text, moved).
    public var maxFormulaExpansion: Int = 64 << 20
    /// Merged ranges per sheet.
    public var maxMergedRanges: Int = 1_000_000
    /// Rows and cells kept in memory for one sheet, and for all sheets of a workbook read together
    /// (streaming readers are not bound by these: `dump --csv`, `convert` of a plain grid). A cell held in
    /// memory costs 60–80 bytes besides its text, so the default cells keep a sheet of tiny cells (`1,1,1,…`)
    /// under about 160 MB; indicator tables have a few thousand.
    public var maxRowsInMemory: Int = 2_000_000
    public var maxCellsInMemory: Int = 2_000_000
    /// CSV field and line length in bytes.
    public var maxCSVField: Int = 1 << 20
    public var maxCSVLine: Int = 16 << 20

    public init() {}

    public static let `default` = ReadLimits()
}
