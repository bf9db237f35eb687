import Foundation
import SheetCore
import Testing
import TestSupport
import XMLStream
import ZipArchive
@testable import XLSXFormat

/// Records events with namespaces, adjacent text merged (libxml2 and the scanner split text differently).
private final class EventLog: XMLStreamDelegate {
    var events: [String] = []
    var text: [UInt8] = []
    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        flush()
        events.append("<{\(name.uriString)}\(name.string)" + attributes.map {
            " \(XMLBytes.string($0.prefix)):\(XMLBytes.string($0.localName)){\(XMLBytes.string($0.uri))}=\($0.value)"
        }.joined() + ">")
    }
    func endElement(_ name: XMLName) throws {
        flush()
        events.append("</{\(name.uriString)}\(name.string)>")
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws { self.text.append(contentsOf: text) }
    func flush() {
        if !text.isEmpty { events.append("\"\(String(decoding: text, as: UTF8.self))\""); text = [] }
    }
}

/// `XMLFastScan` on every XML part of real workbooks: whatever it accepts, libxml2 reads with the same events;
/// and workbooks read with it give the same grids as read by libxml2 alone.
@Suite struct XMLFastScanCorpusTests {
    static func workbooks() -> [URL] {
        var roots = [Fixtures.root]
        if let corpus = Fixtures.sharedCorpus { roots.append(corpus) }
        var out: [URL] = []
        for root in roots {
            guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let u as URL in e where ["xlsx", "xlsm"].contains(u.pathExtension.lowercased()) { out.append(u) }
        }
        return out.sorted { $0.path < $1.path }
    }

    @Test func everyPartAgreesWithLibxml2() throws {
        let files = Self.workbooks()
        var parts = 0, scanned = 0
        for url in files {
            guard let zip = try? ZipReader(path: url.path) else { continue }
            for entry in zip.entries where entry.name.hasSuffix(".xml") || entry.name.hasSuffix(".rels") {
                guard entry.uncompressedSize <= UInt64(XMLFastScan.maxBytes), let bytes = try? zip.read(entry) else { continue }
                parts += 1
                let fast = EventLog()
                guard (try? bytes.withUnsafeBytes { try XMLFastScan.parse($0, delegate: fast) }) == true else { continue }
                scanned += 1
                fast.flush()
                let slow = EventLog()
                let p = XMLPushParser(delegate: slow, location: Location(file: url.lastPathComponent, part: entry.name))
                do {
                    try p.feed(bytes)
                    try p.finish()
                } catch {
                    Issue.record("\(url.lastPathComponent)!\(entry.name): the scanner accepted what libxml2 rejects: \(error)")
                    continue
                }
                slow.flush()
                #expect(fast.events == slow.events, "\(url.lastPathComponent)!\(entry.name)")
            }
        }
        // Most parts that spreadsheet programs write are in the subset.
        #expect(parts > 100)
        #expect(scanned * 10 > parts * 8, "\(scanned) of \(parts) parts scanned")
    }

    @Test func gridsAreTheSameReadEitherWay() throws {
        var compared = 0
        for url in Self.workbooks() {
            func read(_ fast: Bool) -> Result<[Grid], JixiaoError> {
                do {
                    let r = try XLSXReader(path: url.path)
                    r.fastScan = fast
                    return .success(try r.sheets.indices.map { try r.readGrid(sheet: $0) })
                } catch let e as JixiaoError {
                    return .failure(e)
                } catch {
                    return .failure(JixiaoError(.corrupt, "\(error)"))
                }
            }
            let a = read(true), b = read(false)
            switch (a, b) {
            case (.success(let x), .success(let y)):
                #expect(x == y, "\(url.lastPathComponent)")
                compared += 1
            case (.failure(let x), .failure(let y)):
                #expect(x.description == y.description, "\(url.lastPathComponent)")
            default:
                Issue.record("\(url.lastPathComponent): one way read it, the other failed: \(a) / \(b)")
            }
        }
        #expect(compared > 50)
    }
}
