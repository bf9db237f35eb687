#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A small JSON parser for the corpus reference files that converts numbers with `strtod` (correctly
/// rounded), because Foundation's parser on Linux is not, and the comparison of numbers is exact.
/// Produces [String: Any], [Any], String, Double, JSONBool, NSNull.
enum ExactJSON {
    struct Failure: Error { var offset: Int }

    static func parse(_ data: Data) throws -> Any {
        let bytes = [UInt8](data)
        var i = 0
        let v = try value(bytes, &i)
        return v
    }

    private static func skip(_ b: [UInt8], _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private static func value(_ b: [UInt8], _ i: inout Int) throws -> Any {
        skip(b, &i)
        guard i < b.count else { throw Failure(offset: i) }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var obj: [String: Any] = [:]
            skip(b, &i)
            if b[i] == UInt8(ascii: "}") { i += 1; return obj }
            while true {
                skip(b, &i)
                let k = try string(b, &i)
                skip(b, &i)
                guard b[i] == UInt8(ascii: ":") else { throw Failure(offset: i) }
                i += 1
                obj[k] = try value(b, &i)
                skip(b, &i)
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "}") else { throw Failure(offset: i) }
                i += 1
                return obj
            }
        case UInt8(ascii: "["):
            i += 1
            var arr: [Any] = []
            skip(b, &i)
            if b[i] == UInt8(ascii: "]") { i += 1; return arr }
            while true {
                arr.append(try value(b, &i))
                skip(b, &i)
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                guard b[i] == UInt8(ascii: "]") else { throw Failure(offset: i) }
                i += 1
                return arr
            }
        case UInt8(ascii: "\""):
            return try string(b, &i)
        case UInt8(ascii: "t"):
            i += 4; return JSONBool(value: true)
        case UInt8(ascii: "f"):
            i += 5; return JSONBool(value: false)
        case UInt8(ascii: "n"):
            i += 4; return NSNull()
        default:
            let start = i
            while i < b.count, "+-0123456789.eE".utf8.contains(b[i]) { i += 1 }
            var text = Array(b[start..<i]).map { CChar(bitPattern: $0) }
            text.append(0)
            return strtod(text, nil)
        }
    }

    private static func string(_ b: [UInt8], _ i: inout Int) throws -> String {
        guard b[i] == UInt8(ascii: "\"") else { throw Failure(offset: i) }
        i += 1
        var out: [UInt8] = []
        var pendingHigh: UInt32?
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                i += 1
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    let hex = String(decoding: b[i..<i + 4], as: UTF8.self)
                    i += 4
                    var u = UInt32(hex, radix: 16) ?? 0xFFFD
                    if (0xD800..<0xDC00).contains(u) { pendingHigh = u; continue }
                    if (0xDC00..<0xE000).contains(u), let h = pendingHigh {
                        u = 0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00)
                        pendingHigh = nil
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(u) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw Failure(offset: i)
    }
}

/// A JSON `true`/`false` (kept apart from numbers).
struct JSONBool: CustomStringConvertible {
    var value: Bool
    var description: String { value ? "true" : "false" }
}
