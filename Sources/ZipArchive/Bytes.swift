#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// The archive's bytes, owned, at a stable address for the reader's lifetime (so that inflate can read
/// straight from it without copying an entry).
final class ZipStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int

    init(count: Int) {
        self.count = count
        self.base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    }

    convenience init(copying bytes: [UInt8]) {
        self.init(count: bytes.count)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { base.copyMemory(from: s, byteCount: src.count) }
        }
    }

    /// Reads a whole file with POSIX `open`/`read` (not mmap: a file truncated by another process while
    /// mapped would kill us with SIGBUS).
    convenience init(path: String, displayName: String) throws {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw ZipStorage.ioError(errno, "cannot open file / 无法打开文件", displayName) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw ZipStorage.ioError(errno, "cannot stat file", displayName) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw JixiaoError(.io, "is a directory, not a file / 这是一个文件夹", at: Location(file: displayName))
        }
        let size = Int(st.st_size)
        self.init(count: size)
        var done = 0
        while done < size {
            let n = read(fd, base + done, min(size - done, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw ZipStorage.ioError(errno, "cannot read file / 无法读取文件", displayName)
            }
            if n == 0 { break }  // the file shrank meanwhile
            done += n
        }
        if done < size {
            throw JixiaoError(.io, "the file changed while it was being read (\(done) of \(size) bytes)",
                              at: Location(file: displayName))
        }
    }

    deinit { base.deallocate() }

    static func ioError(_ code: Int32, _ what: String, _ file: String) -> JixiaoError {
        JixiaoError(.io, what, at: Location(file: file), underlying: String(cString: strerror(code)))
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// True when `[offset, offset + length)` lies inside the storage (no overflow possible).
    @inline(__always)
    func has(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= count && length <= count - offset
    }

    @inline(__always) func u8(_ o: Int) -> UInt8 { base.load(fromByteOffset: o, as: UInt8.self) }
    @inline(__always) func u16(_ o: Int) -> UInt16 { UInt16(u8(o)) | UInt16(u8(o + 1)) << 8 }
    @inline(__always) func u32(_ o: Int) -> UInt32 { UInt32(u16(o)) | UInt32(u16(o + 2)) << 16 }
    @inline(__always) func u64(_ o: Int) -> UInt64 { UInt64(u32(o)) | UInt64(u32(o + 4)) << 32 }

    /// True when the four bytes at `o` are `P K a b`.
    @inline(__always)
    func isSignature(_ o: Int, _ a: UInt8, _ b: UInt8) -> Bool {
        has(o, 4) && u8(o) == 0x50 && u8(o + 1) == 0x4B && u8(o + 2) == a && u8(o + 3) == b
    }

    /// The first offset `>= from` of the signature `P K a b`, or nil.
    func find(_ a: UInt8, _ b: UInt8, from: Int) -> Int? {
        guard from >= 0, count >= 4 else { return nil }
        var o = from
        while o <= count - 4 {
            guard let p = memchr(base + o, 0x50, count - 3 - o) else { return nil }
            let q = base.distance(to: UnsafeMutableRawPointer(mutating: p))
            if u8(q + 1) == 0x4B && u8(q + 2) == a && u8(q + 3) == b { return q }
            o = q + 1
        }
        return nil
    }

    func array(_ offset: Int, _ length: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: base + offset, count: length))
    }

    func slice(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + offset, count: length)
    }
}

/// Checked conversion of a 64-bit file quantity to `Int`.
@inline(__always)
func intOrNil(_ v: UInt64) -> Int? { v <= UInt64(Int.max) ? Int(v) : nil }

/// `a + b` or nil on overflow.
@inline(__always)
func add(_ a: Int, _ b: Int) -> Int? {
    let (r, o) = a.addingReportingOverflow(b)
    return o ? nil : r
}
