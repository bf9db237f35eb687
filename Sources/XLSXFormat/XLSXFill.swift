import Foundation
import SheetCore
import ZipArchive

/// Template fill: writes a copy of a workbook in which only given cells changed.
///
/// This is what gives a department its own workbook back: images, charts, drop-down validations,
/// conditional formats, styles, shared strings and every other part stay byte for byte as they were.
/// Only the worksheet parts that hold changed cells are rewritten, and in them only the changed `<c>`
/// elements (see `FillSheetPatcher`); every other ZIP entry is copied with its original compressed bytes,
/// CRC and position. When a cell that holds a formula changes, the calculation chain (`calcChain.xml`,
/// a cache Excel rebuilds) is dropped with its relationship and content-type entry. New string values go
/// in as inline strings so that `sharedStrings.xml` stays identical. `fullCalcOnLoad` is left as it is.
public enum XLSXFill {
    /// Fills `source` into `output`.
    ///
    /// - Parameters:
    ///   - source: the workbook to copy; never modified.
    ///   - output: where to write; written atomically (a temporary file beside it, then renamed), and
    ///     refused when it is the source itself.
    ///   - updates: the cells to change, by sheet name.
    ///   - options: a sheet to add (the 校验结果 findings sheet), read limits, compression level.
    /// - Returns: what was rewritten, added and dropped.
    /// - Throws: `JixiaoError`: `.io` when output is the source (or a hard link to it); `.invalidValue` for a sheet that does
    ///   not exist or is not a worksheet, or a value a cell cannot hold; `.unsupported` for replacing a shared
    ///   formula; the ZIP reader's and writer's errors (`.io`, `.corrupt`, `.notAWorkbook`, ...).
    @discardableResult
    public static func fill(source: String, to output: String, updates: [String: [CellUpdate]],
                            options: FillOptions = FillOptions()) throws -> FillReport {
        try AtomicFile.refuseInputs(output: output, inputs: [source])
        let prepared = try prepare(source: source, updates: updates, options: options)
        // The output was checked against the source above, before the work of preparing.
        try AtomicFile.write(to: output, inputs: []) { handle in
            do {
                try prepared.write(to: handle)
            } catch let e as JixiaoError {
                throw e.located(Location(file: output))
            } catch {
                throw JixiaoError(.io, "writing failed", at: Location(file: output), underlying: "\(error)")
            }
        }
        return prepared.report
    }

    /// A fill worked out and ready to be written: every patched part is in memory, the source is open.
    /// Lets a caller plan first (all errors about the workbook come here) and then write through its own
    /// atomic-file helper.
    public struct Prepared {
        let reader: ZipReader
        let plan: Plan
        let level: Int32
        public var report: FillReport { plan.report }

        /// Streams the filled archive to `handle`.
        public func write(to handle: FileHandle) throws {
            var writer = ZipWriter(fileHandle: handle)
            try XLSXFill.write(plan, from: reader, into: &writer, level: level)
            _ = try writer.finish()
        }
    }

    /// Reads `source` and works out the fill without writing anything (see `fill(source:to:updates:options:)`).
    public static func prepare(source: String, updates: [String: [CellUpdate]],
                               options: FillOptions = FillOptions()) throws -> Prepared {
        try prepare(zip: ZipReader(path: source, limits: options.limits), name: source, updates: updates, options: options)
    }

    /// Works out the fill of a workbook whose bytes the caller already holds (the batch has read and hashed
    /// the input): the same as `prepare(source:updates:options:)` without opening the file again. `name` is the
    /// source's path, for error locations.
    public static func prepare(bytes: [UInt8], name: String, updates: [String: [CellUpdate]],
                               options: FillOptions = FillOptions()) throws -> Prepared {
        try prepare(zip: ZipReader(bytes: bytes, name: name, limits: options.limits), name: name, updates: updates, options: options)
    }

