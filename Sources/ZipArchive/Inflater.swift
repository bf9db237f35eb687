import CZlib
import SheetCore

/// A raw-deflate (`windowBits` -15, what ZIP entries hold) inflate stream. The `z_stream` lives at a
/// stable heap address for its whole life; `deinit` ends it.
final class Inflater {
    let stream: UnsafeMutablePointer<z_stream>

    init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = CZlib_inflateInit2(stream, -15)
        if rc != Z_OK {
            let msg = Inflater.message(stream, rc)
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw JixiaoError(.io, "cannot start zlib inflate", underlying: msg)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    static func message(_ s: UnsafeMutablePointer<z_stream>, _ rc: Int32) -> String {
        if let m = s.pointee.msg { return String(cString: m) }
        switch rc {
        case Z_DATA_ERROR: return "invalid deflate data"
        case Z_MEM_ERROR: return "out of memory"
        case Z_BUF_ERROR: return "no progress possible"
        case Z_NEED_DICT: return "a preset dictionary is needed"
        case Z_STREAM_ERROR: return "stream state inconsistent"
        default: return "zlib error \(rc)"
        }
    }

    /// Why `run` stopped.
    enum Stop {
        /// The deflate stream ended (`Z_STREAM_END`).
        case end
        /// The input ran out before the stream ended.
        case inputExhausted
        /// `window` returned an empty buffer: the caller has no room for more output.
        case outputFull
    }

    /// Inflates `input`. `window()` hands out the memory to inflate into next (at most `maxStep` bytes of it
    /// are filled per zlib call); `produced(n, consumedSoFar)` reports `n` new bytes there and may throw to stop
    /// (limits). Returns why it stopped and how many input bytes were consumed.
    func run(_ input: UnsafeRawBufferPointer, maxStep: Int = 1 << 20,
             window: () -> UnsafeMutableRawBufferPointer,
             produced: (Int, Int) throws -> Void) throws -> (Stop, consumed: Int) {
        let s = stream
        guard let inBase = input.baseAddress, input.count > 0 else { return (.inputExhausted, 0) }
        var consumed = 0
        s.pointee.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: Bytef.self))
        s.pointee.avail_in = 0
        defer {
            s.pointee.next_in = nil
            s.pointee.next_out = nil
            s.pointee.avail_in = 0
            s.pointee.avail_out = 0
        }
        while true {
            if s.pointee.avail_in == 0 {
                let left = input.count - consumed
                if left == 0 { return (.inputExhausted, consumed) }
                s.pointee.next_in = UnsafeMutablePointer(mutating: (inBase + consumed).assumingMemoryBound(to: Bytef.self))
                s.pointee.avail_in = uInt(min(left, 1 << 30))
            }
            let w = window()
            guard let wBase = w.baseAddress, w.count > 0 else {
                // No room left: the stream may still end without producing anything more. Probe with one byte.
                var probe: UInt8 = 0
                let inBefore = s.pointee.avail_in
                let rc = withUnsafeMutablePointer(to: &probe) { p -> Int32 in
                    s.pointee.next_out = p
                    s.pointee.avail_out = 1
                    return inflate(s, Z_NO_FLUSH)
                }
                consumed += Int(inBefore - s.pointee.avail_in)
                if s.pointee.avail_out == 0 { return (.outputFull, consumed) }
                if rc == Z_STREAM_END { return (.end, consumed) }
                if rc != Z_OK && rc != Z_BUF_ERROR { throw InflateFailure(code: rc, message: Inflater.message(s, rc)) }
                if s.pointee.avail_in == 0 && consumed >= input.count { return (.inputExhausted, consumed) }
                if rc == Z_BUF_ERROR && inBefore == s.pointee.avail_in { return (.inputExhausted, consumed) }
                continue
            }
            let step = min(w.count, maxStep)
            s.pointee.next_out = wBase.assumingMemoryBound(to: Bytef.self)
            s.pointee.avail_out = uInt(step)
            let inBefore = s.pointee.avail_in
            let rc = inflate(s, Z_NO_FLUSH)
            let used = Int(inBefore - s.pointee.avail_in)
            consumed += used
            let n = step - Int(s.pointee.avail_out)
            if rc == Z_STREAM_END {
                if n > 0 { try produced(n, consumed) }
                return (.end, consumed)
            }
            if rc != Z_OK && rc != Z_BUF_ERROR {
                throw InflateFailure(code: rc, message: Inflater.message(s, rc))
            }
            if n > 0 { try produced(n, consumed) }
            if rc == Z_BUF_ERROR && n == 0 && used == 0 {
                // No progress: the input is exhausted mid-stream.
                if consumed >= input.count { return (.inputExhausted, consumed) }
                throw InflateFailure(code: rc, message: Inflater.message(s, rc))
            }
        }
    }

    /// Resets the stream for the next entry.
    func reset() { inflateReset(stream) }
}

struct InflateFailure: Error {
    var code: Int32
    var message: String
}
