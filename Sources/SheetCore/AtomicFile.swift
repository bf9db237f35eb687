import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an output file atomically: into a temporary file beside it (`.NAME.tmp-<pid>-<random>` in the same
/// directory, so the final rename never crosses file systems), flushed to disk with `fsync`, then renamed over
/// the target. A reader of the target sees the old file or the complete new one, never a half-written one; on
/// any error the temporary file is removed and the target is untouched.
///
/// It refuses to write over an input: the target is compared with each input by resolved path and by device
/// and inode (which also catches hard links).
///
/// ```swift
/// try AtomicFile.write(to: "out.xlsx", inputs: ["in.csv"]) { handle in
///     handle.write(Data(bytes))
/// }
/// ```
public enum AtomicFile {
    /// Flushes the file system holding `path` to disk (`syncfs`; `sync` where that is missing).
    public static func syncFileSystem(of path: String) {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            if jixiaoSyncfs(fd) != 0 { sync() }
            close(fd)
            return
        }
        #endif
        sync()
    }

    /// Writes the file through `body`, which receives an open handle on the temporary file.
    ///
    /// With `sync: false` the `fsync` of the file and of its folder is skipped (the temp+rename still makes the
    /// output all-or-nothing if the process is killed); the caller must then make its outputs durable at the end
    /// with ``syncFileSystem(of:)``. `jixiao batch` does this: one `syncfs` instead of two `fsync`s per output.
    ///
    /// `temporaryDirectory` puts the temporary file in another folder of the same file system instead of beside
    /// the output (the rename still makes it appear whole). Creating a file takes its folder's lock in the
    /// kernel, so workers that write into one output folder wait for each other; `jixiao batch` gives each
    /// worker a folder of its own and only the renames meet. When the folder turns out to be on another file
    /// system, the file is copied beside the output and renamed from there.
    ///
    /// - Throws: `JixiaoError.io` naming the output when it is an input, its directory is missing or not
    ///   writable, or writing, syncing or renaming fails; whatever `body` throws (the temporary file is removed).
    public static func write(to path: String, inputs: [String] = [], sync: Bool = true,
                             temporaryDirectory: String? = nil,
                             _ body: (FileHandle) throws -> Void) throws {
        // One lstat for the usual case of a new file: nothing to resolve, no input to overwrite, no mode to keep.
        var st = stat()
        let absent = lstat(path, &st) != 0 && errno == ENOENT
        let target = absent ? path : resolvedTarget(path)
        if !absent { try refuseInputs(output: target, display: path, inputs: inputs) }
        let (dir, base) = PathText.split(target)
        let tmpDir = temporaryDirectory ?? dir
        let tmp = (tmpDir.isEmpty ? "" : tmpDir + "/") + temporaryName(base)
        let mode = absent ? 0o644 : existingMode(target) ?? 0o644
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw JixiaoError(.io, "cannot create the output file / 无法创建输出文件", at: Location(file: path),
                              underlying: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        var done = false
        defer {
            if !done {
                close(fd)
                unlink(tmp)
            }
        }
        try body(handle)
        let durable = sync
        guard !durable || fsync(fd) == 0 else {
            throw JixiaoError(.io, "cannot write the output file to disk / 写入输出文件失败", at: Location(file: path),
                              underlying: String(cString: strerror(errno)))
        }
        if mode != 0o644 { fchmod(fd, mode) }
        guard close(fd) == 0 else {
            done = true
            unlink(tmp)
            throw JixiaoError(.io, "cannot close the output file / 无法关闭输出文件", at: Location(file: path),
                              underlying: String(cString: strerror(errno)))
        }
        done = true
        if rename(tmp, target) != 0 {
            var err = errno
            if err == EXDEV, temporaryDirectory != nil {
                // The temporary folder is on another file system: copy the file beside the output, rename that.
                let beside = (dir.isEmpty ? "" : dir + "/") + temporaryName(base)
                if copyFile(tmp, to: beside, mode: mode, sync: durable), rename(beside, target) == 0 {
                    unlink(tmp)
                    err = 0
                } else {
                    err = errno
                    unlink(beside)
                }
            }
            if err != 0 {
                unlink(tmp)
                throw JixiaoError(.io, "cannot move the output file into place / 无法保存输出文件", at: Location(file: path),
                                  underlying: String(cString: strerror(err)))
            }
        }
        // Make the rename itself durable.
        guard durable else { return }
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// `.NAME.tmp-<pid>-<random>`: hidden, and recognisable as a temporary of a given process (see
    /// `BatchRunner.removeStaleTemporaries`).
    static func temporaryName(_ base: String) -> String {
        ".\(base).tmp-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// Copies a file into a new file (`O_EXCL`); false on any error (errno tells which).
    static func copyFile(_ from: String, to: String, mode: mode_t, sync: Bool) -> Bool {
        let src = open(from, O_RDONLY | O_CLOEXEC)
        guard src >= 0 else { return false }
        defer { close(src) }
        let dst = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard dst >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var ok = true
        while ok {
            let n = buffer.withUnsafeMutableBytes { read(src, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ok = n == 0; break }
            ok = buffer.withUnsafeBytes { writeFully(dst, UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
        if ok && sync && fsync(dst) != 0 { ok = false }
        let saved = errno
        if close(dst) != 0 { ok = false } else { errno = saved }
        return ok
    }

    /// Writes bytes atomically (see ``write(to:inputs:_:)``).
    public static func write(_ bytes: [UInt8], to path: String, inputs: [String] = [], sync: Bool = true,
                             temporaryDirectory: String? = nil) throws {
        try write(to: path, inputs: inputs, sync: sync, temporaryDirectory: temporaryDirectory) { handle in
            try writeAll(bytes, to: handle, display: path)
        }
    }

    /// Writes all bytes to a handle, retrying short writes.
    ///
    /// - Throws: `JixiaoError.io` (e.g. the disk is full).
    public static func writeAll(_ bytes: [UInt8], to handle: FileHandle, display: String) throws {
        let fd = handle.fileDescriptor
        guard bytes.withUnsafeBytes({ writeFully(fd, $0) }) else {
            throw JixiaoError(.io, "cannot write the output file / 写入输出文件失败", at: Location(file: display),
                              underlying: String(cString: strerror(errno)))
        }
    }

    /// Writes every byte, retrying short and interrupted writes; false (with `errno` set) on an error.
    public static func writeFully(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < raw.count {
            let n = sysWrite(fd, raw.baseAddress! + off, raw.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }

    /// Throws when `output` is one of `inputs` (same resolved path, or same device and inode).
    ///
    /// - Throws: `JixiaoError.io` "refusing to overwrite the input".
    public static func refuseInputs(output: String, display: String? = nil, inputs: [String]) throws {
        if inputs.isEmpty { return }
        // Nothing at the output path (not even a dangling link): writing it cannot overwrite an input that exists.
        // Saves resolving both paths (a readlink per path component) for every new file of a batch.
        var st = stat()
        if lstat(output, &st) != 0 && errno == ENOENT { return }
        let outReal = realPath(output)
        let outID = fileID(output)
        for input in inputs {
            let same = (outReal != nil && outReal == realPath(input)) || (outID != nil && outID == fileID(input))
            if same {
                throw JixiaoError(.io, "refusing to overwrite the input \(input); choose another output / 输出文件不能覆盖输入文件",
                                  at: Location(file: display ?? output))
            }
        }
    }

    /// The path to write: a symbolic link is followed so that the link keeps pointing at the new file.
    static func resolvedTarget(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK, let real = realPath(path) else { return path }
        return real
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else {
            // The file does not exist yet: resolve its directory.
            let (dir, base) = PathText.split(path)
            guard let d = realpath(dir.isEmpty ? "." : dir, nil) else { return nil }
            defer { free(d) }
            return String(cString: d) + "/" + base
        }
        defer { free(p) }
        return String(cString: p)
    }

    static func fileID(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }

    static func existingMode(_ path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return st.st_mode & 0o7777
    }
}

/// `write(2)` (the name is taken by the methods above).
@inline(__always)
private func sysWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buf, n)
    #else
    return Darwin.write(fd, buf, n)
    #endif
}

#if os(Linux)
/// glibc's `syncfs(2)` (declared only under _GNU_SOURCE, so not in the Glibc module).
@_silgen_name("syncfs")
private func jixiaoSyncfs(_ fd: Int32) -> Int32
#endif