    /// Works out the fill of a workbook through an archive reader the caller has open (the batch, which has
    /// just read the table through it: with `retainParts(upTo:)` the sheet is not inflated again). `name` is
    /// the source's path, for error locations.
    public static func prepare(zip: ZipReader, name: String, updates: [String: [CellUpdate]],
                               options: FillOptions = FillOptions()) throws -> Prepared {
        let plan = try makePlan(reader: zip, file: lastPathComponent(name), updates: updates, options: options)
        return Prepared(reader: zip, plan: plan, level: options.compressionLevel)
    }

    /// `NSString.lastPathComponent` without the bridging for the usual path (no trailing `/`).
    static func lastPathComponent(_ path: String) -> String {
        let u = path.utf8
        guard let last = u.last, last != UInt8(ascii: "/") else { return (path as NSString).lastPathComponent }
        guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[u.index(after: slash)...])
    }

    /// Fills an archive held in memory and returns the new archive's bytes (for tests and pipelines that
    /// do not touch the file system).
    public static func fill(bytes: [UInt8], name: String, updates: [String: [CellUpdate]],
                            options: FillOptions = FillOptions()) throws -> (bytes: [UInt8], report: FillReport) {
        let reader = try ZipReader(bytes: bytes, name: name, limits: options.limits)
        let plan = try makePlan(reader: reader, file: name, updates: updates, options: options)
        var writer = ZipWriter()
        try write(plan, from: reader, into: &writer, level: options.compressionLevel)
        return (try writer.finish(), plan.report)
    }

    // MARK: plan

    struct Plan {
        /// New bytes of rewritten parts, by normalised part name.
        var replaced: [String: [UInt8]] = [:]
        /// Normalised names of parts to leave out.
        var dropped: Set<String> = []
        /// Parts to append, in order.
        var added: [(name: String, bytes: [UInt8])] = []
        var report = FillReport()
    }

    static func makePlan(reader: ZipReader, file: String, updates: [String: [CellUpdate]],
                         options: FillOptions) throws -> Plan {
        var seen = Set<String>(minimumCapacity: reader.entries.count)
        for e in reader.entries where !seen.insert(FillPackage.normalise(e.name)).inserted {
            throw JixiaoError(.unsupported,
                              "the workbook holds two parts named \(e.name) (differing only in case); it cannot be rewritten safely",
                              at: Location(file: file, part: e.name))
        }
        var pkg = try FillPackageMemo.shared.package(reader: reader, file: file)
        var plan = Plan()
        var formulaTouched = false
        var pkgChanged = false

        for sheetName in updates.keys.sorted() {
            guard let list = updates[sheetName], !list.isEmpty else { continue }
            guard let sheet = pkg.sheets.first(where: { $0.name == sheetName }) else {
                let names = pkg.sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
                throw JixiaoError(.invalidValue, "the workbook has no sheet \"\(sheetName)\" (it has \(names))",
                                  at: Location(file: file))
            }
            let loc = Location(file: file, part: sheet.part, sheet: sheet.name)
            guard sheet.isWorksheet else {
                throw JixiaoError(.invalidValue, "sheet \"\(sheet.name)\" is not a worksheet; its cells cannot be filled", at: loc)
            }
            guard let bytes = try reader.readPart(sheet.part) else {
                throw JixiaoError(.corrupt, "the sheet's part \(sheet.part) is missing", at: loc)
            }
            let result: FillSheetPatcher.Result
            do {
                result = try FillSheetPatcher.patch(bytes, part: sheet.part, updates: list)
            } catch let e as JixiaoError {
                throw e.located(loc)
            }
            plan.replaced[FillPackage.normalise(sheet.part)] = result.bytes
            plan.report.rewrittenParts.append(sheet.part)
            plan.report.cellsWritten += result.written
            plan.report.cellsInserted += result.inserted
            formulaTouched = formulaTouched || result.formulaTouched
        }

        if formulaTouched, let cc = pkg.calcChain {
            try pkg.dropCalcChain()
            plan.dropped.insert(FillPackage.normalise(cc.part))
            plan.report.droppedParts.append(cc.part)
            pkgChanged = true
        }

        if let extra = options.newSheet {
            try FillNewSheet.validate(name: extra.name)
            let loc = Location(file: file, sheet: extra.name)
            if let existing = pkg.sheets.first(where: { $0.name == extra.name }) {
                // Filling a filled workbook again: the sheet's part is replaced, with the formats it used.
                guard existing.isWorksheet, !existing.part.isEmpty, plan.replaced[FillPackage.normalise(existing.part)] == nil,
                      let old = try reader.readPart(existing.part) else {
                    throw JixiaoError(.invalidValue, "sheet \"\(extra.name)\" already exists and cannot be replaced", at: loc)
                }
                let styles = (try? FillStyles.formatsUsed(old)) ?? (header: nil, link: nil)
                let xml: [UInt8]
                do { xml = try extra.worksheetXML(strict: pkg.strict, headerStyle: styles.header, linkStyle: styles.link) }
                catch let e as JixiaoError { throw e.located(loc) }
                plan.replaced[FillPackage.normalise(existing.part)] = xml
                plan.report.rewrittenParts.append(existing.part)
            } else {
                // New formats (bold header, link) in styles.xml when it has the usual lists.
                var header: Int?, link: Int?
                if let stylesPart = pkg.stylesPart, let styles = try reader.readPart(stylesPart) {
                    do {
                        if let added = try FillStyles.addFindingsFormats(styles) {
                            plan.replaced[FillPackage.normalise(stylesPart)] = added.bytes
                            plan.report.rewrittenParts.append(stylesPart)
                            header = added.header
                            link = added.link
                        }
                    } catch let e as JixiaoError {
                        throw e.located(Location(file: file, part: stylesPart))
                    }
                }
                let xml: [UInt8]
                do { xml = try extra.worksheetXML(strict: pkg.strict, headerStyle: header, linkStyle: link) }
                catch let e as JixiaoError { throw e.located(loc) }
                let part = try pkg.addWorksheet(named: extra.name)
                plan.added.append((part, xml))
                plan.report.addedParts.append(part)
                pkgChanged = true
            }
        }

        if pkgChanged {
            for (name, bytes) in [(pkg.workbookPart, pkg.workbook), (pkg.workbookRelsPart, pkg.workbookRels),
                                  (pkg.contentTypesName, pkg.contentTypes)] {
                let key = FillPackage.normalise(name)
                if try reader.readPart(name) != bytes {
                    plan.replaced[key] = bytes
                    plan.report.rewrittenParts.append(name)
                }
            }
        }
        return plan
    }

    static func write(_ plan: Plan, from reader: ZipReader, into writer: inout ZipWriter, level: Int32) throws {
        var used = Set<String>()
        for entry in reader.entries {
            let key = FillPackage.normalise(entry.name)
            if plan.dropped.contains(key) { continue }
            if let bytes = plan.replaced[key], !used.contains(key) {
                used.insert(key)
                try writer.add(entry.name, bytes, compress: true, level: level)
            } else {
                try writer.copy(entry, from: reader)
            }
        }
        for (name, bytes) in plan.added {
            try writer.add(name, bytes, compress: true, level: level)
        }
    }
}

extension ZipReader: ZipReaderLike {
    var entryNames: [String] { entries.map(\.name) }
    func readPart(_ name: String) throws -> [UInt8]? { try read(named: name) }

    func storedPart(_ name: String) throws -> StoredPart? {
        guard let e = entry(named: name) else { return .missing }
        guard e.compressedSize <= UInt64(StoredPart.maxCompressedBytes) else { return nil }
        return .entry(method: e.method, crc32: e.crc32, size: e.uncompressedSize, compressed: try rawData(e))
    }

    func countAsRead(_ name: String) throws {
        if let e = entry(named: name) { try countAsRead(e) }
    }
}
