#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One instance of `T` per thread, made on a thread's first use and released when the thread ends: the caches
/// that a batch's workers fill (`MemoCache`, the model's memo tables, the reader's cell-text cache) without a
/// lock, and without two cores retaining and releasing the same cached values.
public final class PerThread<T: AnyObject>: @unchecked Sendable {
    @usableFromInline let key: pthread_key_t
    @usableFromInline let make: () -> T

    public init(_ make: @escaping () -> T) {
        self.make = make
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { p in
            guard let p else { return }
            Unmanaged<AnyObject>.fromOpaque(p).release()
        }
        precondition(rc == 0, "PerThread: no thread-specific key left")
        self.key = key
    }

    deinit { pthread_key_delete(key) }

    /// The calling thread's instance.
    @inlinable
    public var value: T {
        if let p = pthread_getspecific(key) { return Unmanaged<T>.fromOpaque(p).takeUnretainedValue() }
        let v = make()
        pthread_setspecific(key, Unmanaged.passRetained(v).toOpaque())
        return v
    }
}
