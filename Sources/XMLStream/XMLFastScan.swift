import SheetCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scanner for the plain subset of XML that spreadsheet writers produce, for small parts held whole in memory:
/// the same events as libxml2 for a document in that subset, in a fraction of libxml2's time (a 27 KB worksheet
/// of Chinese inline strings: ≈0.4 M instructions against libxml2's 2.4 M, whose per-character decoding of
/// non-ASCII text and per-name dictionary lookups dominate).
///
/// The subset: UTF-8 (a BOM, an XML declaration of version 1.0 and encoding UTF-8 or none), elements and
/// attributes with ASCII names, namespace declarations anywhere, text with the five predefined entities and
/// character references. Anything else — DOCTYPE, comments, processing instructions, CDATA, a carriage return,
/// `&` or a control character in an attribute value, a non-ASCII name, other encodings, a document past the
/// depth or attribute limits, and every error — is left to libxml2: `parse` then returns false having sent
/// nothing, and the caller parses the bytes again with `XMLPushParser`, which reports errors as it always did.
///
/// Two passes over a private copy of the bytes: the first checks that the whole document is in the subset and
/// well-formed (so that no event is sent for a document libxml2 must judge), the second sends the events. The
/// second writes NUL bytes after attribute names and namespace URIs in the copy (the delegate's `XMLAttributes`
/// holds them NUL-terminated, as libxml2 hands them).
///
/// `Tests/XLSXFormatTests/XMLFastScanCorpusTests.swift` compares both parsers' events on every XML part of the
/// fixtures and corpus, `Tests/XMLStreamTests/XMLFastScanTests.swift` on the subset's edges and seeded mutations,
/// and the `xml` fuzz target on whatever libFuzzer makes.
public enum XMLFastScan {
    /// Set to false to send every document to libxml2 (tests compare both; `JIXIAO_XML_FAST=0` does the same).
    nonisolated(unsafe) public static var enabled: Bool = {
        guard let v = getenv("JIXIAO_XML_FAST") else { return true }
        return String(cString: v) != "0"
    }()

    /// Parts larger than this go to libxml2 (the copy and two passes pay for small parts; large ones stream).
    public static let maxBytes = 4 << 20

    /// Sends the events of the document `bytes` to `delegate` when it lies in the subset and returns true;
    /// returns false, having sent nothing, when it does not. What the delegate throws is rethrown (`XMLStop`
    /// ends the parse normally).
    public static func parse(_ bytes: UnsafeRawBufferPointer, delegate: XMLStreamDelegate,
                             limits: ReadLimits = .default) throws -> Bool {
        guard enabled, bytes.count > 0, bytes.count <= maxBytes else { return false }
        return try withCopy(bytes) { buffer, n in
            var check = FastScanner(buffer, n, limits: limits, sends: false)
            guard try check.run(nil) else { return false }
            let ok = try send(buffer, n, limits: limits, to: delegate)
            precondition(ok, "XMLFastScan: the second pass rejected what the first accepted")
            return true
        }
    }

    /// Like `parse`, in one pass: sends the events of the document as it goes, and returns false at the first
    /// thing outside the subset, when the delegate has had some of the events. For a delegate that can be
    /// thrown away and made anew for libxml2 (the worksheet reader collects its rows and hands them on only
    /// when this returns true): half the work of `parse`.
    public static func parseOnce(_ bytes: UnsafeRawBufferPointer, delegate: XMLStreamDelegate,
                                 limits: ReadLimits = .default) throws -> Bool {
        guard enabled, bytes.count > 0, bytes.count <= maxBytes else { return false }
        return try withCopy(bytes) { buffer, n in try send(buffer, n, limits: limits, to: delegate) }
    }

