import Foundation
import SheetCore
import Testing
import TestSupport
@testable import XMLStream

/// Records every event with namespaces: `<{uri}local p:a{uri}=value ...>`, `</{uri}local>`, `"text"` (adjacent
/// text merged: libxml2 and the scanner split text differently).
final class FullRecorder: XMLStreamDelegate {
    var events: [String] = []
    var text: [UInt8] = []
    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        flush()
        var s = "<{\(name.uriString)}\(name.string)"
        for i in attributes.indices {
            let a = attributes[i]
            s += " \(XMLBytes.string(a.prefix)):\(XMLBytes.string(a.localName)){\(XMLBytes.string(a.uri))}=\(a.value)"
            // The fast accessors must agree with the full attribute.
            precondition(XMLBytes.string(attributes.localName(i)) == XMLBytes.string(a.localName))
            precondition(attributes.isUnprefixed(i) == a.prefix.isEmpty)
            precondition(Array(attributes.rawValue(i)) == Array(a.rawValue))
        }
        events.append(s + ">")
    }
    func endElement(_ name: XMLName) throws {
        flush()
        events.append("</{\(name.uriString)}\(name.string)>")
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {
        self.text.append(contentsOf: text)
    }
    func flush() {
        if !text.isEmpty { events.append("\"\(String(decoding: text, as: UTF8.self))\""); text = [] }
    }
}

/// libxml2's events (pushed), or nil when it rejects the document.
func libxmlEvents(_ bytes: [UInt8], limits: ReadLimits = .default) -> [String]? {
    let r = FullRecorder()
    let p = XMLPushParser(delegate: r, location: Location(file: "t.xlsx", part: "x.xml"), limits: limits)
    do {
        try p.feed(bytes)
        try p.finish()
    } catch {
        return nil
    }
    r.flush()
    return r.events
}

/// The scanner's events (both modes, which must agree), or nil when it leaves the document to libxml2.
func fastEvents(_ bytes: [UInt8], limits: ReadLimits = .default) -> [String]? {
    let r = FullRecorder()
    let ok = (try? bytes.withUnsafeBytes { try XMLFastScan.parse($0, delegate: r, limits: limits) }) ?? false
    let once = FullRecorder()
    let okOnce = (try? bytes.withUnsafeBytes { try XMLFastScan.parseOnce($0, delegate: once, limits: limits) }) ?? false
    precondition(ok == okOnce, "parse and parseOnce disagree on accepting the document")
    guard ok else {
        precondition(r.events.isEmpty && r.text.isEmpty, "parse sent events for a document it left to libxml2")
        return nil
    }
    r.flush()
    once.flush()
    precondition(r.events == once.events, "parse and parseOnce sent different events")
    return r.events
}

