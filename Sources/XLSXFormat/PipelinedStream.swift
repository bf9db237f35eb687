import Foundation
import ZipArchive

/// Streams a large ZIP entry with inflate on a second thread: the producer inflates the next chunks while the
/// caller parses the current one. Chunks arrive in order, errors of either side arrive as they would have
/// without the thread (the caller's chunks first, then the producer's error), and the producer is always
/// finished before `run` returns, so nothing outlives the call.
///
/// Memory: at most `depth` chunks of `chunkSize` bytes in flight (4 × 256 KiB).
enum PipelinedStream {
    /// Entries at least this large (uncompressed) are worth a thread.
    static let threshold: UInt64 = 4 << 20
    static let chunkSize = 256 << 10
    static let depth = 4

    /// Whether an entry is big and compressed enough to be worth the thread (and there is a second core).
    static func worthIt(_ entry: ZipEntry, threshold: UInt64 = threshold) -> Bool {
        entry.method != 0 && entry.uncompressedSize >= threshold && ProcessInfo.processInfo.activeProcessorCount > 1
    }

    private struct Cancelled: Error {}

    private final class Pipe: @unchecked Sendable {
        let cond = NSCondition()
        var queue: [[UInt8]] = []
        var spare: [[UInt8]] = []
        var producerDone = false
        var cancelled = false
        var error: Error?
        let finished = DispatchSemaphore(value: 0)
    }

    /// Streams `entry` of `zip` into `body` (see the type's description).
    static func run(_ zip: ZipReader, _ entry: ZipEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try pull(zip, entry) { read in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = try read(buffer)
                if n == 0 { break }
                try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
        }
    }

    /// Inflates `entry` on a second thread and hands `consume` a reader: each call fills the buffer it is given
    /// with the next bytes and returns their count, 0 at the end, and throws the producer's error (after the
    /// bytes inflated before it). For pull parsers (libxml2's I/O mode).
    static func pull(_ zip: ZipReader, _ entry: ZipEntry,
                     _ consume: (_ read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Void) throws {
        let pipe = Pipe()
        let producer = Thread {
            do {
                try zip.stream(entry, chunkSize: chunkSize) { chunk in
                    pipe.cond.lock()
                    while pipe.queue.count >= depth && !pipe.cancelled { pipe.cond.wait() }
                    if pipe.cancelled {
                        pipe.cond.unlock()
                        throw Cancelled()
                    }
                    var buffer = pipe.spare.popLast() ?? []
                    pipe.cond.unlock()
                    buffer.removeAll(keepingCapacity: true)
                    buffer.append(contentsOf: chunk.bindMemory(to: UInt8.self))
                    pipe.cond.lock()
                    pipe.queue.append(buffer)
                    pipe.cond.broadcast()
                    pipe.cond.unlock()
                }
            } catch is Cancelled {
            } catch {
                pipe.cond.lock()
                pipe.error = error
                pipe.cond.unlock()
            }
            pipe.cond.lock()
            pipe.producerDone = true
            pipe.cond.broadcast()
            pipe.cond.unlock()
            pipe.finished.signal()
        }
        producer.stackSize = 1 << 20
        producer.start()

        var current: [UInt8] = []
        var offset = 0
        var ended = false
        func read(_ into: UnsafeMutableRawBufferPointer) throws -> Int {
            while offset == current.count {
                if ended { return 0 }
                pipe.cond.lock()
                if !current.isEmpty || current.capacity > 0 { pipe.spare.append(current) }
                current = []
                offset = 0
                while pipe.queue.isEmpty && !pipe.producerDone { pipe.cond.wait() }
                if pipe.queue.isEmpty {
                    ended = true
                    let error = pipe.error
                    pipe.cond.unlock()
                    if let error { throw error }
                    return 0
                }
                current = pipe.queue.removeFirst()
                pipe.cond.broadcast()
                pipe.cond.unlock()
            }
            let n = min(into.count, current.count - offset)
            current.withUnsafeBytes { src in
                into.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
            }
            offset += n
            return n
        }

        do {
            try consume(read)
        } catch {
            pipe.cond.lock()
            pipe.cancelled = true
            pipe.cond.broadcast()
            pipe.cond.unlock()
            pipe.finished.wait()
            throw error
        }
        // The consumer may stop before the end (XMLStop): release the producer either way.
        pipe.cond.lock()
        pipe.cancelled = true
        pipe.cond.broadcast()
        pipe.cond.unlock()
        pipe.finished.wait()
        if !ended, let error = pipe.error { throw error }
    }
}