    /// Where the check of `bytes` stops: nil when the document is in the subset, else the byte offset of the
    /// first thing outside it (tests and diagnostics).
    static func firstRefusal(_ bytes: UnsafeRawBufferPointer, limits: ReadLimits = .default) -> Int? {
        guard bytes.count > 0 else { return 0 }
        return withCopy(bytes) { buffer, n in
            var check = FastScanner(buffer, n, limits: limits, sends: false)
            return (try? check.run(nil)) == true ? nil : check.position
        }
    }

    /// The bytes in a private copy with one spare byte after them: a NUL that stops every look-ahead without a
    /// bounds test (the sending pass also writes NULs into the copy).
    private static func withCopy<R>(_ bytes: UnsafeRawBufferPointer,
                                    _ body: (UnsafeMutablePointer<UInt8>, Int) throws -> R) rethrows -> R {
        let n = bytes.count
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: n + 1)
        defer { buffer.deallocate() }
        buffer.initialize(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
        buffer[n] = 0
        return try body(buffer, n)
    }

    /// The sending pass; `XMLStop` from the delegate ends it as accepted.
    private static func send(_ buffer: UnsafeMutablePointer<UInt8>, _ n: Int, limits: ReadLimits,
                             to delegate: XMLStreamDelegate) throws -> Bool {
        var scanner = FastScanner(buffer, n, limits: limits, sends: true)
        let sink = FastSink(delegate)
        do {
            return try withExtendedLifetime(sink) { try scanner.run(Unmanaged.passUnretained(sink)) }
        } catch is XMLStop {
            return true
        }
    }
}

/// The XML namespace, bound to the `xml` prefix without a declaration.
private let xmlNamespaceURI: UnsafePointer<UInt8> = {
    let s = "http://www.w3.org/XML/1998/namespace"
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: s.utf8.count + 1)
    p.initialize(from: Array(s.utf8), count: s.utf8.count)
    p[s.utf8.count] = 0
    return UnsafePointer(p)
}()

/// Byte classes, a bit each: 1 text bytes to look at (controls, `&`, `<`, `]`, non-ASCII), 2 attribute-value
/// bytes to look at (controls, `&`, `<`, quotes, non-ASCII), 4 ASCII name start, 8 ASCII name character.
private let byteClasses: UnsafePointer<UInt8> = {
    let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for b in 0..<256 {
        var c: UInt8 = 0
        if b < 0x20 || b == 0x26 || b == 0x3C || b == 0x5D || b >= 0x80 { c |= 1 }
        if b < 0x20 || b == 0x26 || b == 0x3C || b == 0x22 || b == 0x27 || b >= 0x80 { c |= 2 }
        let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        if letter { c |= 4 }
        if letter || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E { c |= 8 }
        t[b] = c
    }
    return UnsafePointer(t)
}()

/// The delegate, called through a strong `let` of a box passed unretained and used guaranteed: no reference
/// counting per event (an optional existential parameter was retained and released around every call).
final class FastSink {
    let delegate: XMLStreamDelegate
    init(_ delegate: XMLStreamDelegate) { self.delegate = delegate }
}

/// One pass of `XMLFastScan`: checks (no delegate) or sends (a delegate). Returns false at the first thing
/// outside the subset.
struct FastScanner {
    static let attributeCapacity = 64
    /// Namespace declarations in scope at once (more: left to libxml2).
    static let bindingCapacity = 64

    private let p: UnsafeMutablePointer<UInt8>
    private let n: Int
    private let maxDepth: Int
    private let maxAttributes: Int
    private let tagLimit: Int
    /// Sending: `run` gets a sink (events go to its delegate) and attribute names and URIs are NUL-terminated
    /// in the buffer.
    private let sends: Bool
    private let classes = byteClasses
    private var i = 0

