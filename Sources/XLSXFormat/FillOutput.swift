import Foundation
import SheetCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Safe output for fills: never over the input, never a half-written file.
public enum FillOutput {
    /// Throws `.io` when `output` names the same file as `source` (same path after resolving links, or
    /// the same device and inode, e.g. a hard link).
    public static func refuseSameFile(source: String, output: String) throws {
        let a = URL(fileURLWithPath: source).resolvingSymlinksInPath().standardizedFileURL.path
        let b = URL(fileURLWithPath: output).resolvingSymlinksInPath().standardizedFileURL.path
        var same = a == b
        var sa = stat(), sb = stat()
        if !same, stat(source, &sa) == 0, stat(output, &sb) == 0 {
            same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
        }
        if same {
            throw JixiaoError(.io, "refusing to overwrite the input \(source); choose another output / 输出文件不能覆盖输入文件",
                              at: Location(file: output))
        }
    }

    /// Writes a file through `body` into a temporary file beside `path` (same folder, so the rename is
    /// atomic), flushes it to disk, then renames it over `path`. On any error the temporary file is removed
    /// and `path` is untouched.
    /// - Throws: `.io` naming the path and the system's reason; whatever `body` throws.
    public static func writeAtomically(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw JixiaoError(.io, "the output folder does not exist", at: Location(file: dir))
        }
        let temp = dir + "/." + url.lastPathComponent + ".jixiao-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw JixiaoError(.io, "cannot create a file in the output folder", at: Location(file: path),
                              underlying: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        var ok = false
        defer {
            if !ok {
                close(fd)
                unlink(temp)
            }
        }
        do {
            try body(handle)
        } catch let e as JixiaoError {
            throw e.located(Location(file: path))
        } catch {
            throw JixiaoError(.io, "writing failed", at: Location(file: path), underlying: "\(error)")
        }
        guard fsync(fd) == 0 else {
            throw JixiaoError(.io, "cannot flush the output to disk", at: Location(file: path),
                              underlying: String(cString: strerror(errno)))
        }
        close(fd)
        ok = true
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw JixiaoError(.io, "cannot move the finished file into place", at: Location(file: path), underlying: reason)
        }
        // Make the rename itself durable (best effort).
        let dfd = open(dir, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
