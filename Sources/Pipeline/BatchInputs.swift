import Foundation
import SheetCore

/// One input of a batch: where it is, and where its output goes.
public struct BatchItem: Sendable, Hashable {
    /// Absolute path of the input file.
    public var input: String
    /// Path relative to the output folder, without extension, mirroring the input folders (`部门A/附件2`).
    public var relativeStem: String
    /// Path shown in the summary and logs: as given, or relative to the folder that was searched.
    public var displayPath: String

    public init(input: String, relativeStem: String, displayPath: String) {
        self.input = input
        self.relativeStem = relativeStem
        self.displayPath = displayPath
    }
}

/// Finds the batch's inputs: files, folders (searched recursively) and `@list.txt` files (one path a line,
/// `#` comments). Skips Excel lock files (`~$name.xlsx`) and hidden files and folders.
public enum BatchInputs {
    public static let extensions: Set<String> = ["xlsx", "xlsm", "csv"]

    ///
    /// - Parameter excluding: paths never taken from a folder search: the output folder (and everything in it)
    ///   and the summary file, so that `jixiao batch data --out data/scored` does not read its own outputs on
    ///   the next run.
    public static func collect(_ arguments: [String], cwd: String = FileManager.default.currentDirectoryPath,
                               excluding: [String] = []) throws -> [BatchItem] {
        try collectNoting(arguments, cwd: cwd, excluding: excluding).items
    }

    /// Spreadsheets in other formats that a folder search passes over (not inputs: jixiao reads .xlsx, .xlsm and
    /// .csv), so that the batch can say so instead of leaving them out silently.
    public static let otherSpreadsheetExtensions: Set<String> = ["xls", "xlsb", "et", "ods", "numbers", "wps"]

