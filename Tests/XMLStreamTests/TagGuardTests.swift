import Foundation
import SheetCore
import Testing
@testable import XMLStream

/// Issue 8: libxml2 2.9 compares every attribute and namespace declaration of a start tag with all earlier
/// ones before the attribute limit can be checked, so 200,000 attributes in a 460 KB part cost 10 s of CPU.
/// Tags longer than 1 KB per allowed attribute are refused from the bytes, before libxml2 parses them.
@Suite struct TagGuardTests {
    private static let location = Location(file: "t.xlsx", part: "xl/worksheets/sheet1.xml")

    private static func isTagLimit(_ error: Error) -> Bool {
        guard let e = error as? JixiaoError else { return false }
        return e.kind == .limitExceeded && e.message.contains("maxXMLAttributes") && e.message.contains("tag longer")
            && e.location?.part == "xl/worksheets/sheet1.xml"
    }

    @Test("200,000 attributes or namespace declarations are refused, pushed or pulled, in any chunking")
    func longStartTags() throws {
        let attributes = "<r" + (0..<200_000).map { " a\($0)=\"1\"" }.joined() + "/>"
        let namespaces = "<r" + (0..<100_000).map { " xmlns:n\($0)=\"u\($0)\"" }.joined() + "/>"
        for doc in [attributes, namespaces] {
            let bytes = Array(doc.utf8)
            #expect(throws: (any Error).self) { try XMLPushParser.parse(bytes, delegate: Recorder(), location: Self.location) }
            do { try XMLPushParser.parse(bytes, delegate: Recorder(), location: Self.location) } catch {
                #expect(Self.isTagLimit(error), "\(error)")
            }
            for chunk in [1, 4096, 100_000] {
                let p = XMLPushParser(delegate: Recorder(), location: Self.location)
                var caught: Error?
                do {
                    var i = 0
                    // One byte at a time only through the first 300 KB (it is refused by then).
                    while i < bytes.count && (chunk > 1 || i < 300_000) {
                        let j = min(bytes.count, i + chunk)
                        try p.feed(Array(bytes[i..<j]))
                        i = j
                    }
                    try p.finish()
                } catch { caught = error }
                #expect(caught.map(Self.isTagLimit) == true, "chunk \(chunk): \(String(describing: caught))")
            }
            var offset = 0
            do {
                try XMLPushParser.parse(pull: { buffer in
                    let n = min(buffer.count, bytes.count - offset)
                    bytes.withUnsafeBytes { all in
                        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)]))
                    }
                    offset += n
                    return n
                }, delegate: Recorder(), location: Self.location)
                Issue.record("pulled: not refused")
            } catch {
                #expect(Self.isTagLimit(error), "pulled: \(error)")
            }
        }
    }

    @Test("text, many small tags and tags up to the limit pass; the limit follows maxXMLAttributes")
    func ordinaryDocumentsPass() throws {
        // 1 MB of text without markup, and 100,000 small tags: nothing is refused.
        let text = "<r><t>" + String(repeating: "绩效", count: 200_000) + "</t></r>"
        #expect(try { try XMLPushParser.parse(Array(text.utf8), delegate: Recorder(), location: Self.location); return true }())
        let rows = "<r>" + String(repeating: #"<c r="A1" s="1"><v>1</v></c>"#, count: 100_000) + "</r>"
        #expect(try { try XMLPushParser.parse(Array(rows.utf8), delegate: Recorder(), location: Self.location); return true }())
        // A 200 KB attribute value is under the default 256 KB; with --max-xml-attributes 64 (64 KB) it is not.
        let long = #"<r sqref=""# + String(repeating: "A1 ", count: 70_000) + #""/>"#
        #expect(try { try XMLPushParser.parse(Array(long.utf8), delegate: Recorder(), location: Self.location); return true }())
        var limits = ReadLimits()
        limits.maxXMLAttributes = 64
        do {
            try XMLPushParser.parse(Array(long.utf8), delegate: Recorder(), location: Self.location, limits: limits)
            Issue.record("not refused with the lower limit")
        } catch {
            #expect(Self.isTagLimit(error), "\(error)")
        }
    }

    @Test("a tag is measured across the pieces it spans")
    func guardAcrossPieces() {
        func scan(_ parts: [String], limit: Int) -> Bool {
            var g = TagGuard(limit: limit)
            for p in parts {
                let ok = Array(p.utf8).withUnsafeBytes { g.scan($0) }
                if !ok { return false }
            }
            return true
        }
        let limit = 100_000
        let tag = "<a" + String(repeating: "x", count: limit - 3) + ">"  // exactly `limit` bytes
        #expect(scan(["<r>", String(tag.prefix(50_000)), String(tag.dropFirst(50_000)), "</r>"], limit: limit))
        let over = "<a" + String(repeating: "x", count: limit) + ">"
        #expect(!scan(["<r>", String(over.prefix(70_000)), String(over.dropFirst(70_000))], limit: limit))
        // Split at every position of the piece size (64 KB).
        #expect(!scan([String(repeating: "y", count: 65_535) + "<", String(repeating: "z", count: limit + 10)], limit: limit))
        #expect(scan([String(repeating: "y", count: 65_535) + ">", String(repeating: "z", count: limit + 10)], limit: limit))
        #expect(TagGuard.limit(maxAttributes: 256) == 262_144 && TagGuard.limit(maxAttributes: 1) == 65_536)
        #expect(TagGuard.limit(maxAttributes: .max) == .max)
    }
}
