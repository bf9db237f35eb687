import CZlib
import SheetCore

/// A raw-deflate (`windowBits` -15) compress stream at a stable heap address; `deinit` ends it.
final class Deflater {
    let stream: UnsafeMutablePointer<z_stream>
    private let scratch: UnsafeMutableRawBufferPointer

    /// - Parameter level: 0…9, or -1 for zlib's default (6).
    init(level: Int32) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // memLevel 8 and the default strategy: what zlib's deflateInit and most ZIP writers use.
        let rc = CZlib_deflateInit2(stream, level, -15, 8, Z_DEFAULT_STRATEGY)
        if rc != Z_OK {
            let msg = Inflater.message(stream, rc)
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw JixiaoError(.invalidValue, "cannot start zlib deflate (level \(level))", underlying: msg)
        }
        scratch = .allocate(byteCount: 65_536, alignment: 16)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Compresses `input` (and, when `finish`, ends the stream), handing compressed pieces to `output`.
    /// The output pieces only depend on the total input, not on how it was split (`Z_NO_FLUSH`).
    func compress(_ input: UnsafeRawBufferPointer, finish: Bool,
                  _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        let s = stream
        var base = input.baseAddress
        var left = input.count
        defer { s.pointee.next_in = nil; s.pointee.next_out = nil }
        repeat {
            let n = min(left, 1 << 30)
            s.pointee.next_in = UnsafeMutablePointer(mutating: base?.assumingMemoryBound(to: Bytef.self))
            s.pointee.avail_in = uInt(n)
            let lastPiece = n == left
            let flush = finish && lastPiece ? Z_FINISH : Z_NO_FLUSH
            while true {
                s.pointee.next_out = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
                s.pointee.avail_out = uInt(scratch.count)
                let rc = deflate(s, flush)
                if rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR {
                    throw JixiaoError(.io, "zlib deflate failed", underlying: Inflater.message(s, rc))
                }
                let produced = scratch.count - Int(s.pointee.avail_out)
                if produced > 0 { try output(UnsafeRawBufferPointer(rebasing: scratch[0..<produced])) }
                if flush == Z_FINISH {
                    if rc == Z_STREAM_END { break }
                } else if s.pointee.avail_in == 0 && s.pointee.avail_out != 0 {
                    break
                }
            }
            base = base.map { $0 + n }
            left -= n
        } while left > 0
    }
}