    /// `collect`, and the files in other spreadsheet formats found in the folders searched (as displayed).
    public static func collectNoting(_ arguments: [String], cwd: String = FileManager.default.currentDirectoryPath,
                                     excluding: [String] = []) throws -> (items: [BatchItem], passedOver: [String]) {
        var passedOver: [String] = []
        let excluded = Set(excluding.map { resolved($0.hasPrefix("/") ? $0 : cwd + "/" + $0) })
        var items: [BatchItem] = []
        var seen = Set<String>()
        func add(_ path: String, stem: String, display: String) {
            let abs = OutputPaths.standardized(path)  // URL's standardizedFileURL.path, without URL for a clean path
            guard seen.insert(abs).inserted else { return }
            items.append(BatchItem(input: abs, relativeStem: stem, displayPath: display))
        }
        // Every named path first (list files expanded), so that we know how many folders there are.
        var named: [(path: String, display: String, listed: Bool)] = []
        for arg in arguments {
            if arg.hasPrefix("@") {
                let listPath = String(arg.dropFirst())
                guard let text = readList(listPath) else {
                    throw JixiaoError(.usage, "cannot read the input list \(listPath)")
                }
                let base = URL(fileURLWithPath: listPath).deletingLastPathComponent().path
                for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    named.append((line.hasPrefix("/") ? line : base + "/" + line, line, true))
                }
            } else {
                named.append((arg.hasPrefix("/") ? arg : cwd + "/" + arg, arg, false))
            }
        }
        // One folder: DIR mirrors what is inside it. Several: each keeps its name (城区/…, 郊区/…), so that
        // the same department in two folders does not end up as 教育局 and 教育局-2.
        let folders = named.filter { n in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: n.path, isDirectory: &isDir) && isDir.boolValue
        }
        let keepFolderNames = Set(folders.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path }).count > 1
        for n in named {
            try collectOne(n.path, display: n.display, listed: n.listed, excluded: excluded, keepFolderName: keepFolderNames,
                           add: add, passOver: { passedOver.append($0) })
        }
        return (disambiguate(items), passedOver)
    }

    /// An input list's text: UTF-8 (with or without BOM) or UTF-16 with a BOM (Notepad's "Unicode").
    static func readList(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            return String(data: data, encoding: .utf16)
        }
        return String(data: data, encoding: .utf8)
    }

    /// The path with symbolic links and `..` resolved (as far as it exists).
    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// One named path: a folder's inputs, or the file itself. A listed file that is gone (a list made earlier, a
    /// file moved since) is still an input, which then fails alone; only a path given on the command line that is
    /// missing is a usage error.
    private static func collectOne(_ path: String, display: String, listed: Bool, excluded: Set<String>, keepFolderName: Bool,
                                   add: (String, String, String) -> Void, passOver: (String) -> Void) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || listed else {
            throw JixiaoError(.usage, "no such file or folder: \(display)")
        }
        if isDir.boolValue {
            let root = URL(fileURLWithPath: path).standardizedFileURL
            var found: [(String, String)] = []
            if excluded.contains(resolved(root.path)) { return }
            var other: [String] = []
            walk(root.path, relative: "", excluded: excluded, into: &found, other: &other)
            for rel in other.sorted() { passOver(display.hasSuffix("/") ? display + rel : display + "/" + rel) }
            for (abs, rel) in found.sorted(by: { $0.1 < $1.1 }) {
                var stem = sanitiseRelative(String(rel.dropLast(PathText.pathExtension(rel).count + 1)))
                if keepFolderName { stem = sanitiseComponent(root.lastPathComponent) + "/" + stem }
                let shown = display.hasSuffix("/") ? display + rel : display + "/" + rel
                add(abs, stem, shown)
            }
        } else {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let ext = URL(fileURLWithPath: path).pathExtension
            let stem = sanitiseComponent(ext.isEmpty ? name : String(name.dropLast(ext.count + 1)))
            add(path, stem, display)
        }
    }

    /// Paths as strings (`URL.appendingPathComponent` stats each name to see whether it is a folder).
    private static func walk(_ dir: String, relative: String, excluded: Set<String>, into found: inout [(String, String)],
                             other: inout [String]) {
        // The folder's real path, worked out once: an entry that is not a symbolic link has its real path
        // beside it (no per-file resolving of every component, which costs several `stat`s a file).
        let realDir = excluded.isEmpty ? dir : resolved(dir)
        for (name, kind) in entries(of: dir) {
            if name.hasPrefix(".") || name.hasPrefix("~$") { continue }
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var real: String { kind == .link ? resolved(path) : (realDir.hasSuffix("/") ? realDir + name : realDir + "/" + name) }
            switch kind {
            case .folder:
                if excluded.contains(real) { continue }
                walk(path, relative: rel, excluded: excluded, into: &found, other: &other)
            case .link, .file:
                // A link is followed to a file, never to a folder (loops, escaping the tree).
                let ext = PathText.pathExtension(name).lowercased()
                guard extensions.contains(ext) else {
                    if otherSpreadsheetExtensions.contains(ext) { other.append(rel) }
                    continue
                }
                if kind == .link {
                    var st = stat()
                    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
                }
                if !excluded.isEmpty && excluded.contains(real) { continue }
                found.append((path, rel))
            case .other:
                continue
            }
        }
    }

    enum EntryKind { case file, folder, link, other }

    /// A folder's entries by name (sorted as Strings), with their kind from `readdir` (`lstat` where the file
    /// system does not say); nil names and unreadable folders give nothing.
    static func entries(of dir: String) -> [(String, EntryKind)] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [(String, EntryKind)] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: &e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var kind: EntryKind
            switch Int32(e.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .folder
            case Int32(DT_LNK): kind = .link
            case Int32(DT_UNKNOWN):
                var st = stat()
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                guard lstat(path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFREG: kind = .file
                case S_IFDIR: kind = .folder
                case S_IFLNK: kind = .link
                default: kind = .other
                }
            default: kind = .other
            }
            out.append((name, kind))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Two inputs that would write the same output (`a.xlsx` and `a.csv`, or the same name from two folders
    /// given on the command line) get `-2`, `-3`… suffixes, in input order.
    static func disambiguate(_ items: [BatchItem]) -> [BatchItem] {
        var used: [String: Int] = [:]
        return items.map { item in
            var it = item
            let key = item.relativeStem.lowercased()
            if let n = used[key] {
                used[key] = n + 1
                it.relativeStem = item.relativeStem + "-\(n + 1)"
            } else {
                used[key] = 1
            }
            return it
        }
    }

    /// A name safe to use as one path component: no separators, no `..`, no control characters (C0, DEL, C1,
    /// line and paragraph separators, bidirectional overrides), not empty, at most 200 UTF-8 bytes (file
    /// systems allow 255 bytes: 200 Chinese characters would be 600).
    public static func sanitiseComponent(_ name: String) -> String {
        sanitiseComponent(name, maxBytes: maxComponentBytes)
    }

    /// `sanitiseComponent` with another length limit in UTF-8 bytes.
    public static func sanitiseComponent(_ name: String, maxBytes: Int) -> String {
        // Most names (every batch output, per file) are safe already: returned as they are, no new String.
        if !name.isEmpty, name.utf8.count <= maxBytes, name.utf8.first != UInt8(ascii: "."),
           !name.unicodeScalars.contains(where: isUnsafe) {
            return name
        }
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            scalars.append(isUnsafe(s) ? "_" : s)
        }
        var out = String(scalars)
        while out.hasPrefix(".") { out.removeFirst() }
        if out.isEmpty { out = "_" }
        if out.utf8.count > maxBytes {
            var cut = ""
            for c in out {
                if cut.utf8.count + c.utf8.count > maxBytes { break }
                cut.append(c)
            }
            out = cut.isEmpty ? "_" : cut
        }
        return out
    }

    /// Whether a scalar may not stay in a path component: control characters, line and paragraph separators,
    /// bidirectional overrides and isolates, the BOM, `/`, `\\` and `:`.
    @inline(__always)
    static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF
            || s == "/" || s == "\\" || s == ":"
    }

    /// Longest sanitised path component, in UTF-8 bytes (leaves room for `-2` and an extension).
    public static let maxComponentBytes = 200

    /// A relative path whose every component is sanitised: never absolute, never escapes the output folder.
    public static func sanitiseRelative(_ path: String) -> String {
        path.split(separator: "/").map { sanitiseComponent(String($0)) }.joined(separator: "/")
    }
}