/// The property every document must have: what the scanner accepts, libxml2 accepts with the same events.
func expectAgreement(_ bytes: [UInt8], limits: ReadLimits = .default, _ comment: @autoclosure () -> String = "",
                     sourceLocation: SourceLocation = #_sourceLocation) {
    guard let fast = fastEvents(bytes, limits: limits) else { return }
    let slow = libxmlEvents(bytes, limits: limits)
    #expect(slow != nil, "the scanner accepted what libxml2 rejects: \(comment()) \(String(decoding: bytes.prefix(300), as: UTF8.self))",
            sourceLocation: sourceLocation)
    if let slow {
        #expect(fast == slow, "events differ: \(comment())", sourceLocation: sourceLocation)
    }
}

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite struct XMLFastScanTests {
    static let sheet = #"""
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac"><dimension ref="A1:C3"/><sheetData><row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> 绩效 &amp; 评价 &lt;1&gt; &#x41;&#66;&#x1F600; </t></is></c><c r="B1" s='2'><v>12.5</v></c><c r="C1" t="s"><v>0</v></c></row>
    <row r="3"><c r = "A3" ><f>SUM(B1:B2)</f><v>3</v></c></row></sheetData><extLst><ext uri="{X}" xmlns:x14="urn:x14"><x14:conditionalFormattings x14:a="1"/></ext></extLst><drawing r:id="rId1"/></worksheet>
    """#

    @Test func acceptsATypicalSheetWithTheSameEventsAsLibxml2() throws {
        let bytes = b(Self.sheet)
        let fast = try #require(fastEvents(bytes))
        #expect(fast == libxmlEvents(bytes))
        #expect(fast.contains("\" 绩效 & 评价 <1> AB😀 \""))
        #expect(fast.contains("<{urn:x14}conditionalFormattings x14:a{urn:x14}=1>"))
        let values = try #require(fastEvents(b("<a b=\"x&amp;y\" c=\"1\t2\r\n3&#10;\">p\r\nq\rr</a>")))
        #expect(values == ["<{}a :b{}=x&y :c{}=1 2 3\n>", "\"p\nq\nr\"", "</{}a>"])
        #expect(fast.contains("<{http://schemas.openxmlformats.org/spreadsheetml/2006/main}drawing r:id{http://schemas.openxmlformats.org/officeDocument/2006/relationships}=rId1>"))
        // With a BOM, without a declaration, with single quotes and an empty root.
        for doc in ["\u{FEFF}" + Self.sheet, "<a/>", "<a  x='1'  y=\"2\" />", "<?xml version='1.0'?>\n<a>\n\t<b/>\n</a>\n\n",
                    "<p:a xmlns:p=\"urn:p\"><p:b/></p:a>", "<a xmlns=\"urn:1\"><b xmlns=\"urn:2\"/><c/></a>",
                    // Carriage returns in markup and text, references and white space in attribute values.
                    "<?xml version=\"1.0\"?>\r\n<a\r\n b=\"1\">x\r\ny\rz\r</a>\r\n",
                    "<a b=\"x&amp;y &#38; &quot;&apos;&lt;&gt; &#x41;&#20013;\" c=\"1\t2\n3\r\n4\r5&#9;&#10;\" d='\"' e=\"'\"/>",
                    "<a b=\"&#x1F600;中&amp;\"/>"] {
            let d = b(doc)
            #expect(fastEvents(d) != nil, "\(doc)")
            expectAgreement(d, doc)
        }
    }

    @Test func leavesEverythingOutsideTheSubsetToLibxml2() {
        let outside = [
            "<a><!-- c --></a>", "<a><![CDATA[x]]></a>", "<?xml version=\"1.0\"?><!DOCTYPE a><a/>", "<a><?pi x?></a>",
            "<a>\u{1}</a>", "<文/>", "<a 名=\"1\"/>",
            "<?xml version=\"1.0\" encoding=\"GBK\"?><a/>", "<?xml version=\"1.1\"?><a/>", "<a xmlns=\"\"/>",
            "<a b=\"1\" b=\"2\"/>", "<a x:b=\"1\" y:b=\"2\" xmlns:x=\"u\" xmlns:y=\"u\"/>", "<x:a/>", "<a x:b=\"1\"/>",
            "<a>]]></a>", "<a>&foo;</a>", "<a>&#0;</a>", "<a>&#xFFFE;</a>", "<a>&#x110000;</a>", "<a>&#;</a>",
            "<a></b>", "<a>", "<a/><b/>", "<a/>x", "x<a/>", "", "   ", "<a b=\"1\"c=\"2\"/>", "<a b=1/>", "< a/>",
            "<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>", "<xmlns:a xmlns:xmlns=\"u\"/>", "<a:b:c/>",
        ]
        for doc in outside {
            #expect(fastEvents(b(doc)) == nil, "\(doc)")
            expectAgreement(b(doc), doc)
        }
        // Bytes that are no UTF-8, or characters XML forbids.
        for bad: [UInt8] in [[0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xF4, 0x90, 0x80, 0x80],
                             [0xFF], [0xE4, 0xB8], [0x00]] {
            for doc in [b("<a>") + bad + b("</a>"), b("<a b=\"") + bad + b("\"/>")] {
                #expect(fastEvents(doc) == nil, "\(bad)")
                expectAgreement(doc)
            }
        }
        // UTF-16.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in "<a/>".utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        #expect(fastEvents(utf16) == nil)
    }

    @Test func limitsAreLeftToLibxml2() {
        var limits = ReadLimits.default
        limits.maxXMLDepth = 3
        #expect(fastEvents(b("<a><b><c/></b></a>"), limits: limits) != nil)
        #expect(fastEvents(b("<a><b><c><d/></c></b></a>"), limits: limits) == nil)
        limits.maxXMLAttributes = 2
        #expect(fastEvents(b("<a x=\"1\" y=\"2\"/>"), limits: limits) != nil)
        #expect(fastEvents(b("<a x=\"1\" y=\"2\" z=\"3\"/>"), limits: limits) == nil)
        #expect(libxmlEvents(b("<a x=\"1\" y=\"2\" z=\"3\"/>"), limits: limits) == nil)
        // Deeper than libxml2's own limit (256) is never scanned.
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        var wide = ReadLimits.default
        wide.maxXMLDepth = 10_000
        #expect(fastEvents(b(deep), limits: wide) == nil)
    }

    @Test func delegateErrorsAndStopsPassThrough() throws {
        final class Stopper: XMLStreamDelegate {
            var seen = 0
            let error: Error
            init(_ error: Error) { self.error = error }
            func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
                seen += 1
                if name.is("stop") { throw error }
            }
            func endElement(_ name: XMLName) throws {}
            func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
        }
        let doc = b("<a><b/><stop/><c/></a>")
        let stop = Stopper(XMLStop())
        #expect(try doc.withUnsafeBytes { try XMLFastScan.parse($0, delegate: stop) })
        #expect(stop.seen == 3)
        let failing = Stopper(JixiaoError(.corrupt, "boom"))
        #expect(throws: JixiaoError.self) { try doc.withUnsafeBytes { try XMLFastScan.parse($0, delegate: failing) } }
        // Through XMLPushParser.parse, which falls back to libxml2 for the rest.
        let r = FullRecorder()
        try XMLPushParser.parse(b("<a><!-- x --><b/></a>"), delegate: r, location: Location(file: "t"))
        r.flush()
        #expect(r.events == ["<{}a>", "<{}b>", "</{}b>", "</{}a>"])
    }

    @Test func disabledSendsEverythingToLibxml2() {
        let saved = XMLFastScan.enabled
        defer { XMLFastScan.enabled = saved }
        XMLFastScan.enabled = false
        #expect(fastEvents(b("<a/>")) == nil)
    }

    /// Seeded mutations of a typical sheet: each inserts, deletes or replaces bytes with XML's special
    /// characters and sequences; whatever the scanner accepts, libxml2 accepts with the same events.
    @Test(arguments: 0..<8)
    func mutationsAgreeWithLibxml2(seed: UInt64) {
        var rng = SeededRNG(seed: 0xFA57 &+ seed)
        let base = b(Self.sheet)
        let pieces: [[UInt8]] = ["<", ">", "&", "&amp;", "&#x41;", "&#9;", "\"", "'", "=", " ", "\n", "\r", "\t", "/", ":",
                                 "x:", "xmlns:q=\"u\" ", "]]>", "]", "<!--", "-->", "<?", "?>", "<![CDATA[", "\u{0}", "中",
                                 "</c>", "<c>", "<v/>", " a=\"1\"", "xml:", "&lt;", "&#0;", "\u{FEFF}"].map { b($0) }
            + [[0xE4], [0xB8, 0xAD], [0xC0], [0xFF], [0xEF, 0xBF, 0xBF]]
        var accepted = 0
        for _ in 0..<150 {
            var doc = base
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0...doc.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: doc.insert(contentsOf: pieces.randomElement(using: &rng)!, at: at)
                case 1: if at < doc.count { doc.remove(at: at) }
                default:
                    let piece = pieces.randomElement(using: &rng)!
                    let end = min(doc.count, at + piece.count)
                    doc.replaceSubrange(at..<end, with: piece)
                }
            }
            if fastEvents(doc) != nil { accepted += 1 }
            expectAgreement(doc, "seed \(seed)")
        }
        // Some mutations stay well-formed (text or attribute changes): the comparison is not vacuous.
        #expect(accepted > 0)
    }
}
