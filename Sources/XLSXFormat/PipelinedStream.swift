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

        do {
            while true {
                pipe.cond.lock()
                while pipe.queue.isEmpty && !pipe.producerDone { pipe.cond.wait() }
                if pipe.queue.isEmpty {
                    pipe.cond.unlock()
                    break
                }
                let buffer = pipe.queue.removeFirst()
                pipe.cond.broadcast()
                pipe.cond.unlock()
                try buffer.withUnsafeBytes { try body($0) }
                pipe.cond.lock()
                pipe.spare.append(buffer)
                pipe.cond.unlock()
            }
        } catch {
            pipe.cond.lock()
            pipe.cancelled = true
            pipe.cond.broadcast()
            pipe.cond.unlock()
            pipe.finished.wait()
            throw error
        }
        pipe.finished.wait()
        if let error = pipe.error { throw error }
    }
}
