import SheetCore

/// Byte helpers shared by the XML layer and its users: compare raw UTF-8 bytes with static ASCII names
/// without making Strings.
public enum XMLBytes {
    /// true when `bytes` equals the static ASCII/UTF-8 text `name`.
    @inlinable
    public static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard bytes.count == n else { return false }
        guard n > 0, let base = bytes.baseAddress else { return n == 0 }
        let s = name.utf8Start
        var i = 0
        while i < n {
            if base[i] != s[i] { return false }
            i += 1
        }
        return true
    }

    /// Length of a NUL-terminated C string.
    @inlinable
    public static func length(_ p: UnsafePointer<UInt8>) -> Int {
        var n = 0
        while p[n] != 0 { n += 1 }
        return n
    }

    /// Decodes UTF-8 bytes into a String (invalid sequences become U+FFFD; libxml2 has validated them).
    @inlinable
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// The name of an element as libxml2's SAX2 reports it: local name and namespace URI as borrowed bytes.
/// Valid only during the callback that receives it; never keep it.
public struct XMLName {
    @usableFromInline let localStart: UnsafePointer<UInt8>?
    /// -1 while the local name is a NUL-terminated string not measured yet (`is` compares without measuring).
    @usableFromInline let localCount: Int
    @usableFromInline let uriStart: UnsafePointer<UInt8>?
    /// -1 while the URI is a NUL-terminated string not measured yet (most delegates never look at it).
    @usableFromInline let uriCount: Int

    /// Local name without prefix (`c` for `<x:c>`).
    @inlinable
    public var localName: UnsafeBufferPointer<UInt8> {
        guard let p = localStart else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: localCount >= 0 ? localCount : XMLBytes.length(p))
    }

    /// Namespace URI bytes, empty when the element has no namespace.
    public var uri: UnsafeBufferPointer<UInt8> {
        guard let p = uriStart else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: uriCount >= 0 ? uriCount : XMLBytes.length(p))
    }

    @inlinable
    public init(localName: UnsafeBufferPointer<UInt8>, uri: UnsafeBufferPointer<UInt8>) {
        self.localStart = localName.baseAddress
        self.localCount = localName.count
        self.uriStart = uri.baseAddress
        self.uriCount = uri.count
    }

    /// A name whose URI is measured only when asked for.
    @inlinable
    public init(localName: UnsafeBufferPointer<UInt8>, uriCString: UnsafePointer<UInt8>?) {
        self.localStart = localName.baseAddress
        self.localCount = localName.count
        self.uriStart = uriCString
        self.uriCount = -1
    }

    /// A name whose local name and URI are NUL-terminated strings, measured only when asked for.
    @inlinable
    public init(localNameCString: UnsafePointer<UInt8>?, uriCString: UnsafePointer<UInt8>?) {
        self.localStart = localNameCString
        self.localCount = -1
        self.uriStart = uriCString
        self.uriCount = -1
    }

    /// true when the local name is `name` (any namespace).
    @inlinable
    public func `is`(_ name: StaticString) -> Bool {
        if localCount >= 0 { return XMLBytes.equal(localName, name) }
        // NUL-terminated: compare the bytes, then the terminator (no strlen).
        let n = name.utf8CodeUnitCount
        guard let p = localStart else { return n == 0 }
        let s = name.utf8Start
        var i = 0
        while i < n {
            if p[i] != s[i] { return false }
            i += 1
        }
        return p[n] == 0
    }

    /// The first byte of the local name (0 when it is empty): for dispatching before `is`.
    @inlinable
    public var firstByte: UInt8 { byte(0) }

    /// Byte `i` of the local name, 0 at its end: valid for `i` up to the first 0 returned (compare a short name
    /// byte by byte, its terminator included, without measuring it).
    @inlinable @inline(__always)
    public func byte(_ i: Int) -> UInt8 {
        guard let p = localStart else { return 0 }
        if localCount < 0 { return p[i] }
        return i < localCount ? p[i] : 0
    }

    /// The local name as a String (for messages).
    public var string: String { XMLBytes.string(localName) }
    /// The namespace URI as a String.
    public var uriString: String { XMLBytes.string(uri) }
}

