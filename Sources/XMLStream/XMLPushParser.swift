import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Receives the events of an `XMLPushParser`. Names, attributes and text are borrowed bytes valid only during
/// the call: make Strings only for what is kept. Throwing from a callback stops the parser; the error is
/// rethrown from `feed`/`finish` (throw `XMLStop()` to stop early without an error).
public protocol XMLStreamDelegate: AnyObject {
    func startElement(_ name: XMLName, _ attributes: XMLAttributes) throws
    func endElement(_ name: XMLName) throws
    /// Text content, possibly split over several calls. CDATA is reported here as well.
    func characters(_ text: UnsafeBufferPointer<UInt8>) throws
}

/// Thrown by a delegate to end parsing early; `feed`/`finish` then return normally.
public struct XMLStop: Error {
    public init() {}
}

/// A SAX2 push parser over libxml2 (`xmlCreatePushParserCtxt` + `xmlParseChunk`).
///
/// Safe for untrusted input: no entity substitution, no DTD loading, no network, no huge-document mode;
/// any DOCTYPE is refused as `.unsafe` (OOXML parts never have one; DTD entities are how XML bombs and XXE
/// work). libxml2's errors are captured (never printed) and thrown as `.corrupt` naming the part.
/// Element depth and attribute count are limited by `ReadLimits`.
public final class XMLPushParser {
    private let box: ParserBox
    private var ctxt: xmlParserCtxtPtr?
    private var finished = false

    /// - Parameters:
    ///   - delegate: receives the events (held strongly while parsing).
    ///   - location: file and part, used in errors.
    public init(delegate: XMLStreamDelegate, location: Location, limits: ReadLimits = .default) {
        XMLPushParser.initOnce
        box = ParserBox(delegate: delegate, location: location, limits: limits)
    }

    deinit {
        if let ctxt { xmlFreeParserCtxt(ctxt) }
    }