    /// Open elements: start and length of each qualified name, and of its namespace URI.
    private var open: FixedStack<(start: Int, count: Int, uriStart: Int, uriCount: Int)>
    /// Namespace bindings in scope: prefix (empty for the default namespace), URI, and the depth that declared them.
    private var bindings: FixedStack<(prefixStart: Int, prefixCount: Int, uriStart: Int, uriCount: Int, depth: Int)>
    /// The attributes of the current start tag: prefix, local name and value ranges.
    private var attrs: FixedStack<(prefixStart: Int, prefixCount: Int, localStart: Int, localCount: Int, valueStart: Int, valueEnd: Int)>
    /// libxml2's layout of the attributes handed to the delegate: 5 pointers each.
    private var table: UnsafeMutablePointer<UnsafePointer<UInt8>?>

    /// A scanner of `n` bytes at `p` (with a NUL at `p[n]`) within `limits`: nesting deeper than libxml2's own
    /// limit (256) and more attributes than its table holds are left to libxml2 too.
    init(_ p: UnsafeMutablePointer<UInt8>, _ n: Int, limits: ReadLimits, sends: Bool) {
        self.p = p
        self.n = n
        self.maxDepth = min(limits.maxXMLDepth, 255)
        self.maxAttributes = min(limits.maxXMLAttributes, FastScanner.attributeCapacity)
        self.tagLimit = TagGuard.limit(maxAttributes: limits.maxXMLAttributes)
        self.sends = sends
        open = FixedStack(capacity: maxDepth + 1)
        bindings = FixedStack(capacity: FastScanner.bindingCapacity)
        attrs = FixedStack(capacity: FastScanner.attributeCapacity)
        table = sends ? .allocate(capacity: 5 * FastScanner.attributeCapacity) : UnsafeMutablePointer(bitPattern: 8)!
    }

    /// The current byte offset.
    var position: Int { i }

    mutating func run(_ sink: Unmanaged<FastSink>?) throws -> Bool {
        defer {
            if sends { table.deallocate() }
            open.free()
            bindings.free()
            attrs.free()
        }
        guard prolog() else { return false }
        // The root element and everything inside it.
        guard p[i] == 0x3C, i < n else { return false }
        while true {
            if i >= n { return false }  // unclosed elements
            if p[i] == 0x3C {
                let c = p[i + 1]
                if c == 0x2F {
                    guard try endTag(sink) else { return false }
                    if open.count == 0 { break }
                } else if classes[Int(c)] & 4 != 0 {
                    guard try startTag(sink) else { return false }
                    if open.count == 0 { break }  // an empty root element
                } else {
                    return false  // comments, CDATA, processing instructions, DOCTYPE, errors
                }
            } else {
                guard try text(sink) else { return false }
            }
        }
        // After the root: white space only.
        skipSpace()
        return i == n
    }

    // MARK: Prolog

