#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small thread-safe memo table for pure functions of text that are costly (regular expressions, Unicode
/// folding) and see the same inputs again and again: a batch of department workbooks made from one template
/// repeats its 评分标准 and header texts in every file.
///
/// Bounded: when it holds `capacity` entries it is emptied and starts again (cheap, and a batch's working set is
/// small). Values must not depend on anything but the key.
public final class MemoCache<Key: Hashable, Value>: @unchecked Sendable {
    // Usable from inlinable code so that `value` is specialised in the calling module (a generic call across
    // modules hashes and compares through witness tables: several times the cost of the lookup itself).
    // Only touched under the mutex: no dynamic exclusivity checks needed.
    @exclusivity(unchecked) @usableFromInline var table: [Key: Value] = [:]
    @exclusivity(unchecked) @usableFromInline var mutex = pthread_mutex_t()
    @usableFromInline let capacity: Int

    public init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The value for `key`: the remembered one, or `make(key)` (computed outside the lock, then remembered).
    @inlinable
    public func value(_ key: Key, _ make: (Key) -> Value) -> Value {
        pthread_mutex_lock(&mutex)
        if let v = table[key] {
            pthread_mutex_unlock(&mutex)
            return v
        }
        pthread_mutex_unlock(&mutex)
        let v = make(key)
        pthread_mutex_lock(&mutex)
        if table.count >= capacity { table.removeAll(keepingCapacity: true) }
        table[key] = v
        pthread_mutex_unlock(&mutex)
        return v
    }

    /// The number of remembered entries (tests).
    public var count: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return table.count
    }
}

/// A String compared and hashed by its UTF-8 bytes, for memo keys: `String`'s own hashing normalises non-ASCII
/// text (NFC) on every call, which costs more than many of the functions worth memoising. Byte equality is
/// stricter than `String` equality (canonically equivalent spellings are different keys), which only costs a
/// miss.
public struct TextKey: Hashable, @unchecked Sendable {
    public let text: String

    @inlinable
    public init(_ text: String) { self.text = text }

    @inlinable
    public static func == (a: TextKey, b: TextKey) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in y.withUTF8 { q in
            p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
        } }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