    /// Parses the next chunk of the document.
    /// - Throws: `JixiaoError` (`.corrupt`, `.unsafe`, `.limitExceeded`) or what the delegate threw.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished, !box.stopped else { try box.check(); return }
        guard bytes.count > 0 else { return }
        var chunk = bytes
        if ctxt == nil {
            // The first bytes go to the constructor so that libxml2 can detect the encoding.
            let head = min(4, chunk.count)
            if !box.tags.scan(UnsafeRawBufferPointer(rebasing: chunk[0..<head])) { throw box.tagTooLong() }
            ctxt = makeContext(UnsafeRawBufferPointer(rebasing: chunk[0..<head]))
            chunk = UnsafeRawBufferPointer(rebasing: chunk[head...])
            guard ctxt != nil else {
                throw JixiaoError(.corrupt, "cannot create the XML parser", at: box.location)
            }
        }
        // xmlParseChunk takes an Int32 size: feed in pieces of at most 1 MiB.
        var offset = 0
        while offset < chunk.count, !box.stopped {
            let n = min(1 << 20, chunk.count - offset)
            if !box.tags.scan(UnsafeRawBufferPointer(rebasing: chunk[offset..<(offset + n)])) {
                throw box.tagTooLong()
            }
            let p = chunk.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self)
            let rc = xmlParseChunk(ctxt, p, Int32(n), 0)
            try box.check()
            if box.stopped { return }
            if rc != 0 { throw box.failure(ctxt) }
            offset += n
        }
        try box.check()
    }

    /// Feeds a whole byte array.
    public func feed(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try feed($0) }
    }

    /// Ends the document: reports a truncated or unbalanced document as `.corrupt`.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        if box.stopped { try box.check(); return }
        guard let ctxt else {
            throw JixiaoError(.corrupt, "empty XML part", at: box.location)
        }
        let rc = xmlParseChunk(ctxt, nil, 0, 1)
        try box.check()
        if box.stopped { return }
        if rc != 0 || ctxt.pointee.wellFormed == 0 { throw box.failure(ctxt) }
    }

    /// Parses a complete document held in memory: by `XMLFastScan` when it lies in the plain subset of XML that
    /// spreadsheet writers produce, else (and for every error) by libxml2, pushed.
    public static func parse(_ bytes: [UInt8], delegate: XMLStreamDelegate, location: Location,
                             limits: ReadLimits = .default) throws {
        if try bytes.withUnsafeBytes({ try XMLFastScan.parse($0, delegate: delegate, limits: limits) }) { return }
        let p = XMLPushParser(delegate: delegate, location: location, limits: limits)
        try p.feed(bytes)
        try p.finish()
    }

    /// Parses a complete document held in memory, pulled by libxml2 (no push look-ahead); the caller has tried
    /// `XMLFastScan` first where it pays.
    public static func parse(memory bytes: UnsafeRawBufferPointer, delegate: XMLStreamDelegate, location: Location,
                             limits: ReadLimits = .default) throws {
        var offset = 0
        try parse(pull: { into in
            let n = min(into.count, bytes.count - offset)
            if n > 0 { into.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }, delegate: delegate, location: location, limits: limits)
    }

    /// Parses a document that libxml2 pulls through `read` (its I/O mode: unlike the push mode it does not scan
    /// ahead for the end of every tag and text before parsing it). `read` fills the buffer with the next bytes and
    /// returns their count, 0 at the end; what it throws is rethrown. Same events, limits and errors as pushing.
    public static func parse(pull read: (UnsafeMutableRawBufferPointer) throws -> Int, delegate: XMLStreamDelegate,
                             location: Location, limits: ReadLimits = .default) throws {
        let p = XMLPushParser(delegate: delegate, location: location, limits: limits)
        try withoutActuallyEscaping(read) { read in
            let source = PullSource(read)
            source.box = p.box
            try p.parsePulled(source)
        }
    }

    private func parsePulled(_ source: PullSource) throws {
        finished = true
        CLibXML2_silenceGenericErrors()  // per thread: never print to the terminal
        var sax = XMLPushParser.saxHandler()
        let user = Unmanaged.passUnretained(box).toOpaque()
        let io = Unmanaged.passUnretained(source).toOpaque()
        guard let c = xmlCreateIOParserCtxt(&sax, user, xmlStreamPullRead, nil, io, XML_CHAR_ENCODING_NONE) else {
            if let e = source.error { throw e }
            throw JixiaoError(.corrupt, "cannot create the XML parser", at: box.location)
        }
        ctxt = c
        xmlCtxtUseOptions(c, XMLPushParser.options)
        box.ctxt = c
        let rc = xmlParseDocument(c)
        if let e = source.error { throw e }
        try box.check()
        if box.stopped { return }
        if source.total == 0 { throw JixiaoError(.corrupt, "empty XML part", at: box.location) }
        if rc != 0 || c.pointee.wellFormed == 0 { throw box.failure(c) }
    }

    /// The SAX2 handler of both modes.
    private static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = xmlStreamStartElement
        sax.endElementNs = xmlStreamEndElement
        sax.characters = xmlStreamCharacters
        sax.cdataBlock = xmlStreamCharacters
        sax.ignorableWhitespace = xmlStreamCharacters
        sax.internalSubset = xmlStreamInternalSubset
        sax.externalSubset = xmlStreamInternalSubset
        sax.entityDecl = xmlStreamEntityDecl
        sax.serror = xmlStreamStructuredError
        return sax
    }

    private static let initOnce: Void = { xmlInitParser() }()

    /// Parser options: no XML_PARSE_NOENT, DTDLOAD, DTDATTR, HUGE; no network; quiet.
    static let options: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    private func makeContext(_ head: UnsafeRawBufferPointer) -> xmlParserCtxtPtr? {
        CLibXML2_silenceGenericErrors()  // per thread: never print to the terminal
        var sax = XMLPushParser.saxHandler()
        let user = Unmanaged.passUnretained(box).toOpaque()
        let c = xmlCreatePushParserCtxt(&sax, user, head.baseAddress?.assumingMemoryBound(to: CChar.self),
                                        Int32(head.count), nil)
        guard let c else { return nil }
        xmlCtxtUseOptions(c, XMLPushParser.options)
        box.ctxt = c
        return c
    }
}

/// The reader of a pulled parse (libxml2's I/O context).
final class PullSource {
    let read: (UnsafeMutableRawBufferPointer) throws -> Int
    var error: Error?
    var total = 0
    /// The parser's state, for the tag-length guard.
    var box: ParserBox?
    init(_ read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) { self.read = read }
}

