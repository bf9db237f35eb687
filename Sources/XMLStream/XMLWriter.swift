import SheetCore

/// A byte-level streaming XML writer.
///
/// Markup is appended to a reusable `[UInt8]` buffer; once the buffer holds `chunkSize` bytes, a call to
/// ``flushIfNeeded()`` hands it to the sink and empties it (keeping its capacity), so a sheet of millions of rows
/// streams through without being held. The primitives themselves never throw and never flush: callers flush at
/// natural boundaries (after a row, after a part), which keeps the hot path free of error handling.
///
/// Escaping follows what SpreadsheetML readers (Excel, LibreOffice, calamine, openpyxl) expect:
/// - `&`, `<`, `>` always, and `"` in attribute values;
/// - control characters that XML 1.0 cannot carry (U+0000–U+001F except tab and line feed, plus carriage return,
///   U+FFFE and U+FFFF) as the OOXML escape `_xHHHH_` (ECMA-376 Part 1, 22.9.2.19 ST_Xstring);
/// - a literal `_xHHHH_` in the text gets its underscore escaped (`_x005F_xHHHH_`) so that a reader does not
///   decode it;
/// - in attribute values tab and line feed become character references, so attribute normalisation keeps them.
///
/// ```swift
/// let w = XMLWriter()
/// w.declaration()
/// w.open("t"); w.text(" a&b "); w.close("t")
/// let bytes = w.finish()
/// ```
public final class XMLWriter {
    /// Receives a chunk of output. The array is only lent: copy it if you keep it.
    public typealias Sink = ([UInt8]) throws -> Void

    /// The pending bytes (not yet handed to the sink).
    public private(set) var out = XMLBuffer()
    public var buffer: [UInt8] { out.bytes }
    /// Bytes handed to the sink so far (not counting `buffer`).
    public private(set) var flushedCount: UInt64 = 0
    public let chunkSize: Int
    private let sink: Sink?

    /// A writer that hands chunks of about `chunkSize` bytes to `sink`.
    public init(chunkSize: Int = 256 * 1024, sink: @escaping Sink) {
        self.chunkSize = max(1024, chunkSize)
        self.sink = sink
        out.bytes.reserveCapacity(self.chunkSize + 4096)
    }

    /// A writer that keeps everything in memory; take the bytes with ``finish()``.
    public init() {
        chunkSize = Int.max
        sink = nil
        out.bytes.reserveCapacity(4096)
    }

    /// Total bytes written so far (flushed and pending).
    public var count: UInt64 { flushedCount + UInt64(out.bytes.count) }

    // MARK: - Flushing

    /// Hands the buffer to the sink when it holds at least `chunkSize` bytes.
    @inline(__always)
    public func flushIfNeeded() throws {
        if out.bytes.count >= chunkSize { try flush() }
    }

    /// Hands whatever is pending to the sink (a no-op for an in-memory writer).
    public func flush() throws {
        guard let sink, !out.bytes.isEmpty else { return }
        try sink(out.bytes)
        flushedCount += UInt64(out.bytes.count)
        out.bytes.removeAll(keepingCapacity: true)
    }

    /// In-memory writers: the bytes written. Streaming writers: the bytes not yet flushed (call ``flush()``).
    public func finish() -> [UInt8] {
        let result = out.bytes
        flushedCount += UInt64(result.count)
        out.bytes = []
        return result
    }

    // MARK: - Markup (forwarded to the buffer)

    /// Lends the buffer for a run of writes (one exclusive access instead of one per call: the hot path of
    /// sheet rows).
    @inline(__always)
    public func withBuffer<R>(_ body: (inout XMLBuffer) throws -> R) rethrows -> R {
        try body(&out)
    }

