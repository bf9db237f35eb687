#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore
import XMLStream

/// Collects the text of a string item (`<si>` of the shared strings, `<is>` of an inline string):
/// the `<t>` of plain and rich-text runs (`<r><t>`), skipping phonetic runs (`<rPh>`); each `<t>` without
/// `xml:space="preserve"` is trimmed of leading/trailing space, tab, CR and LF (as Excel and calamine do);
/// `_xHHHH_` escapes are decoded at the end.
struct RichTextCollector {
    /// The text so far is `storage[0..<used]`; `storage` only grows (clearing and appending cost no Array
    /// bookkeeping: one collector serves every cell of a sheet).
    private var storage: [UInt8]
    private var used = 0
    private var inT = false
    private var preserve = false
    private var tStart = 0
    private var phoneticDepth = 0
    let maxLength: Int

    init(maxLength: Int) {
        self.maxLength = maxLength
        storage = [UInt8](repeating: 0, count: 256)
    }

    /// The collected bytes (escapes not decoded).
    var bytes: [UInt8] { Array(storage[0..<used]) }

    mutating func reset() {
        used = 0
        inT = false
        phoneticDepth = 0
    }

    /// Call for every start tag inside the item.
    mutating func start(_ name: XMLName, _ attributes: XMLAttributes) {
        if RichTextCollector.isPhonetic(name) {
            phoneticDepth += 1
        } else if RichTextCollector.isT(name), phoneticDepth == 0 {
            inT = true
            tStart = used
            preserve = false
            for i in 0..<attributes.count where XMLBytes.equal(attributes.localName(i), "space") {
                preserve = XMLBytes.equal(attributes.rawValue(i), "preserve")
            }
        }
    }

    @inline(__always)
    private static func isT(_ name: XMLName) -> Bool { name.byte(0) == UInt8(ascii: "t") && name.byte(1) == 0 }

    @inline(__always)
    private static func isPhonetic(_ name: XMLName) -> Bool {
        name.byte(0) == UInt8(ascii: "r") && name.byte(1) == UInt8(ascii: "P") && name.byte(2) == UInt8(ascii: "h")
            && name.byte(3) == 0
    }

    mutating func end(_ name: XMLName) {
        if RichTextCollector.isPhonetic(name) {
            phoneticDepth = max(0, phoneticDepth - 1)
        } else if RichTextCollector.isT(name), inT {
            inT = false
            if !preserve { trimTail(from: tStart) }
        }
    }

    /// Returns false when the text grew past `maxLength`.
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard inT, text.count > 0 else { return true }
        let end = used + text.count
        if end > storage.count {
            storage.append(contentsOf: repeatElement(0, count: max(end, 2 * storage.count) - storage.count))
        }
        storage.withUnsafeMutableBufferPointer { b in
            (b.baseAddress! + used).update(from: text.baseAddress!, count: text.count)
        }
        used = end
        return used <= maxLength
    }

    private mutating func trimTail(from start: Int) {
        @inline(__always) func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var end = used
        while end > start, ws(storage[end - 1]) { end -= 1 }
        var s = start
        while s < end, ws(storage[s]) { s += 1 }
        if s > start {
            storage.withUnsafeMutableBufferPointer { b in
                _ = memmove(b.baseAddress! + start, b.baseAddress! + s, end - s)
            }
        }
        used = start + (end - s)
    }

    /// The collected text, escapes decoded.
    var string: String { storage.withUnsafeBufferPointer { OOXMLEscapes.decode(UnsafeBufferPointer(rebasing: $0[0..<used])) } }

    /// The collected text, escapes decoded; a text seen before comes from the cell-string cache.
    func string(_ cache: inout CellStringCache.Reader) -> String {
        storage.withUnsafeBufferPointer { OOXMLEscapes.decode(UnsafeBufferPointer(rebasing: $0[0..<used]), cache: &cache) }
    }
}

/// The `_xHHHH_` escapes of ECMA-376 (22.9.2.19 ST_Xstring): `_x000D_` is CR, `_x005F_` escapes `_`.
enum OOXMLEscapes {
    /// `decode(bytes)`, a text without escapes through `cache`.
    static func decode(_ bytes: [UInt8], cache: inout CellStringCache.Reader) -> String {
        bytes.withUnsafeBufferPointer { decode($0, cache: &cache) }
    }

    static func decode(_ b: UnsafeBufferPointer<UInt8>, cache: inout CellStringCache.Reader) -> String {
        if b.count > 0, memchr(b.baseAddress!, Int32(UInt8(ascii: "_")), b.count) == nil {
            return cache.string(b)
        }
        return decode(b)
    }

    static func decode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // memchr: the bytes are mostly CJK text without any `_`.
        let hasUnderscore = bytes.count > 0 && memchr(bytes.baseAddress!, Int32(UInt8(ascii: "_")), bytes.count) != nil
        guard hasUnderscore else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let n = bytes.count
        var i = 0
        while i < n {
            if bytes[i] == UInt8(ascii: "_"), i + 6 < n, bytes[i + 1] == UInt8(ascii: "x"),
               bytes[i + 6] == UInt8(ascii: "_"), let v = hex4(bytes, i + 2),
               let scalar = Unicode.Scalar(v) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i += 7
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[at + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }
}