private func xmlStreamPullRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?,
                               _ len: Int32) -> Int32 {
    guard let context, let buffer, len > 0 else { return 0 }
    let source = Unmanaged<PullSource>.fromOpaque(context).takeUnretainedValue()
    guard source.error == nil else { return -1 }
    do {
        let n = try source.read(UnsafeMutableRawBufferPointer(start: buffer, count: Int(len)))
        source.total += n
        if let box = source.box, !box.tags.scan(UnsafeRawBufferPointer(start: buffer, count: n)) {
            source.error = box.tagTooLong()
            return -1
        }
        return Int32(n)
    } catch {
        source.error = error
        return -1
    }
}

/// State shared with the C callbacks (passed as libxml2's user data).
final class ParserBox {
    /// Called through this strong `let` of the guaranteed box: no reference counting per event (an
    /// `unowned(unsafe)` copy of it was retained and released around every call).
    let delegate: XMLStreamDelegate
    let location: Location
    let maxDepth: Int
    let maxAttributes: Int
    var ctxt: xmlParserCtxtPtr?
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var stopped = false
    var error: Error?
    /// The first message libxml2 reported.
    var libxmlMessage: String?
    var libxmlLine: Int32 = 0

    /// Bounds the length of one tag before libxml2 parses it (see `TagGuard`).
    var tags: TagGuard

    init(delegate: XMLStreamDelegate, location: Location, limits: ReadLimits) {
        self.delegate = delegate
        self.location = location
        self.maxDepth = limits.maxXMLDepth
        self.maxAttributes = limits.maxXMLAttributes
        self.tags = TagGuard(limit: TagGuard.limit(maxAttributes: limits.maxXMLAttributes))
    }

    func tagTooLong() -> JixiaoError {
        JixiaoError(.limitExceeded, "an XML tag longer than \(tags.limit) bytes (1 KB per attribute, limit maxXMLAttributes) / XML 标签过长",
                    at: location)
    }

    /// Records the first error and stops the parser.
    func stop(_ e: Error) {
        guard !stopped else { return }
        stopped = true
        error = e
        if let ctxt { xmlStopParser(ctxt) }
    }

    /// Stops with the error of the limit an element exceeded (depth first).
    @inline(never)
    func exceeded(attributes: Int) {
        if depth > maxDepth {
            stop(JixiaoError(.limitExceeded, "XML nesting deeper than \(maxDepth) elements (limit maxXMLDepth) / XML 嵌套层数超过上限",
                             at: location))
        } else {
            stop(JixiaoError(.limitExceeded, "an XML element has \(attributes) attributes, more than \(maxAttributes) (limit maxXMLAttributes) / XML 属性数超过上限",
                             at: location))
        }
    }

    /// Rethrows a recorded error (not for XMLStop).
    func check() throws {
        guard let error else { return }
        if error is XMLStop { return }
        throw error
    }

    /// The error for a failed parse, from libxml2's message.
    func failure(_ ctxt: xmlParserCtxtPtr?) -> JixiaoError {
        var m = "malformed XML"
        if libxmlLine > 0 { m += " at line \(libxmlLine)" }
        return JixiaoError(.corrupt, m, at: location, underlying: libxmlMessage)
    }
}

@inline(__always)
private func box(_ ctx: UnsafeMutableRawPointer?) -> ParserBox {
    Unmanaged<ParserBox>.fromOpaque(ctx!).takeUnretainedValue()
}

private func xmlStreamStartElement(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?,
                                   _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
                                   _ nbNamespaces: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                                   _ nbAttributes: Int32, _ nbDefaulted: Int32,
                                   _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
    guard let ctx else { return }
    Unmanaged<ParserBox>.fromOpaque(ctx)._withUnsafeGuaranteedRef { b in
        guard !b.stopped else { return }
        b.depth += 1
        // One test for both limits on the common path.
        if b.depth > b.maxDepth || Int(nbAttributes) > b.maxAttributes {
            b.exceeded(attributes: Int(nbAttributes))
            return
        }
        do {
            try b.delegate.startElement(XMLName(localNameCString: localname, uriCString: uri),
                                        XMLAttributes(base: attributes, count: Int(nbAttributes)))
        } catch {
            b.stop(error)
        }
    }
}

