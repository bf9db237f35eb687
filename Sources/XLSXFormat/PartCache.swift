#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore
import ZipArchive

/// What the reader made of small package parts (`.rels`, `workbook.xml`, `styles.xml`), shared by the
/// workbooks one process reads: a batch of workbooks from one writer or template repeats these parts byte for
/// byte, and recognising one costs a comparison of its compressed bytes instead of inflating and parsing it.
///
/// An entry is reused only for a ZIP entry with the same part name, method, CRC, sizes and compressed bytes
/// (compared in full, not trusted to the CRC), read under the same limits and for the same purpose: inflating
/// and parsing it again would give the same result. Only results of reads that succeeded are kept; the part's
/// size is still counted against `maxTotalSize` (`ZipReader.countAsRead`). Bounded: at most `capacity`
/// entries of at most `maxRawBytes` compressed bytes each (the oldest goes first).
final class PartCache: @unchecked Sendable {
    static let shared = PartCache()

    /// What a cached value is for (the same part parsed for two purposes gives two values).
    enum Purpose: UInt8 {
        case relationships, workbook, styles
    }

    struct Key: Hashable {
        var purpose: Purpose
        /// Anything else the parse depends on (the source part of a `.rels`).
        var context: String
        var part: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var limits: ReadLimits
    }

    private struct Entry {
        var raw: [UInt8]
        var value: Any
    }

    static let maxRawBytes = 64 << 10
    let capacity: Int
    @exclusivity(unchecked) private var table: [Key: Entry] = [:]
    @exclusivity(unchecked) private var order: [Key] = []
    @exclusivity(unchecked) private var mutex = pthread_mutex_t()

    init(capacity: Int = 32) {
        self.capacity = max(1, capacity)
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The cached value for `key` when its compressed bytes are `raw`.
    func value(_ key: Key, raw: UnsafeRawBufferPointer) -> Any? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard let e = table[key], e.raw.count == raw.count else { return nil }
        let same = e.raw.withUnsafeBytes { a in
            a.count == 0 || memcmp(a.baseAddress!, raw.baseAddress!, a.count) == 0
        }
        return same ? e.value : nil
    }

    /// Remembers `value` for `key` and the compressed bytes `raw` (ignored when they are too large).
    func store(_ key: Key, raw: UnsafeRawBufferPointer, value: Any) {
        guard raw.count <= PartCache.maxRawBytes else { return }
        let copy = [UInt8](raw)
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if table[key] == nil {
            if order.count >= capacity { table[order.removeFirst()] = nil }
            order.append(key)
        }
        table[key] = Entry(raw: copy, value: value)
    }

    /// The number of entries (tests).
    var count: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return table.count
    }

    /// Forgets everything (tests).
    func removeAll() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        table.removeAll()
        order.removeAll()
    }
}

extension PartSource {
    /// `parse` of the part's bytes (nil when there is no such part); for a ZIP archive, what `parse` gave for an
    /// identical entry before (see `PartCache`).
    func parsedPart<T>(_ part: String, purpose: PartCache.Purpose, context: String, limits: ReadLimits,
                       _ parse: ([UInt8]) throws -> T) throws -> T? {
        if let z = self as? ZipPartSource {
            return try z.cachedPart(part, purpose: purpose, context: context, limits: limits, parse)
        }
        guard let bytes = try read(part) else { return nil }
        return try parse(bytes)
    }
}

extension ZipPartSource {
    /// `parse` of the part's bytes, or what it gave for an identical entry before (see `PartCache`); nil when
    /// there is no such part.
    func cachedPart<T>(_ part: String, purpose: PartCache.Purpose, context: String, limits: ReadLimits,
                       cache: PartCache = .shared, _ parse: ([UInt8]) throws -> T) throws -> T? {
        guard let e = zip.entry(named: part) else { return nil }
        guard e.compressedSize <= UInt64(PartCache.maxRawBytes), e.method == 0 || e.method == 8, zip.limits == limits else {
            return try parse(zip.read(e))
        }
        let key = PartCache.Key(purpose: purpose, context: context, part: e.name, method: e.method, crc32: e.crc32,
                                compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize, limits: limits)
        if let v = try zip.withRawData(e, { cache.value(key, raw: $0) }) as? T {
            try zip.countAsRead(e)
            return v
        }
        let v = try parse(zip.read(e))
        try zip.withRawData(e) { cache.store(key, raw: $0, value: v) }
        return v
    }
}
