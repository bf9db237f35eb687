import Foundation
import SheetCore
import ZipArchive

/// Where the reader gets package parts from: a ZIP archive, or (in tests) a dictionary of parts.
/// Names are part names without a leading `/` (`xl/workbook.xml`); lookup is case-insensitive.
protocol PartSource: AnyObject {
    /// The file name used in error locations.
    var fileName: String { get }
    func contains(_ part: String) -> Bool
    /// Every part name (for saying what a package that is no workbook holds).
    var partNames: [String] { get }
    /// The whole part, or nil when there is no such part.
    func read(_ part: String) throws -> [UInt8]?
    /// Streams the part in chunks; returns false when there is no such part.
    func stream(_ part: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool
}

/// Parts from a ZIP archive.
final class ZipPartSource: PartSource {
    let zip: ZipReader
    init(_ zip: ZipReader) { self.zip = zip }
    var fileName: String { zip.name }
    func contains(_ part: String) -> Bool { zip.entry(named: part) != nil }
    var partNames: [String] { zip.entries.map(\.name) }
    func read(_ part: String) throws -> [UInt8]? { try zip.read(named: part) }
    func stream(_ part: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let e = zip.entry(named: part) else { return false }
        if PipelinedStream.worthIt(e) {
            // A big worksheet: inflate on a second thread while this one parses.
            try PipelinedStream.run(zip, e, body)
        } else {
            try zip.stream(e, chunkSize: 65_536, body)
        }
        return true
    }
}

/// Parts held in memory (tests, or a package assembled by hand).
final class MemoryPartSource: PartSource {
    let fileName: String
    private var parts: [String: [UInt8]] = [:]
    init(fileName: String, parts: [String: [UInt8]]) {
        self.fileName = fileName
        for (k, v) in parts { self.parts[MemoryPartSource.key(k)] = v }
    }
    static func key(_ name: String) -> String {
        var n = name.utf8.contains(UInt8(ascii: "\\")) ? name.replacingOccurrences(of: "\\", with: "/").lowercased() : name.lowercased()
        while n.hasPrefix("/") { n.removeFirst() }
        return n
    }
    func contains(_ part: String) -> Bool { parts[MemoryPartSource.key(part)] != nil }
    var partNames: [String] { parts.keys.sorted() }
    func read(_ part: String) throws -> [UInt8]? { parts[MemoryPartSource.key(part)] }
    func stream(_ part: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let bytes = parts[MemoryPartSource.key(part)] else { return false }
        // Small chunks so that tests exercise chunk boundaries.
        var i = 0
        try bytes.withUnsafeBytes { raw in
            repeat {
                let j = min(raw.count, i + 7)
                try body(UnsafeRawBufferPointer(rebasing: raw[i..<j]))
                i = j
            } while i < raw.count
        }
        return true
    }
}
