import Foundation
import XMLStream
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a part's producer (the rows of a sheet turned into XML) on a second thread while the calling thread
/// compresses what it produced, so that deflate (about 40% of the time of a large sheet) overlaps the rest.
///
/// The chunks go through a small bounded queue (4 × 256 KiB), in order; the bytes are the same as when written
/// on one thread. An error on either side stops both and is rethrown here (the producer's own error first).
enum ParallelPart {
    /// Calls `consume` with each chunk `produce` writes, on the calling thread; `produce` runs on another one.
    static func run(chunkSize: Int, produce: (XMLWriter) throws -> Void,
                    consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let queue = ChunkQueue(capacity: 4)
        try withoutActuallyEscaping(produce) { produce in
            let job = ProducerJob {
                let xml = XMLWriter(chunkSize: chunkSize) { try queue.push($0) }
                do {
                    try produce(xml)
                    try xml.flush()
                    queue.finish(nil)
                } catch {
                    queue.finish(error)
                }
            }
            var thread = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            let started = pthread_create(&thread, nil, { raw in
                #if canImport(Darwin)
                let job = Unmanaged<ProducerJob>.fromOpaque(raw).takeRetainedValue()
                #else
                let job = Unmanaged<ProducerJob>.fromOpaque(raw!).takeRetainedValue()
                #endif
                job.body()
                job.body = {}
                return nil
            }, context)
            if started != 0 {
                // No thread to be had: produce here, one chunk at a time.
                let job = Unmanaged<ProducerJob>.fromOpaque(context).takeRetainedValue()
                job.body = {}
                try withoutActuallyEscaping(consume) { consume in
                    let xml = XMLWriter(chunkSize: chunkSize) { bytes in try bytes.withUnsafeBytes { try consume($0) } }
                    try produce(xml)
                    try xml.flush()
                }
                return
            }
            var consumeError: Error?
            while let chunk = queue.pop() {
                guard consumeError == nil else { continue }
                do {
                    try chunk.withUnsafeBytes { try consume($0) }
                } catch {
                    consumeError = error
                    queue.cancel()
                }
            }
            pthread_join(thread, nil)
            if let e = queue.producerError, !(e is ChunkQueue.Cancelled) { throw e }
            if let e = consumeError { throw e }
        }
    }
}

/// The producer's closure, kept in a class so that it can cross into the thread and be released there.
private final class ProducerJob {
    var body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// A bounded FIFO of chunks between one producer and one consumer.
final class ChunkQueue: @unchecked Sendable {
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private let capacity: Int
    private var done = false
    private var cancelled = false
    private(set) var producerError: Error?

    init(capacity: Int) { self.capacity = capacity }

    /// Blocks while the queue is full; throws `Cancelled` once the consumer gave up.
    func push(_ chunk: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// The next chunk, or nil once the producer has finished and everything was taken.
    func pop() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while head == chunks.count && !done { condition.wait() }
        guard head < chunks.count else { return nil }
        let c = chunks[head]
        chunks[head] = []
        head += 1
        if head > 64 { chunks.removeFirst(head); head = 0 }
        condition.broadcast()
        return c
    }

    func finish(_ error: Error?) {
        condition.lock()
        done = true
        producerError = error
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
