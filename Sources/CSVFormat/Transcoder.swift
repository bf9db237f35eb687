#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// A decoding failure, thrown after the valid bytes before it were handed on, so that the caller can name the
/// line it happened on.
struct DecodeFailure: Error {
    var encoding: CSVEncoding
    /// What the C library said, when it said anything.
    var detail: String?
}

/// Turns the bytes of a file, chunk by chunk, into UTF-8 for the parser. UTF-8 input is passed on without a copy
/// (the parser validates fields); UTF-16 is converted here; GBK and GB18030 go through `iconv`.
final class Transcoder {
    let encoding: CSVEncoding
    private var cd: iconv_t?
    private var out: [UInt8]
    static let outputChunk = 64 * 1024

    init(_ encoding: CSVEncoding) throws {
        self.encoding = encoding
        self.out = []
        switch encoding {
        case .gbk, .gb18030:
            let h = iconv_open("UTF-8", encoding.iconvName)
            if h == iconv_t(bitPattern: -1) {
                throw JixiaoError(.unsupported, "this system's iconv cannot decode \(encoding.iconvName) / 系统 iconv 不支持该编码",
                                  underlying: String(cString: strerror(errno)))
            }
            cd = h
            out = [UInt8](repeating: 0, count: Transcoder.outputChunk)
        case .utf16le, .utf16be:
            out = [UInt8](repeating: 0, count: Transcoder.outputChunk * 3 / 2 + 8)
        case .utf8, .utf8BOM:
            break
        }
    }

    deinit {
        if let cd { iconv_close(cd) }
    }

    /// Whether the output is valid UTF-8 by construction (everything but UTF-8 input, which is passed on as is).
    var producesValidUTF8: Bool { encoding != .utf8 && encoding != .utf8BOM }

    /// Decodes `input`, handing UTF-8 pieces to `sink`. Returns how many input bytes were used: when not `final`,
    /// a sequence cut by the end of `input` is left for the next call (the caller puts it in front of the next
    /// chunk). Throws `DecodeFailure` at the first invalid byte, after sinking everything before it.
    func decode(_ input: UnsafeBufferPointer<UInt8>, final: Bool,
                _ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        switch encoding {
        case .utf8, .utf8BOM:
            // Passed on as is: the parser validates each field when it makes its String (delimiters, quotes and
            // line ends are ASCII, which never occurs inside a multi-byte sequence, so splitting first is safe).
            try sink(input)
            return input.count
        case .utf16le, .utf16be:
            return try decodeUTF16(input, bigEndian: encoding == .utf16be, final: final, sink)
        case .gbk, .gb18030:
            return try decodeIconv(input, final: final, sink)
        }
    }

    private func decodeUTF16(_ input: UnsafeBufferPointer<UInt8>, bigEndian: Bool, final: Bool,
                             _ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        let n = input.count
        var i = 0
        @inline(__always) func unit(_ k: Int) -> UInt32 {
            bigEndian ? UInt32(input[k]) << 8 | UInt32(input[k + 1]) : UInt32(input[k + 1]) << 8 | UInt32(input[k])
        }
        return try out.withUnsafeMutableBufferPointer { o -> Int in
            let cap = o.count - 4
            var w = 0
            func fail(_ detail: String) throws -> Never {
                try sink(UnsafeBufferPointer(rebasing: o[0..<w]))
                throw DecodeFailure(encoding: encoding, detail: detail)
            }
            while i + 1 < n {
                let u = unit(i)
                var scalar = u
                var used = 2
                if u >= 0xD800 && u <= 0xDBFF {
                    guard i + 3 < n else {
                        if final { try fail("the file ends inside a surrogate pair") }
                        break
                    }
                    let u2 = unit(i + 2)
                    guard u2 >= 0xDC00 && u2 <= 0xDFFF else { try fail("unpaired surrogate") }
                    scalar = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00)
                    used = 4
                } else if u >= 0xDC00 && u <= 0xDFFF {
                    try fail("unpaired surrogate")
                }
                if scalar < 0x80 {
                    o[w] = UInt8(scalar); w += 1
                } else if scalar < 0x800 {
                    o[w] = UInt8(0xC0 | scalar >> 6); o[w + 1] = UInt8(0x80 | scalar & 0x3F); w += 2
                } else if scalar < 0x10000 {
                    o[w] = UInt8(0xE0 | scalar >> 12); o[w + 1] = UInt8(0x80 | (scalar >> 6) & 0x3F)
                    o[w + 2] = UInt8(0x80 | scalar & 0x3F); w += 3
                } else {
                    o[w] = UInt8(0xF0 | scalar >> 18); o[w + 1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
                    o[w + 2] = UInt8(0x80 | (scalar >> 6) & 0x3F); o[w + 3] = UInt8(0x80 | scalar & 0x3F); w += 4
                }
                i += used
                if w >= cap {
                    try sink(UnsafeBufferPointer(rebasing: o[0..<w]))
                    w = 0
                }
            }
            if w > 0 { try sink(UnsafeBufferPointer(rebasing: o[0..<w])); w = 0 }
            if i < n && final {
                try fail(n - i == 1 ? "odd number of bytes in UTF-16 text" : "the file ends inside a surrogate pair")
            }
            return i
        }
    }

    private func decodeIconv(_ input: UnsafeBufferPointer<UInt8>, final: Bool,
                             _ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        guard let cd, let inBase = input.baseAddress, input.count > 0 else { return 0 }
        let outCount = out.count
        return try out.withUnsafeMutableBufferPointer { o -> Int in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBase)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = input.count
            while inLeft > 0 {
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outCount
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                let err = r == -1 ? errno : 0
                let produced = outCount - outLeft
                if produced > 0 { try sink(UnsafeBufferPointer(rebasing: o[0..<produced])) }
                if r != -1 { break }
                switch err {
                case E2BIG:
                    continue
                case EINVAL:
                    // Incomplete sequence at the end of the input.
                    if final {
                        throw DecodeFailure(encoding: encoding, detail: "the file ends inside a multi-byte character")
                    }
                    return input.count - inLeft
                default:
                    let at = input.count - inLeft
                    throw DecodeFailure(encoding: encoding, detail: String(format2: input[at]))
                }
            }
            return input.count - inLeft
        }
    }
}

extension String {
    /// `byte 0xFF`.
    init(format2 byte: UInt8) {
        let hex = Array("0123456789ABCDEF".utf8)
        self = "byte 0x" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
    }
}
