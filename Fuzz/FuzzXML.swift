// libFuzzer target: XMLFastScan against libxml2. The input is one XML document. Whatever the scanner accepts,
// libxml2 must accept with the same events (adjacent text merged); the one-pass and two-pass modes must agree.
// Built and run by `scripts/fuzz xml SECONDS`.
import SheetCore
import XMLStream

final class Log: XMLStreamDelegate {
    var events: [String] = []
    var text: [UInt8] = []
    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws {
        flush()
        var s = "<{\(name.uriString)}\(name.string)"
        for a in attributes {
            s += " \(XMLBytes.string(a.prefix)):\(XMLBytes.string(a.localName)){\(XMLBytes.string(a.uri))}=\(XMLBytes.string(a.rawValue))"
        }
        events.append(s + ">")
    }
    func endElement(_ name: XMLName) throws {
        flush()
        events.append("</{\(name.uriString)}\(name.string)>")
    }
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws { self.text.append(contentsOf: text) }
    func flush() {
        if !text.isEmpty { events.append("\"" + String(decoding: text, as: UTF8.self) + "\""); text = [] }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fast = Log()
    let accepted = (try? bytes.withUnsafeBytes { try XMLFastScan.parse($0, delegate: fast) }) ?? false
    let once = Log()
    let acceptedOnce = (try? bytes.withUnsafeBytes { try XMLFastScan.parseOnce($0, delegate: once) }) ?? false
    if accepted != acceptedOnce { fatalError("parse and parseOnce disagree") }
    guard accepted else {
        if !fast.events.isEmpty || !fast.text.isEmpty { fatalError("parse sent events for a refused document") }
        return 0
    }
    fast.flush()
    once.flush()
    if fast.events != once.events { fatalError("parse and parseOnce sent different events") }
    let slow = Log()
    let parser = XMLPushParser(delegate: slow, location: Location(file: "fuzz.xml"))
    do {
        try parser.feed(bytes)
        try parser.finish()
    } catch {
        fatalError("the scanner accepted what libxml2 rejects: \(error)")
    }
    slow.flush()
    if slow.events != fast.events { fatalError("events differ:\n\(fast.events)\n\(slow.events)") }
    return 0
}
