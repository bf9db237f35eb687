import ArgumentParser
import Foundation
import SheetCore

/// The `--max-*` options shared by every command that reads a workbook (`@OptionGroup(title: "Limits")`).
/// Each overrides one `ReadLimits` field; sizes take a `K`, `M` or `G` suffix (powers of 1024). The defaults
/// stop zip bombs, XML bombs and oversized files early while letting the largest real workbooks through.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-zip-entries"), help: ArgumentHelp("ZIP entries in one archive (default \(ReadLimits.default.maxZipEntries)).", valueName: "n"))
    var maxZipEntries: Int?

    @Option(name: .customLong("max-part-size"), help: ArgumentHelp("Uncompressed size of one package part (default 4G).", valueName: "size"))
    var maxPartSize: ByteSize?

    @Option(name: .customLong("max-total-size"), help: ArgumentHelp("Uncompressed size of all parts read (default 8G).", valueName: "size"))
    var maxTotalSize: ByteSize?

    @Option(name: .customLong("max-compression-ratio"), help: ArgumentHelp("Uncompressed/compressed ratio of a part, checked while inflating (default \(ReadLimits.default.maxCompressionRatio)).", valueName: "n"))
    var maxCompressionRatio: UInt64?

    @Option(name: .customLong("compression-ratio-grace"), help: ArgumentHelp("Bytes a part may inflate to before the ratio is checked (default 1M).", valueName: "size"))
    var ratioGrace: ByteSize?

    @Option(name: .customLong("max-xml-depth"), help: ArgumentHelp("XML element nesting depth (default \(ReadLimits.default.maxXMLDepth)).", valueName: "n"))
    var maxXMLDepth: Int?

    @Option(name: .customLong("max-xml-attributes"), help: ArgumentHelp("Attributes on one XML element (default \(ReadLimits.default.maxXMLAttributes)).", valueName: "n"))
    var maxXMLAttributes: Int?

    @Option(name: .customLong("max-shared-strings"), help: ArgumentHelp("Shared strings in a workbook (default \(ReadLimits.default.maxSharedStrings)).", valueName: "n"))
    var maxSharedStrings: Int?

    @Option(name: .customLong("max-string-length"), help: ArgumentHelp("Bytes of one cell text or shared string (default \(ReadLimits.default.maxStringLength)).", valueName: "size"))
    var maxStringLength: ByteSize?

    @Option(name: .customLong("max-formula-expansion"), help: ArgumentHelp("Bytes of formula text made by expanding shared formulas in a sheet (default 64M).", valueName: "size"))
    var maxFormulaExpansion: ByteSize?

    @Option(name: .customLong("max-merged-ranges"), help: ArgumentHelp("Merged ranges in one sheet (default \(ReadLimits.default.maxMergedRanges)).", valueName: "n"))
    var maxMergedRanges: Int?

    @Option(name: .customLong("max-rows"), help: ArgumentHelp("Rows of one sheet held in memory (default \(ReadLimits.default.maxRowsInMemory)).", valueName: "n"))
    var maxRowsInMemory: Int?

    @Option(name: .customLong("max-cells"), help: ArgumentHelp("Cells of one sheet held in memory (default \(ReadLimits.default.maxCellsInMemory)).", valueName: "n"))
    var maxCellsInMemory: Int?

    @Option(name: .customLong("max-csv-field"), help: ArgumentHelp("Bytes of one CSV field (default 1M).", valueName: "size"))
    var maxCSVField: ByteSize?

    @Option(name: .customLong("max-csv-line"), help: ArgumentHelp("Bytes of one CSV record (default 16M).", valueName: "size"))
    var maxCSVLine: ByteSize?

    /// The limits: the defaults with the options given applied.
    var limits: ReadLimits {
        var l = ReadLimits()
        if let v = maxZipEntries { l.maxZipEntries = v }
        if let v = maxPartSize { l.maxPartSize = v.bytes }
        if let v = maxTotalSize { l.maxTotalSize = v.bytes }
        if let v = maxCompressionRatio { l.maxCompressionRatio = v }
        if let v = ratioGrace { l.ratioGrace = v.bytes }
        if let v = maxXMLDepth { l.maxXMLDepth = v }
        if let v = maxXMLAttributes { l.maxXMLAttributes = v }
        if let v = maxSharedStrings { l.maxSharedStrings = v }
        if let v = maxStringLength { l.maxStringLength = v.int }
        if let v = maxFormulaExpansion { l.maxFormulaExpansion = v.int }
        if let v = maxMergedRanges { l.maxMergedRanges = v }
        if let v = maxRowsInMemory { l.maxRowsInMemory = v }
        if let v = maxCellsInMemory { l.maxCellsInMemory = v }
        if let v = maxCSVField { l.maxCSVField = v.int }
        if let v = maxCSVLine { l.maxCSVLine = v.int }
        return l
    }

    func validate() throws {
        let counts: [(String, Int?)] = [("--max-zip-entries", maxZipEntries), ("--max-xml-depth", maxXMLDepth),
                                        ("--max-xml-attributes", maxXMLAttributes), ("--max-shared-strings", maxSharedStrings),
                                        ("--max-merged-ranges", maxMergedRanges), ("--max-rows", maxRowsInMemory),
                                        ("--max-cells", maxCellsInMemory)]
        for (flag, v) in counts where (v ?? 1) < 1 { throw ValidationError("\(flag) must be at least 1") }
        if let r = maxCompressionRatio, r < 1 { throw ValidationError("--max-compression-ratio must be at least 1") }
    }

    /// The option that raises the limit a `limitExceeded` message names (`maxPartSize` → `--max-part-size`).
    static func flag(forMessage message: String) -> String? {
        let names: [(String, String)] = [
            ("maxZipEntries", "--max-zip-entries"), ("maxPartSize", "--max-part-size"), ("maxTotalSize", "--max-total-size"),
            ("maxCompressionRatio", "--max-compression-ratio"), ("maxXMLDepth", "--max-xml-depth"),
            ("maxXMLAttributes", "--max-xml-attributes"), ("maxSharedStrings", "--max-shared-strings"),
            ("maxStringLength", "--max-string-length"), ("maxFormulaExpansion", "--max-formula-expansion"), ("maxMergedRanges", "--max-merged-ranges"),
            ("maxRowsInMemory", "--max-rows"), ("maxCellsInMemory", "--max-cells"), ("maxCSVField", "--max-csv-field"),
            ("maxCSVLine", "--max-csv-line"),
        ]
        let found = names.filter { message.contains($0.0) }.map(\.1)
        return found.isEmpty ? nil : found.joined(separator: " / ")
    }
}

/// A byte count given as `1048576`, `512K`, `100M` or `4G` (powers of 1024).
struct ByteSize: ExpressibleByArgument {
    var bytes: UInt64
    var int: Int { Int(clamping: bytes) }

    init?(argument: String) {
        var text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        if text.hasSuffix("B") { text.removeLast() }
        var scale: UInt64 = 1
        switch text.last {
        case "K": scale = 1 << 10
        case "M": scale = 1 << 20
        case "G": scale = 1 << 30
        case "T": scale = 1 << 40
        default: break
        }
        if scale != 1 { text.removeLast() }
        guard let n = UInt64(text), n > 0 else { return nil }
        let (v, overflow) = n.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        bytes = v
    }
}