    public func declaration() { out.declaration() }
    @inline(__always) public func raw(_ s: StaticString) { out.raw(s) }
    @inline(__always) public func raw(_ other: [UInt8]) { out.raw(other) }
    @inline(__always) public func rawString(_ s: String) { out.rawString(s) }
    @inline(__always) public func byte(_ b: UInt8) { out.byte(b) }
    @inline(__always) public func start(_ name: StaticString) { out.start(name) }
    @inline(__always) public func endStart() { out.endStart() }
    @inline(__always) public func endEmpty() { out.endEmpty() }
    @inline(__always) public func open(_ name: StaticString) { out.open(name) }
    @inline(__always) public func close(_ name: StaticString) { out.close(name) }
    @inline(__always) public func attribute(_ name: StaticString, _ value: String) { out.attribute(name, value) }
    @inline(__always) public func attribute(_ name: StaticString, _ value: Int) { out.attribute(name, value) }
    @inline(__always) public func attribute(_ name: StaticString, _ value: Double) { out.attribute(name, value) }
    @inline(__always) public func attribute(_ name: StaticString, raw value: StaticString) { out.attribute(name, raw: value) }
    public func element(_ name: StaticString, text value: String) { out.element(name, text: value) }
    @inline(__always) public func text(_ s: String) { out.text(s) }
    @inline(__always) public func integer(_ v: Int64) { out.integer(v) }
    @inline(__always) public func number(_ d: Double) { out.number(d) }

    /// true when the text starts or ends with whitespace (see ``XMLBuffer/needsSpacePreserve(_:)``).
    public static func needsSpacePreserve(_ s: String) -> Bool { XMLBuffer.needsSpacePreserve(s) }
}

/// The bytes of an ``XMLWriter`` and the primitives that append to them (escaping rules: see ``XMLWriter``).
/// A struct, so that a caller holding it `inout` writes without per-call exclusivity checks.
public struct XMLBuffer {
    public var bytes: [UInt8] = []

    public init() {}

    // MARK: - Markup

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` and a line feed.
    public mutating func declaration() {
        raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
    }

    /// Appends markup as is (no escaping): for fixed tag text.
    @inline(__always)
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes as is (no escaping).
    @inline(__always)
    public mutating func raw(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    /// Appends a string as is (no escaping): only for text known to be markup-safe.
    @inline(__always)
    public mutating func rawString(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    @inline(__always)
    public mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// `<name`: attributes may follow; end with ``endStart()`` or ``endEmpty()``.
    @inline(__always)
    public mutating func start(_ name: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        raw(name)
    }

    /// `>` after ``start(_:)`` and attributes.
    @inline(__always)
    public mutating func endStart() { bytes.append(UInt8(ascii: ">")) }

    /// `/>` after ``start(_:)`` and attributes.
    @inline(__always)
    public mutating func endEmpty() {
        bytes.append(UInt8(ascii: "/"))
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<name>`.
    @inline(__always)
    public mutating func open(_ name: StaticString) {
        start(name)
        endStart()
    }

