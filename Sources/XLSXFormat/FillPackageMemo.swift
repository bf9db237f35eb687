import Foundation

/// Packages parsed earlier, by the exact part bytes and entry names they were parsed from: the workbooks of a
/// batch usually come from one template, whose `[Content_Types].xml`, relationships and `workbook.xml` are
/// the same in every file, so `FillPackage` is parsed once per template instead of once per file.
///
/// A remembered package is used only when the reader holds the same entry names and the parts the parser
/// would read are the ones it was parsed from: stored in the same ZIP entries (method, CRC, size and
/// compressed bytes equal, see `StoredPart`: they inflate to the same bytes and pass the same checks; their
/// sizes are counted against the limits as if read), or else read again here, in the parser's order, through
/// the same reader (the same inflating, CRC and limit checks as without the memo) and byte for byte equal. Parsing is a pure function
/// of those, so the answer is the parser's. Only packages that parsed without error are remembered.
final class FillPackageMemo: @unchecked Sendable {
    static let shared = FillPackageMemo()
    static let capacity = 8

    private struct Item {
        var entryNames: [String]
        var reads: [(name: String, bytes: [UInt8]?)]
        /// The parts read, as stored (nil when the reader could not say for one of them).
        var stored: [(name: String, part: StoredPart)]?
        var package: FillPackage
    }

    private let lock = NSLock()
    private var items: [Item] = []

    /// The package of `reader`: remembered, or parsed (and remembered).
    func package(reader: ZipReaderLike, file: String) throws -> FillPackage {
        let names = reader.entryNames
        lock.lock()
        let candidates = items.filter { $0.entryNames == names }
        lock.unlock()
        // First by the parts as stored: the same compressed bytes need no inflating to be known the same.
        stored: for item in candidates.reversed() {
            guard let parts = item.stored else { continue }
            for p in parts where try reader.storedPart(p.name) != p.part { continue stored }
            for p in parts where p.part != .missing { try reader.countAsRead(p.name) }
            return item.package
        }
        let session = ReadSession(base: reader)
        candidates: for item in candidates.reversed() {
            session.rewind()
            for r in item.reads where try session.readPart(r.name) != r.bytes { continue candidates }
            return item.package
        }
        session.rewind()
        let package = try FillPackage(reader: session, file: file)
        var stored: [(name: String, part: StoredPart)]? = []
        for r in session.log {
            guard let part = try reader.storedPart(r.name) else { stored = nil; break }
            stored?.append((r.name, part))
        }
        lock.lock()
        items.append(Item(entryNames: names, reads: session.log, stored: stored, package: package))
        if items.count > FillPackageMemo.capacity { items.removeFirst() }
        lock.unlock()
        return package
    }
}

/// Reads through a reader so that replaying the same sequence of reads does not read again: each pass
/// (`rewind()`) is served from the reads already made, in order, and reads past them go to the reader once.
/// Every read the parser makes thus corresponds to exactly one read of the underlying reader, as without the
/// memo (limits count each part once).
final class ReadSession: ZipReaderLike {
    private let base: ZipReaderLike
    private var done: [(name: String, bytes: [UInt8]?)] = []
    private var cursor = 0
    /// The reads of the current pass.
    private(set) var log: [(name: String, bytes: [UInt8]?)] = []

    init(base: ZipReaderLike) { self.base = base }

    var entryNames: [String] { base.entryNames }

    func rewind() {
        cursor = 0
        log = []
    }

    func readPart(_ name: String) throws -> [UInt8]? {
        let bytes: [UInt8]?
        if cursor < done.count, done[cursor].name == name {
            bytes = done[cursor].bytes
            cursor += 1
        } else if cursor == done.count {
            bytes = try base.readPart(name)
            done.append((name, bytes))
            cursor += 1
        } else {
            // Another order than an earlier pass (cannot happen for the parser, whose reads follow the bytes):
            // read without remembering.
            bytes = try base.readPart(name)
            cursor = done.count + 1
        }
        log.append((name, bytes))
        return bytes
    }
}