/// One attribute of a start tag (borrowed bytes, valid only during the callback).
public struct XMLAttribute {
    public let localName: UnsafeBufferPointer<UInt8>
    /// Prefix bytes (`r` for `r:id`), empty when unprefixed.
    public let prefix: UnsafeBufferPointer<UInt8>
    public let uri: UnsafeBufferPointer<UInt8>
    /// The raw value bytes as libxml2 hands them: character references and predefined entities are decoded,
    /// except that `&` itself appears as `&#38;` (libxml2 does so when entities are not substituted).
    public let rawValue: UnsafeBufferPointer<UInt8>

    @inlinable
    public init(localName: UnsafeBufferPointer<UInt8>, prefix: UnsafeBufferPointer<UInt8>,
                uri: UnsafeBufferPointer<UInt8>, rawValue: UnsafeBufferPointer<UInt8>) {
        self.localName = localName
        self.prefix = prefix
        self.uri = uri
        self.rawValue = rawValue
    }

    /// true when the local name is `name`.
    @inlinable
    public func `is`(_ name: StaticString) -> Bool { XMLBytes.equal(localName, name) }

    /// The value as a String, with `&#38;` turned back into `&`.
    public var value: String { XMLAttribute.decode(rawValue) }

    /// Decodes `&#38;` (the only reference libxml2 leaves in attribute values without XML_PARSE_NOENT).
    public static func decode(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return XMLBytes.string(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        let n = raw.count
        while i < n {
            if raw[i] == UInt8(ascii: "&"), i + 4 < n, raw[i + 1] == UInt8(ascii: "#"), raw[i + 2] == UInt8(ascii: "3"),
               raw[i + 3] == UInt8(ascii: "8"), raw[i + 4] == UInt8(ascii: ";") {
                out.append(UInt8(ascii: "&"))
                i += 5
            } else {
                out.append(raw[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The attributes of a start tag: a view over libxml2's array of 5 pointers per attribute
/// (localname, prefix, URI, value, end). Valid only during the callback.
public struct XMLAttributes: RandomAccessCollection {
    @usableFromInline let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    public let count: Int

    @inlinable
    public init(base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int) {
        self.base = base
        self.count = base == nil ? 0 : count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inlinable
    public subscript(i: Int) -> XMLAttribute {
        let p = base! + 5 * i
        let ln = p[0]!
        let localName = UnsafeBufferPointer(start: ln, count: XMLBytes.length(ln))
        let prefix = p[1].map { UnsafeBufferPointer(start: $0, count: XMLBytes.length($0)) } ?? UnsafeBufferPointer(start: nil, count: 0)
        let uri = p[2].map { UnsafeBufferPointer(start: $0, count: XMLBytes.length($0)) } ?? UnsafeBufferPointer(start: nil, count: 0)
        let value: UnsafeBufferPointer<UInt8>
        if let v = p[3], let e = p[4] {
            value = UnsafeBufferPointer(start: v, count: e - v)
        } else {
            value = UnsafeBufferPointer(start: nil, count: 0)
        }
        return XMLAttribute(localName: localName, prefix: prefix, uri: uri, rawValue: value)
    }

    /// The local name of attribute `i` (cheaper than building the whole `XMLAttribute`).
    @inlinable
    public func localName(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let ln = base![5 * i]!
        return UnsafeBufferPointer(start: ln, count: XMLBytes.length(ln))
    }

    /// The local name of attribute `i` as libxml2 keeps it: NUL-terminated, not measured.
    @inlinable
    public func localNameCString(_ i: Int) -> UnsafePointer<UInt8> { base![5 * i]! }

    /// true when attribute `i` has no prefix.
    @inlinable
    public func isUnprefixed(_ i: Int) -> Bool { base![5 * i + 1] == nil }

    /// The raw value bytes of attribute `i`.
    @inlinable
    public func rawValue(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard let v = base![5 * i + 3], let e = base![5 * i + 4] else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: v, count: e - v)
    }

    /// The raw value of the first attribute with local name `name` (any namespace).
    @inlinable
    public func raw(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var i = 0
        while i < count {
            if XMLBytes.equal(localName(i), name) { return rawValue(i) }
            i += 1
        }
        return nil
    }

    /// The decoded value of the first attribute with local name `name` (any namespace).
    public func value(_ name: StaticString) -> String? {
        raw(name).map { XMLAttribute.decode($0) }
    }
}
