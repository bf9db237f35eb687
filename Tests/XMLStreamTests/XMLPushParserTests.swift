import Foundation
import SheetCore
import Testing
@testable import XMLStream

/// Records events as text: `<name a=v>`, `</name>`, `"text"`.
final class Recorder: XMLStreamDelegate {
    var events: [String] = []
    var text = ""
    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        flush()
        let attrs = attributes.map { " \($0.prefix.isEmpty ? "" : XMLBytes.string($0.prefix) + ":")\(XMLBytes.string($0.localName))=\($0.value)" }
        events.append("<\(name.string)\(attrs.joined())>")
    }
    func endElement(_ name: XMLName) throws {
        flush()
        events.append("</\(name.string)>")
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws {
        self.text += XMLBytes.string(text)
    }
    func flush() {
        if !text.isEmpty { events.append("\"\(text)\""); text = "" }
    }
}

private let loc = Location(file: "t.xlsx", part: "xl/test.xml")

private func parse(_ xml: String, chunk: Int = 1 << 16, limits: ReadLimits = .default) throws -> [String] {
    let r = Recorder()
    let p = XMLPushParser(delegate: r, location: loc, limits: limits)
    let bytes = Array(xml.utf8)
    var i = 0
    while i < bytes.count {
        let j = min(bytes.count, i + chunk)
        try p.feed(Array(bytes[i..<j]))
        i = j
    }
    try p.finish()
    r.flush()
    return r.events
}

@Suite struct XMLPushParserTests {
    @Test func elementsAttributesAndText() throws {
        let xml = #"<?xml version="1.0" encoding="UTF-8"?><x:a xmlns:x="urn:x" xmlns:r="urn:r" r:id="rId1" n="R&amp;D &lt;1&gt;"><x:b>中文 &amp; &#x41;</x:b><![CDATA[<raw>]]></x:a>"#
        let events = try parse(xml)
        #expect(events == ["<a r:id=rId1 n=R&D <1>>", "<b>", "\"中文 & A\"", "</b>", "\"<raw>\"", "</a>"])
    }

    @Test func byteSizedChunksGiveTheSameEvents() throws {
        let xml = #"<?xml version="1.0" encoding="UTF-8"?><root><c r="A1" t="s"><v>12</v></c><t xml:space="preserve"> 绩效 </t></root>"#
        #expect(try parse(xml, chunk: 1) == parse(xml))
    }