private func xmlStreamEndElement(_ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?,
                                 _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) {
    guard let ctx else { return }
    Unmanaged<ParserBox>.fromOpaque(ctx)._withUnsafeGuaranteedRef { b in
        guard !b.stopped else { return }
        b.depth -= 1
        do {
            try b.delegate.endElement(XMLName(localNameCString: localname, uriCString: uri))
        } catch {
            b.stop(error)
        }
    }
}

private func xmlStreamCharacters(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
    guard let ctx else { return }
    Unmanaged<ParserBox>.fromOpaque(ctx)._withUnsafeGuaranteedRef { b in
        guard !b.stopped, let ch, len > 0 else { return }
        do {
            try b.delegate.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
        } catch {
            b.stop(error)
        }
    }
}

private func xmlStreamInternalSubset(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?,
                                     _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?) {
    let b = box(ctx)
    b.stop(JixiaoError(.unsafe, "XML part has a DOCTYPE (DTDs and entities are refused: XML bomb / external entity risk) / 含 DOCTYPE 的 XML 被拒绝（实体炸弹或外部实体风险）",
                       at: b.location))
}

private func xmlStreamEntityDecl(_ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ type: Int32,
                                 _ publicId: UnsafePointer<xmlChar>?, _ systemId: UnsafePointer<xmlChar>?,
                                 _ content: UnsafeMutablePointer<xmlChar>?) {
    let b = box(ctx)
    b.stop(JixiaoError(.unsafe, "XML part declares entities (refused: XML bomb / external entity risk) / XML 声明了实体，已拒绝", at: b.location))
}

private func xmlStreamStructuredError(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let ctx, let error else { return }
    let b = box(ctx)
    guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, b.libxmlMessage == nil else { return }
    let raw = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
    // One line: libxml2's messages can span lines ("...encoding !\nBytes: 0x..").
    let msg = raw.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " }).joined(separator: " ")
    b.libxmlMessage = msg
    b.libxmlLine = error.pointee.line
}

/// The length of one tag (from `<` to `>`), checked on the bytes before libxml2 sees them. libxml2 2.9 compares
/// every attribute and namespace declaration of a start tag with all earlier ones (quadratic) before the
/// attribute limit can be checked: 200,000 attributes in a 460 KB part took 10 s, 200,000 `xmlns:` declarations
/// as long. A tag may be at most `maxXMLAttributes` KB (256 KB by default), far beyond any real OOXML tag.
///
/// Linear, at the cost of a `memchr` and a short backward look per 64 KB: a tag that fits in one piece is shorter than
/// the limit, so only tags crossing pieces are measured. Text never holds `<`; a `>` inside an attribute value or
/// a comment only ends the measured tag early.
struct TagGuard {
    let limit: Int
    /// Inside a tag at the end of the bytes seen so far, and its length so far.
    private var open = false
    private var length = 0
    static let piece = 64 * 1024

    init(limit: Int) { self.limit = limit }

    static func limit(maxAttributes: Int) -> Int {
        let (kb, overflow) = max(maxAttributes, 64).multipliedReportingOverflow(by: 1024)
        return overflow ? Int.max : kb
    }

    /// Takes the next bytes of the document; false when a tag is longer than the limit.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let n = min(TagGuard.piece, bytes.count - offset)
            let p = base + offset
            offset += n
            var start = 0
            if open {
                guard let gt = memchr(p, 0x3E, n) else {
                    length += n
                    if length > limit { return false }
                    continue
                }
                start = UnsafeRawPointer(gt) - p
                length += start
                if length > limit { return false }
                open = false
                length = 0
            }
            // The last `<` or `>` of the piece says whether a tag is open at its end (markup is dense: this
            // stops after a few bytes, and reads a text-only piece once).
            let bytes = p.assumingMemoryBound(to: UInt8.self)
            var i = n - 1
            while i >= start {
                let b = bytes[i]
                if b == 0x3C { open = true; length = n - i; break }
                if b == 0x3E { break }
                i -= 1
            }
        }
        return true
    }
}
