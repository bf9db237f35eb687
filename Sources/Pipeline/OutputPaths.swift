import Foundation
import SheetCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output files named after inputs or sheets: always inside the output folder.
///
/// ```swift
/// let path = try OutputPaths.file(in: "out", relative: item.relativeStem, extension: "xlsx")
/// try AtomicFile.write(to: path, inputs: [item.input]) { ... }
/// ```
public enum OutputPaths {
    /// `outDir/relative.ext`, every component of `relative` sanitised (`BatchInputs.sanitiseComponent`: no
    /// `..`, no absolute path, no control characters), the folders between created. Refuses (`.unsafe`) a
    /// folder on the way or a file at the end that is a symbolic link (it could point outside the folder), or
    /// a folder on the way that is a file.
    /// - Throws: `JixiaoError` `.unsafe`, `.io`.
    public static func file(in outDir: String, relative: String, extension ext: String) throws -> String {
        let root = standardized(outDir)
        // Components already sanitised (a batch stem with its `-2`) pass unchanged; the file name with its
        // extension stays within the 255 bytes file systems allow.
        let safeExt = ext.isEmpty ? "" : "." + BatchInputs.sanitiseComponent(ext, maxBytes: 16)
        var parts = relative.split(separator: "/").map { BatchInputs.sanitiseComponent(String($0), maxBytes: 255 - safeExt.utf8.count) }
        if parts.isEmpty { parts = ["_"] }
        parts[parts.count - 1] += safeExt
        var path = root
        for (i, part) in parts.enumerated() {
            path += "/" + part
            var st = stat()
            let exists = lstat(path, &st) == 0
            let last = i == parts.count - 1
            if exists && (st.st_mode & S_IFMT) == S_IFLNK {
                throw JixiaoError(.unsafe, "the output path is a symbolic link; refusing to write through it / 输出路径是符号链接",
                                  at: Location(file: path))
            }
            if last { break }
            if exists {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw JixiaoError(.io, "a file is in the way of the output folder / 输出目录被同名文件占用", at: Location(file: path))
                }
            } else if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw JixiaoError(.io, "cannot create the output folder / 无法创建输出目录", at: Location(file: path),
                                  underlying: String(cString: strerror(errno)))
            }
        }
        precondition(path.hasPrefix(root + "/"), "output path escaped its folder")
        return path
    }

    /// `URL(fileURLWithPath: dir).standardizedFileURL.path`, without the `getcwd` and `stat` that the URL costs
    /// when `dir` is already an absolute path with no `.`, `..` or empty components (the batch passes one, per
    /// file).
    static func standardized(_ dir: String) -> String {
        if isStandardAbsolute(dir) { return dir }
        return URL(fileURLWithPath: dir).standardizedFileURL.path
    }

    /// Whether `dir` is an absolute path, longer than `/`, without a trailing slash and with no empty, `.` or `..`
    /// component (one pass over the bytes: the batch asks for every file).
    static func isStandardAbsolute(_ dir: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let u = dir.utf8
        guard u.count > 1, u.first == slash, u.last != slash else { return false }
        // Bytes of the current component so far, and whether they are all dots.
        var length = 0
        var dots = true
        for b in u.dropFirst() {
            if b == slash {
                if length == 0 || (dots && length <= 2) { return false }
                length = 0
                dots = true
            } else {
                length += 1
                if b != dot { dots = false }
            }
        }
        return !(dots && length <= 2)
    }
}