    @Test func utf16Document() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é中</a>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in xml.utf16 { bytes.append(UInt8(u & 0xFF)); bytes.append(UInt8(u >> 8)) }
        let r = Recorder()
        try XMLPushParser.parse(bytes, delegate: r, location: loc)
        r.flush()
        #expect(r.events == ["<a>", "\"é中\"", "</a>"])
    }

    @Test func malformedXMLIsCorruptNamingThePart() {
        do {
            _ = try parse("<a><b></a>")
            Issue.record("no error")
        } catch let e as JixiaoError {
            #expect(e.kind == .corrupt)
            #expect(e.location?.part == "xl/test.xml")
            #expect(e.underlying?.isEmpty == false)
        } catch { Issue.record("\(error)") }
    }

    @Test func truncatedDocumentIsCorrupt() {
        #expect(throws: JixiaoError.self) { try parse("<a><b>text") }
        #expect(throws: JixiaoError.self) { try parse("") }
    }

    @Test func billionLaughsIsRefusedAsUnsafe() {
        let bomb = """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>
        """
        do {
            _ = try parse(bomb)
            Issue.record("no error")
        } catch let e as JixiaoError {
            #expect(e.kind == .unsafe)
        } catch { Issue.record("\(error)") }
    }

    @Test func externalEntityIsRefused() {
        let xxe = #"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#
        #expect { try parse(xxe) } throws: { ($0 as? JixiaoError)?.kind == .unsafe }
    }

    @Test func undeclaredEntityIsCorrupt() {
        #expect { try parse("<r>&nope;</r>") } throws: { ($0 as? JixiaoError)?.kind == .corrupt }
    }

    @Test func depthAndAttributeLimits() throws {
        var limits = ReadLimits()
        limits.maxXMLDepth = 3
        #expect(try parse("<a><b><c/></b></a>", limits: limits).count == 6)
        #expect { try parse("<a><b><c><d/></c></b></a>", limits: limits) } throws: {
            ($0 as? JixiaoError)?.kind == .limitExceeded
        }
        limits = ReadLimits()
        limits.maxXMLAttributes = 2
        #expect { try parse(#"<a x="1" y="2" z="3"/>"#, limits: limits) } throws: {
            ($0 as? JixiaoError)?.kind == .limitExceeded
        }
    }

    @Test func delegateErrorsStopAndPropagate() {
        final class Thrower: XMLStreamDelegate {
            var seen = 0
            func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
                seen += 1
                if name.is("stop") { throw JixiaoError(.invalidValue, "stop here") }
            }
            func endElement(_ name: XMLName) throws {}
            func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
        }
        let t = Thrower()
        #expect { try XMLPushParser.parse(Array("<a><stop/><b/><c/></a>".utf8), delegate: t, location: loc) } throws: {
            ($0 as? JixiaoError)?.message == "stop here"
        }
        #expect(t.seen == 2)
    }

    @Test func xmlStopEndsQuietly() throws {
        final class Stopper: XMLStreamDelegate {
            var seen = 0
            func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
                seen += 1
                if name.is("b") { throw XMLStop() }
            }
            func endElement(_ name: XMLName) throws {}
            func characters(_ text: UnsafeBufferPointer<UInt8>) throws {}
        }
        let s = Stopper()
        try XMLPushParser.parse(Array("<a><b/><c/>".utf8), delegate: s, location: loc)
        #expect(s.seen == 2)
    }

    @Test func attributeAmpersandDecoding() {
        let raw = Array("a&#38;b&#38;#38;".utf8)
        let s = raw.withUnsafeBufferPointer { XMLAttribute.decode($0) }
        #expect(s == "a&b&#38;")
    }
}

@Suite struct XMLEncodingErrorTests {
    @Test func invalidBytesAreCorruptNotPrinted() {
        let bad1: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>".utf8) + [0xFF, 0xFE, 0x80] + Array("</a>".utf8)
        let bad2: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"GBK\"?><a>".utf8) + [0x81, 0x20, 0xFF] + Array("</a>".utf8)
        let bad3: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"x-no-such\"?><a/>".utf8)
        let printed = captureStandardError {
            for bytes in [bad1, bad2, bad3] {
                #expect {
                    try XMLPushParser.parse(bytes, delegate: Recorder(), location: Location(file: "t.xlsx", part: "p.xml"))
                } throws: {
                    // One line, for the CLI's one-line error message.
                    ($0 as? JixiaoError).map { !$0.description.contains("\n") } ?? false
                }
            }
        }
        // Other tests running in parallel (and the test runner) may write to fd 2 meanwhile: look for what
        // libxml2 prints ("Entity: line 1: parser error : ...", "Bytes: 0x..", "encoding error").
        let fromLibxml = printed.split(separator: "\n").filter {
            $0.contains("parser error") || $0.contains("Bytes: 0x") || $0.contains("encoding error") || $0.hasPrefix("Entity: line")
        }
        #expect(fromLibxml.isEmpty, "libxml2 printed: \(fromLibxml)")
    }

    /// Runs `body` with file descriptor 2 sent to a temporary file; returns what was written there.
    private func captureStandardError(_ body: () -> Void) -> String {
        let path = "/tmp/jixiao-stderr-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        guard fd >= 0 else { return "" }
        fflush(stderr)
        let saved = dup(2)
        dup2(fd, 2)
        body()
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        close(fd)
        defer { unlink(path) }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
