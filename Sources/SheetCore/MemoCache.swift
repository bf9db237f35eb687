#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small memo table for pure functions of text that are costly (regular expressions, Unicode folding) and see
/// the same inputs again and again: a batch of department workbooks made from one template repeats its 评分标准
/// and header texts in every file.
///
/// One table per thread: no lock, and no remembered value (Strings, arrays) whose reference count the batch's
/// workers would update from two cores at once (a shared table had them retain the same values, the counts'
/// cache lines moving between the cores on every lookup). Each worker fills its own table.
///
/// Bounded: when a table holds `capacity` entries it is emptied and starts again (cheap, and a batch's working
/// set is small). Values must not depend on anything but the key.
public final class MemoCache<Key: Hashable, Value>: @unchecked Sendable {
    /// One thread's entries.
    @usableFromInline final class Table {
        @usableFromInline var entries: [Key: Value] = [:]
        @usableFromInline init() {}
    }

    @usableFromInline let tables: PerThread<Table>
    @usableFromInline let capacity: Int

    public init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
        tables = PerThread { Table() }
    }

    /// The value for `key`: the remembered one, or `make(key)` (then remembered).
    @inlinable
    public func value(_ key: Key, _ make: (Key) -> Value) -> Value {
        let t = tables.value
        if let v = t.entries[key] { return v }
        let v = make(key)
        if t.entries.count >= capacity { t.entries.removeAll(keepingCapacity: true) }
        t.entries[key] = v
        return v
    }

    /// The number of entries the calling thread remembers (tests).
    public var count: Int { tables.value.entries.count }
}

/// A String compared and hashed by its UTF-8 bytes, for memo keys: `String`'s own hashing normalises non-ASCII
/// text (NFC) on every call, which costs more than many of the functions worth memoising. Byte equality is
/// stricter than `String` equality (canonically equivalent spellings are different keys), which only costs a
/// miss.
public struct TextKey: Hashable, @unchecked Sendable {
    public let text: String

    @inlinable
    public init(_ text: String) { self.text = text }

    /// Byte equality, on the strings' own storage (no copy); a string without contiguous UTF-8 is compared
    /// element by element.
    @inlinable
    public static func == (a: TextKey, b: TextKey) -> Bool {
        let answer = a.text.utf8.withContiguousStorageIfAvailable { p -> Bool? in
            b.text.utf8.withContiguousStorageIfAvailable { q in
                p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0)
            }
        } ?? nil
        return answer ?? a.text.utf8.elementsEqual(b.text.utf8)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