    /// `</name>`.
    @inline(__always)
    public mutating func close(_ name: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(UInt8(ascii: "/"))
        raw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// ` name="value"` with the value escaped.
    @inline(__always)
    public mutating func attribute(_ name: StaticString, _ value: String) {
        attributeStart(name)
        escape(value, attribute: true)
        bytes.append(UInt8(ascii: "\""))
    }

    /// ` name="123"`.
    @inline(__always)
    public mutating func attribute(_ name: StaticString, _ value: Int) {
        attributeStart(name)
        integer(Int64(value))
        bytes.append(UInt8(ascii: "\""))
    }

    /// ` name="1.5"` (shortest round-trip decimal).
    @inline(__always)
    public mutating func attribute(_ name: StaticString, _ value: Double) {
        attributeStart(name)
        number(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// ` name="value"` for a constant value (not escaped).
    @inline(__always)
    public mutating func attribute(_ name: StaticString, raw value: StaticString) {
        attributeStart(name)
        raw(value)
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private mutating func attributeStart(_ name: StaticString) {
        bytes.append(UInt8(ascii: " "))
        raw(name)
        bytes.append(UInt8(ascii: "="))
        bytes.append(UInt8(ascii: "\""))
    }

    /// `<name>text</name>` with the text escaped.
    public mutating func element(_ name: StaticString, text value: String) {
        open(name)
        text(value)
        close(name)
    }

    /// Escaped character data (see the type's documentation for the rules).
    @inline(__always)
    public mutating func text(_ s: String) {
        escape(s, attribute: false)
    }

    /// true when the text starts or ends with whitespace (space, tab, CR, LF), which an XML reader may drop
    /// unless the element says `xml:space="preserve"`.
    public static func needsSpacePreserve(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last else { return false }
        return isSpace(first) || isSpace(last)
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    // MARK: - Numbers

    /// Decimal digits of an integer.
    @inline(__always)
    public mutating func integer(_ v: Int64) {
        if v >= 0 && v < 10 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + v))
            return
        }
        var n = v.magnitude
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { tmp in
            var i = 20
            while n > 0 {
                i -= 1
                tmp[i] = UInt8(truncatingIfNeeded: 48 + n % 10)
                n /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: tmp[i..<20]))
        }
    }

    /// A double as the shortest decimal that reads back to the same value (`12`, `-0.5`, `1e-07`,
    /// `1.7976931348623157e+308`); integral values below 2^53 without a fraction. Not-finite values are
    /// written as `0` (callers write them as error cells instead).
    @inline(__always)
    public mutating func number(_ d: Double) {
        if d.isFinite, d == d.rounded(.towardZero), abs(d) < 9.007_199_254_740_992e15 {
            integer(Int64(d))
        } else if d.isFinite {
            bytes.append(contentsOf: d.description.utf8)
        } else {
            bytes.append(UInt8(ascii: "0"))
        }
    }

    // MARK: - Escaping

    /// 0: copy; 1: needs a look (markup character, control character, `_`, U+FFFE/U+FFFF lead byte).
    /// Bytes that need a look: control characters, markup characters, `_`, and 0xEF (lead byte of U+FFFE/U+FFFF).
    @inline(__always)
    static func isSpecial(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x5F || b == 0xEF
    }

    private mutating func escape(_ s: String, attribute: Bool) {
        var s = s
        s.withUTF8 { utf8 in
            // Fast path: nothing to escape.
            var needs = false
            for b in utf8 where XMLBuffer.isSpecial(b) { needs = true; break }
            if !needs {
                bytes.append(contentsOf: utf8)
                return
            }
            escapeSlow(utf8, attribute: attribute)
        }
    }

    private mutating func escapeSlow(_ src: UnsafeBufferPointer<UInt8>, attribute: Bool) {
        let n = src.count
        var i = 0
        var runStart = 0
        @inline(__always) func flushRun(_ end: Int) {
            if end > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: src[runStart..<end])) }
        }
        while i < n {
            let b = src[i]
            guard XMLBuffer.isSpecial(b) else { i += 1; continue }
            switch b {
            case UInt8(ascii: "&"):
                flushRun(i); raw("&amp;"); i += 1; runStart = i
            case UInt8(ascii: "<"):
                flushRun(i); raw("&lt;"); i += 1; runStart = i
            case UInt8(ascii: ">"):
                flushRun(i); raw("&gt;"); i += 1; runStart = i
            case UInt8(ascii: "\""):
                if attribute { flushRun(i); raw("&quot;"); i += 1; runStart = i } else { i += 1 }
            case 0x09, 0x0A:
                if attribute {
                    flushRun(i)
                    if b == 0x09 { raw("&#9;") } else { raw("&#10;") }
                    i += 1; runStart = i
                } else {
                    i += 1
                }
            case UInt8(ascii: "_"):
                if XMLBuffer.isEscapeSequence(src, at: i) {
                    flushRun(i); raw("_x005F_"); i += 1; runStart = i
                } else {
                    i += 1
                }
            case 0xEF:
                // U+FFFE = EF BF BE, U+FFFF = EF BF BF: not XML characters.
                if i + 2 < n, src[i + 1] == 0xBF, src[i + 2] == 0xBE || src[i + 2] == 0xBF {
                    flushRun(i)
                    raw(src[i + 2] == 0xBE ? "_xFFFE_" : "_xFFFF_")
                    i += 3; runStart = i
                } else {
                    i += 1
                }
            default:
                // Control characters U+0000–U+001F (tab and line feed handled above).
                flushRun(i)
                hexEscape(b)
                i += 1; runStart = i
            }
        }
        flushRun(n)
    }

    /// `_xHHHH_` for a control byte.
    private mutating func hexEscape(_ b: UInt8) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        raw("_x00")
        bytes.append(hex[Int(b >> 4)])
        bytes.append(hex[Int(b & 0xF)])
        bytes.append(UInt8(ascii: "_"))
    }

    /// true when `bytes[i...]` starts with `_xHHHH_` (the sequence a reader decodes).
    @inline(__always)
    static func isEscapeSequence(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_") else {
            return false
        }
        for k in 2...5 where !isHex(bytes[i + k]) { return false }
        return true
    }

    @inline(__always)
    static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
    }
}
