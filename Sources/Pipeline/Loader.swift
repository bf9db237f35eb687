import Foundation
import SheetCore
import XLSXFormat
import CSVFormat
import ZipArchive

/// The input formats jixiao reads.
public enum InputFormat: String, Sendable {
    case xlsx, csv

    /// Detects the format of a file from its first bytes, then its extension:
    /// `PK` → xlsx; an OLE/CFB container (`D0 CF 11 E0`) → `.encrypted` error (a password-protected workbook
    /// or a legacy .xls); an Excel lock file (`~$…`) or an empty file → `.notAWorkbook`; `.csv`/`.txt`/`.tsv`
    /// → csv; `.xlsx`/`.xlsm`/`.xltx`/`.xltm` → xlsx (the ZIP reader copes with a prefix before the archive);
    /// anything else → `.notAWorkbook`.
    /// - Throws: `JixiaoError` `.io`, `.encrypted`, `.notAWorkbook`.
    public static func detect(path: String) throws -> InputFormat {
        let loc = Location(file: path)
        guard let fh = FileHandle(forReadingAtPath: path) else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw JixiaoError(.io, isDir.boolValue ? "is a directory, not a file" : "cannot open the file (permission denied?)", at: loc)
            }
            throw JixiaoError(.io, "no such file", at: loc)
        }
        defer { try? fh.close() }
        let head = [UInt8]((try? fh.read(upToCount: 8)) ?? Data())
        return try detect(head: head, path: path)
    }

    /// Detection from the first bytes and the file name.
    public static func detect(head: [UInt8], path: String) throws -> InputFormat {
        let loc = Location(file: path)
        if isLockFileName(path) {
            throw JixiaoError(.notAWorkbook, "this is an Excel owner/lock file (~$…), not a workbook: open the file without ~$ (这是 Excel 的临时锁定文件，不是工作簿)", at: loc)
        }
        if head.count >= 2, head[0] == 0x50, head[1] == 0x4B { return .xlsx }
        if head.count >= 4, head[0] == 0xD0, head[1] == 0xCF, head[2] == 0x11, head[3] == 0xE0 {
            throw JixiaoError(.encrypted,
                              "this is an OLE container: a password-protected (encrypted) workbook or a legacy .xls; save it as an unprotected .xlsx (文件已加密或为旧版 .xls，请另存为未加密的 .xlsx)",
                              at: loc)
        }
        let ext = PathText.pathExtension(path).lowercased()
        if ["csv", "txt", "tsv"].contains(ext) { return .csv }
        if ["xlsx", "xlsm", "xltx", "xltm"].contains(ext) {
            if head.isEmpty { throw JixiaoError(.notAWorkbook, "the file is empty (文件为空)", at: loc) }
            // Not `PK` at the start: the ZIP reader still finds an archive after a prefix, or says what is wrong.
            return .xlsx
        }
        throw JixiaoError(.notAWorkbook, "unknown file type: expected .xlsx or .csv (不支持的文件类型)", at: loc)
    }
}

/// Whether the last path component (trailing slashes ignored, as `NSString.lastPathComponent` does) starts
/// with `~$`; on the bytes (Foundation's path bridging cost more than the rest of the detection).
func isLockFileName(_ path: String) -> Bool {
    let u = Array(path.utf8)
    var end = u.count
    while end > 1, u[end - 1] == UInt8(ascii: "/") { end -= 1 }
    var start = end
    while start > 0, u[start - 1] != UInt8(ascii: "/") { start -= 1 }
    return end - start >= 2 && u[start] == UInt8(ascii: "~") && u[start + 1] == UInt8(ascii: "$")
}

/// Reads a whole workbook (every sheet in memory) from an XLSX or CSV file.
/// - Throws: `JixiaoError` naming the file (and part, sheet, cell where known).
public func loadWorkbook(path: String, limits: ReadLimits = .default) throws -> Workbook {
    try loadWorkbook(path: path, limits: limits, csv: CSVOptions())
}

/// Reads a whole workbook; `csv` carries an explicit `--encoding`/`--delimiter` for CSV input (nil = detect).
public func loadWorkbook(path: String, limits: ReadLimits, csv: CSVOptions) throws -> Workbook {
    switch try InputFormat.detect(path: path) {
    case .xlsx:
        do {
            return try XLSXReader(path: path, limits: limits).readWorkbook()
        } catch let e as JixiaoError {
            throw e.located(Location(file: path))
        }
    case .csv:
        var options = csv
        options.limits = limits
        do {
            let grid = try CSVReader.read(path: path, options: options)
            return Workbook(file: path, sheets: [grid])
        } catch let e as JixiaoError {
            throw e.located(Location(file: path))
        }
    }
}

/// An input read from bytes in memory: its workbook and, for XLSX, the archive reader it was read through. The
/// reader keeps the parts it inflated whole (the worksheets up to `XLSXReader.wholeSheetLimit`), so that a fill
/// through it (`XLSXFill.prepare(zip:…)`) does not inflate the table's sheet a second time.
public struct LoadedInput {
    public let workbook: Workbook
    public let zip: ZipReader?
}

/// `loadWorkbook(bytes:name:limits:csv:)` that hands back the XLSX archive reader too (see `LoadedInput`).
public func loadInput(bytes: [UInt8], name: String, limits: ReadLimits = .default, csv: CSVOptions = CSVOptions()) throws -> LoadedInput {
    try readInput(bytes, name: name, limits: limits, csv: csv, keepReader: true)
}

/// Reads a whole workbook from bytes already in memory (the batch hashes and reads each input once).
/// `name` is the file's path, used for detection by extension and in error locations.
public func loadWorkbook(bytes: [UInt8], name: String, limits: ReadLimits = .default, csv: CSVOptions = CSVOptions()) throws -> Workbook {
    try readInput(bytes, name: name, limits: limits, csv: csv, keepReader: false).workbook
}

/// Both of the above: `keepReader` returns the archive reader, keeping the parts it inflated whole.
private func readInput(_ bytes: [UInt8], name: String, limits: ReadLimits, csv: CSVOptions, keepReader: Bool) throws -> LoadedInput {
    do {
        switch try InputFormat.detect(head: Array(bytes.prefix(8)), path: name) {
        case .xlsx:
            let zip = try ZipReader(bytes: bytes, name: name, limits: limits)
            if keepReader { zip.retainParts(upTo: XLSXReader.wholeSheetLimit) }
            return LoadedInput(workbook: try XLSXReader(zip: zip, limits: limits).readWorkbook(), zip: keepReader ? zip : nil)
        case .csv:
            var options = csv
            options.limits = limits
            let grid = try CSVReader.read(bytes: bytes, name: name, options: options)
            return LoadedInput(workbook: Workbook(file: name, sheets: [grid]), zip: nil)
        }
    } catch let e as JixiaoError {
        throw e.located(Location(file: name))
    }
}