    private mutating func prolog() -> Bool {
        if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
        if matches("<?xml") {
            let c = p[i + 5]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return false }
            i += 5
            guard declaration() else { return false }
        }
        skipSpace()
        return i < n
    }

    /// The rest of `<?xml …?>` after `<?xml`: version 1.0, encoding UTF-8 (any case) or none, standalone.
    private mutating func declaration() -> Bool {
        var seen = 0  // 1 version, 2 encoding, 3 standalone: in this order
        while true {
            let hadSpace = skipSpace()
            if p[i] == 0x3F {
                guard p[i + 1] == 0x3E, seen >= 1 else { return false }
                i += 2
                return true
            }
            guard hadSpace else { return false }
            let nameStart = i
            while classes[Int(p[i])] & 8 != 0 { i += 1 }
            let name = UnsafeBufferPointer(start: p + nameStart, count: i - nameStart)
            guard let q = equalsAndQuote() else { return false }
            let valueStart = i
            while i < n, p[i] != q {
                guard p[i] >= 0x20, p[i] < 0x80 else { return false }
                i += 1
            }
            guard i < n else { return false }
            let value = Array(UnsafeBufferPointer(start: p + valueStart, count: i - valueStart))
            i += 1
            if XMLBytes.equal(name, "version"), seen < 1 {
                guard value == Array("1.0".utf8) else { return false }
                seen = 1
            } else if XMLBytes.equal(name, "encoding"), seen == 1 {
                guard value.map({ $0 | 0x20 }) == Array("utf-8".utf8) else { return false }
                seen = 2
            } else if XMLBytes.equal(name, "standalone"), seen >= 1, seen < 3 {
                guard value == Array("yes".utf8) || value == Array("no".utf8) else { return false }
                seen = 3
            } else {
                return false
            }
        }
    }

    @inline(__always)
    private func matches(_ s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard i + m <= n else { return false }
        return memcmp(p + i, s.utf8Start, m) == 0
    }

    /// Skips XML white space in markup (where it is not reported, so a carriage return that libxml2 turns
    /// into a line feed reads the same); true when any was skipped.
    @discardableResult @inline(__always)
    private mutating func skipSpace() -> Bool {
        let p = self.p
        let start = i
        var j = start
        while true {
            let c = p[j]
            guard c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D else { break }
            j += 1
        }
        i = j
        return j > start
    }

    /// `= "` or `= '` after an attribute name, white space allowed around `=`: the quote, with `i` after it.
    @inline(__always)
    private mutating func equalsAndQuote() -> UInt8? {
        skipSpace()
        guard p[i] == 0x3D else { return nil }
        i += 1
        skipSpace()
        let q = p[i]
        guard q == 0x22 || q == 0x27 else { return nil }
        i += 1
        return q
    }

    // MARK: Names

    /// An ASCII qualified name at `i` (`local` or `prefix:local`); nil when there is none or it is outside
    /// the subset. Leaves `i` after it.
    @inline(__always)
    private mutating func qname() -> (prefixStart: Int, prefixCount: Int, localStart: Int, localCount: Int)? {
        let p = self.p, classes = self.classes
        let start = i
        var j = start
        guard classes[Int(p[j])] & 4 != 0 else { return nil }
        j += 1
        while classes[Int(p[j])] & 8 != 0 { j += 1 }
        if p[j] == 0x3A {
            let prefixCount = j - start
            j += 1
            let local = j
            guard classes[Int(p[j])] & 4 != 0 else { return nil }
            j += 1
            while classes[Int(p[j])] & 8 != 0 { j += 1 }
            guard p[j] != 0x3A, p[j] < 0x80 else { return nil }
            i = j
            return (start, prefixCount, local, j - local)
        }
        guard p[j] < 0x80 else { return nil }  // a non-ASCII name character
        i = j
        return (start, 0, start, j - start)
    }

    /// Names are short: compared byte by byte (no call).
    @inline(__always)
    private func equalBytes(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        let p = self.p
        var k = 0
        while k < count {
            if p[a + k] != p[b + k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always)
    private func isBytes(_ start: Int, _ count: Int, _ s: StaticString) -> Bool {
        count == s.utf8CodeUnitCount && memcmp(p + start, s.utf8Start, count) == 0
    }

    /// The binding of a prefix (empty: the default namespace) in scope; -1 when there is none.
    @inline(__always)
    private func binding(_ start: Int, _ count: Int) -> Int {
        var k = bindings.count - 1
        while k >= 0 {
            let b = bindings[k]
            if b.prefixCount == count, count == 0 || equalBytes(b.prefixStart, start, count) { return k }
            k -= 1
        }
        return -1
    }

    // MARK: Tags

    private mutating func startTag(_ sink: Unmanaged<FastSink>?) throws -> Bool {
        let tagStart = i
        i += 1
        guard let name = qname() else { return false }
        let depth = open.count + 1
        guard depth <= maxDepth else { return false }
        attrs.count = 0
        let bound = bindings.count
        var empty = false
        var prefixed = false
        while true {
            let hadSpace = skipSpace()
            let c = p[i]
            if c == 0x3E { i += 1; break }
            if c == 0x2F {
                guard p[i + 1] == 0x3E else { return false }
                i += 2
                empty = true
                break
            }
            guard hadSpace, let a = qname() else { return false }
            let nameEnd = i
            guard let q = equalsAndQuote() else { return false }
            let valueStart = i
            guard let valueEnd = value(q) else { return false }
            i += 1  // the closing quote
            if a.prefixCount == 0 && isBytes(a.localStart, a.localCount, "xmlns") {
                // The default namespace (an empty one undeclares it: left to libxml2).
                guard valueEnd > valueStart, !declares(0, 0, from: bound) else { return false }
                if sends { p[valueEnd] = 0 }
                guard bindings.append((0, 0, valueStart, valueEnd - valueStart, depth)) else { return false }
            } else if a.prefixCount > 0 && isBytes(a.prefixStart, a.prefixCount, "xmlns") {
                guard valueEnd > valueStart, !isBytes(a.localStart, a.localCount, "xml"),
                      !isBytes(a.localStart, a.localCount, "xmlns"),
                      !declares(a.localStart, a.localCount, from: bound) else { return false }
                if sends { p[valueEnd] = 0 }
                guard bindings.append((a.localStart, a.localCount, valueStart, valueEnd - valueStart, depth)) else { return false }
            } else {
                guard attrs.count < maxAttributes else { return false }
                // The same local name twice (with any prefixes): left to libxml2 (a duplicate is an error).
                var k = 0
                while k < attrs.count {
                    let b = attrs[k]
                    if b.localCount == a.localCount && equalBytes(b.localStart, a.localStart, a.localCount) { return false }
                    k += 1
                }
                if sends {
                    p[nameEnd] = 0
                    if a.prefixCount > 0 { p[a.localStart - 1] = 0 }
                    // libxml2's layout; a prefix's namespace is filled in below.
                    let t = table + 5 * attrs.count
                    t[0] = UnsafePointer(p + a.localStart)
                    t[1] = a.prefixCount > 0 ? UnsafePointer(p + a.prefixStart) : nil
                    t[2] = nil
                    t[3] = UnsafePointer(p + valueStart)
                    t[4] = UnsafePointer(p + valueEnd)
                }
                if a.prefixCount > 0 { prefixed = true }
                guard attrs.append((a.prefixStart, a.prefixCount, a.localStart, a.localCount, valueStart, valueEnd)) else { return false }
            }
        }
        guard i - tagStart <= tagLimit else { return false }
        // The element's namespace.
        var uriStart = 0, uriCount = 0
        if name.prefixCount > 0 {
            if isBytes(name.prefixStart, name.prefixCount, "xml") || isBytes(name.prefixStart, name.prefixCount, "xmlns") {
                return false
            }
            let k = binding(name.prefixStart, name.prefixCount)
            guard k >= 0 else { return false }
            uriStart = bindings[k].uriStart
            uriCount = bindings[k].uriCount
        } else {
            let k = binding(0, 0)
            if k >= 0 {
                uriStart = bindings[k].uriStart
                uriCount = bindings[k].uriCount
            }
        }
        // The prefixed attributes' namespaces (unprefixed ones have none; declarations may follow their use).
        if prefixed {
            var k = 0
            while k < attrs.count {
                let a = attrs[k]
                if a.prefixCount > 0 {
                    let uri: UnsafePointer<UInt8>
                    if isBytes(a.prefixStart, a.prefixCount, "xml") {
                        uri = xmlNamespaceURI
                    } else {
                        let b = binding(a.prefixStart, a.prefixCount)
                        guard b >= 0 else { return false }
                        uri = UnsafePointer(p + bindings[b].uriStart)
                    }
                    if sends { (table + 5 * k)[2] = uri }
                }
                k += 1
            }
        }
        guard open.append((name.prefixCount > 0 ? name.prefixStart : name.localStart,
                           name.prefixCount > 0 ? name.prefixCount + 1 + name.localCount : name.localCount,
                           uriStart, uriCount)) else { return false }
        if let sink {
            let local = UnsafeBufferPointer(start: UnsafePointer(p + name.localStart), count: name.localCount)
            let uri = UnsafeBufferPointer(start: uriCount > 0 ? UnsafePointer(p + uriStart) : nil, count: uriCount)
            try sink._withUnsafeGuaranteedRef { try $0.delegate.startElement(XMLName(localName: local, uri: uri), XMLAttributes(base: table, count: attrs.count)) }
            if empty { try sink._withUnsafeGuaranteedRef { try $0.delegate.endElement(XMLName(localName: local, uri: uri)) } }
        }
        if empty {
            open.count -= 1
            unbind(depth)
        }
        return true
    }

    /// true when a binding of this prefix was declared on the current tag (bindings from index `from`).
    private func declares(_ start: Int, _ count: Int, from: Int) -> Bool {
        var k = from
        while k < bindings.count {
            let b = bindings[k]
            if b.prefixCount == count, count == 0 || equalBytes(b.prefixStart, start, count) { return true }
            k += 1
        }
        return false
    }

    @inline(__always)
    private mutating func unbind(_ depth: Int) {
        while bindings.count > 0, bindings[bindings.count - 1].depth >= depth { bindings.count -= 1 }
    }

    /// An attribute value up to the quote `q`: valid UTF-8 without `<` or controls other than white space.
    /// Leaves `i` at the quote; returns the end of the value as libxml2 hands it, or nil. When sending, the value
    /// is rewritten in place as libxml2 does (never longer): white space becomes spaces (a CR LF one space),
    /// references become their characters, except `&`, which becomes `&#38;` (libxml2 without entity
    /// substitution; `XMLAttribute.decode` turns it back).
    @inline(__always)
    private mutating func value(_ q: UInt8) -> Int? {
        // Most values are plain ASCII up to their quote: nothing to rewrite.
        let p = self.p, classes = self.classes
        var j = i
        while classes[Int(p[j])] & 2 == 0 { j += 1 }
        if p[j] == q && j < n {
            i = j
            return j
        }
        i = j
        return valueRest(q)
    }

    /// `value` from the first byte that needs a look (`i`) on.
    @inline(never)
    private mutating func valueRest(_ q: UInt8) -> Int? {
        let p = self.p, classes = self.classes, sends = self.sends
        var j = i
        var w = i  // where the next byte of the value goes (sending)
        while true {
            let c = p[j]
            if classes[Int(c)] & 2 == 0 || ((c == 0x22 || c == 0x27) && c != q) {
                if sends && w != j { p[w] = c }
                w += 1
                j += 1
                continue
            }
            if c == q {
                i = j
                return j < n ? w : nil
            }
            if c >= 0x80 {
                guard let next = utf8(at: j) else { i = j; return nil }
                if sends && w != j {
                    var k = j
                    while k < next { p[w + k - j] = p[k]; k += 1 }
                }
                w += next - j
                j = next
                continue
            }
            if c == 0x09 || c == 0x0A || c == 0x0D {
                // A CR LF is one line feed before normalisation: one space.
                if c == 0x0D && p[j + 1] == 0x0A { j += 1 }
                if sends { p[w] = 0x20 }
                w += 1
                j += 1
                continue
            }
            guard c == 0x26 else { i = j; return nil }  // controls (and the end of the buffer), `<`
            var scratch: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            i = j
            guard let length = entity(&scratch) else { return nil }
            j = i
            if length == 1 && scratch.0 == 0x26 {
                if sends {
                    p[w] = 0x26; p[w + 1] = 0x23; p[w + 2] = 0x33; p[w + 3] = 0x38; p[w + 4] = 0x3B  // &#38;
                }
                w += 5
            } else {
                if sends {
                    p[w] = scratch.0
                    if length > 1 { p[w + 1] = scratch.1 }
                    if length > 2 { p[w + 2] = scratch.2 }
                    if length > 3 { p[w + 3] = scratch.3 }
                }
                w += length
            }
        }
    }

    private mutating func endTag(_ sink: Unmanaged<FastSink>?) throws -> Bool {
        let tagStart = i
        i += 2
        let nameStart = i
        guard let name = qname(), open.count > 0 else { return false }
        let top = open[open.count - 1]
        let count = i - nameStart
        guard count == top.count, equalBytes(nameStart, top.start, count) else { return false }
        skipSpace()
        guard p[i] == 0x3E else { return false }
        i += 1
        guard i - tagStart <= tagLimit else { return false }
        if let sink {
            // The namespace found at the start tag (the same bindings are in scope).
            let local = UnsafeBufferPointer(start: UnsafePointer(p + name.localStart), count: name.localCount)
            let uri = UnsafeBufferPointer(start: top.uriCount > 0 ? UnsafePointer(p + top.uriStart) : nil, count: top.uriCount)
            try sink._withUnsafeGuaranteedRef { try $0.delegate.endElement(XMLName(localName: local, uri: uri)) }
        }
        unbind(open.count)
        open.count -= 1
        return true
    }

    // MARK: Text

    /// Text up to the next `<`: valid UTF-8 without controls other than tab and line feed, with the predefined
    /// entities and character references, and without `]]>`.
    private mutating func text(_ sink: Unmanaged<FastSink>?) throws -> Bool {
        let p = self.p, classes = self.classes
        var run = i
        var j = i
        defer { i = j }
        while true {
            let c = p[j]
            if classes[Int(c)] & 1 == 0 { j += 1; continue }
            if c == 0x3C || (c == 0 && j >= n) { break }
            if c >= 0x80 {
                guard let next = utf8(at: j) else { return false }
                j = next
                continue
            }
            if c == 0x0A || c == 0x09 { j += 1; continue }
            if c == 0x0D {
                // libxml2 reads a CR LF, and a CR alone, as a line feed.
                if let sink, j > run {
                    try sink._withUnsafeGuaranteedRef { try $0.delegate.characters(UnsafeBufferPointer(start: UnsafePointer(p + run), count: j - run)) }
                }
                if p[j + 1] == 0x0A {
                    j += 1
                    run = j
                } else {
                    if let sink {
                        var lf: UInt8 = 0x0A
                        try withUnsafePointer(to: &lf) { at in try sink._withUnsafeGuaranteedRef { try $0.delegate.characters(UnsafeBufferPointer(start: at, count: 1)) } }
                    }
                    j += 1
                    run = j
                }
                continue
            }
            if c == 0x5D {
                if p[j + 1] == 0x5D && p[j + 2] == 0x3E { return false }
                j += 1
                continue
            }
            guard c == 0x26 else { return false }  // other controls, a carriage return, NUL
            // An entity: the text before it, then its character.
            if let sink, j > run {
                try sink._withUnsafeGuaranteedRef { try $0.delegate.characters(UnsafeBufferPointer(start: UnsafePointer(p + run), count: j - run)) }
            }
            var scratch: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
            i = j
            guard let length = entity(&scratch) else { j = i; return false }
            j = i
            if let sink {
                try withUnsafeBytes(of: &scratch) { raw in
                    try sink._withUnsafeGuaranteedRef {
                        try $0.delegate.characters(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                                       count: length))
                    }
                }
            }
            run = j
        }
        if let sink, j > run {
            try sink._withUnsafeGuaranteedRef { try $0.delegate.characters(UnsafeBufferPointer(start: UnsafePointer(p + run), count: j - run)) }
        }
        return j < n
    }

    /// An entity or character reference at `i` (`&`), decoded into `out` as UTF-8; its length, or nil.
    private mutating func entity(_ out: inout (UInt8, UInt8, UInt8, UInt8)) -> Int? {
        i += 1
        if p[i] == 0x23 {
            i += 1
            var v: UInt32 = 0
            var digits = 0
            if p[i] == 0x78 {
                i += 1
                while true {
                    let c = p[i]
                    let d: UInt32
                    if c >= 0x30 && c <= 0x39 { d = UInt32(c - 0x30) }
                    else if c >= 0x61 && c <= 0x66 { d = UInt32(c - 0x61 + 10) }
                    else if c >= 0x41 && c <= 0x46 { d = UInt32(c - 0x41 + 10) }
                    else { break }
                    v = v &* 16 &+ d
                    digits += 1
                    guard digits <= 8 else { return nil }
                    i += 1
                }
            } else {
                while p[i] >= 0x30 && p[i] <= 0x39 {
                    v = v &* 10 &+ UInt32(p[i] - 0x30)
                    digits += 1
                    guard digits <= 8 else { return nil }
                    i += 1
                }
            }
            guard digits > 0, p[i] == 0x3B else { return nil }
            i += 1
            // Characters XML allows (libxml2 refuses the others).
            guard v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
                    || (v >= 0x10000 && v <= 0x10FFFF) else { return nil }
            if v < 0x80 {
                out.0 = UInt8(v)
                return 1
            } else if v < 0x800 {
                out.0 = UInt8(0xC0 | (v >> 6))
                out.1 = UInt8(0x80 | (v & 0x3F))
                return 2
            } else if v < 0x10000 {
                out.0 = UInt8(0xE0 | (v >> 12))
                out.1 = UInt8(0x80 | ((v >> 6) & 0x3F))
                out.2 = UInt8(0x80 | (v & 0x3F))
                return 3
            } else {
                out.0 = UInt8(0xF0 | (v >> 18))
                out.1 = UInt8(0x80 | ((v >> 12) & 0x3F))
                out.2 = UInt8(0x80 | ((v >> 6) & 0x3F))
                out.3 = UInt8(0x80 | (v & 0x3F))
                return 4
            }
        }
        let c: UInt8
        if matches("amp;") { c = 0x26; i += 4 }
        else if matches("lt;") { c = 0x3C; i += 3 }
        else if matches("gt;") { c = 0x3E; i += 3 }
        else if matches("quot;") { c = 0x22; i += 5 }
        else if matches("apos;") { c = 0x27; i += 5 }
        else { return nil }
        out.0 = c
        return 1
    }

    /// One multi-byte UTF-8 character at `j` that XML allows (no overlong forms, surrogates, U+FFFE, U+FFFF or
    /// code points past U+10FFFF); the index after it, or nil.
    @inline(__always)
    private func utf8(at j: Int) -> Int? {
        let p = self.p
        let c0 = p[j]
        if c0 < 0xC2 { return nil }
        let c1 = p[j + 1]
        guard c1 & 0xC0 == 0x80 else { return nil }
        if c0 < 0xE0 { return j + 2 }
        let c2 = p[j + 2]
        guard c2 & 0xC0 == 0x80 else { return nil }
        if c0 < 0xF0 {
            if c0 == 0xE0 && c1 < 0xA0 { return nil }  // overlong
            if c0 == 0xED && c1 >= 0xA0 { return nil }  // surrogates
            if c0 == 0xEF && c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF) { return nil }  // U+FFFE, U+FFFF
            return j + 3
        }
        guard c0 <= 0xF4, p[j + 3] & 0xC0 == 0x80 else { return nil }
        if c0 == 0xF0 && c1 < 0x90 { return nil }  // overlong
        if c0 == 0xF4 && c1 >= 0x90 { return nil }  // past U+10FFFF
        return j + 4
    }
}

/// A stack of plain values with a fixed capacity (no reference counting, no copy on write).
struct FixedStack<Element> {
    let base: UnsafeMutablePointer<Element>
    let capacity: Int
    var count = 0

    init(capacity: Int) {
        base = .allocate(capacity: max(capacity, 1))
        self.capacity = capacity
    }

    func free() { base.deallocate() }

    @inline(__always)
    subscript(i: Int) -> Element { base[i] }

    /// false (and nothing added) when full.
    @inline(__always)
    mutating func append(_ e: Element) -> Bool {
        guard count < capacity else { return false }
        (base + count).initialize(to: e)
        count += 1
        return true
    }
}
