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

    public static func collect(_ arguments: [String], cwd: String = FileManager.default.currentDirectoryPath) throws -> [BatchItem] {
        var items: [BatchItem] = []
        var seen = Set<String>()
        func add(_ path: String, stem: String, display: String) {
            let abs = URL(fileURLWithPath: path).standardizedFileURL.path
            guard seen.insert(abs).inserted else { return }
            items.append(BatchItem(input: abs, relativeStem: stem, displayPath: display))
        }
        for arg in arguments {
            if arg.hasPrefix("@") {
                let listPath = String(arg.dropFirst())
                guard let text = try? String(contentsOfFile: listPath, encoding: .utf8) else {
                    throw JixiaoError(.usage, "cannot read the input list \(listPath)")
                }
                let base = URL(fileURLWithPath: listPath).deletingLastPathComponent().path
                for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    let p = line.hasPrefix("/") ? line : base + "/" + line
                    try collectOne(p, display: line, add: add)
                }
            } else {
                try collectOne(arg.hasPrefix("/") ? arg : cwd + "/" + arg, display: arg, add: add)
            }
        }
        return disambiguate(items)
    }

    private static func collectOne(_ path: String, display: String, add: (String, String, String) -> Void) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw JixiaoError(.usage, "no such file or folder: \(display)")
        }
        if isDir.boolValue {
            let root = URL(fileURLWithPath: path).standardizedFileURL
            var found: [(String, String)] = []
            walk(root, relative: "", into: &found)
            for (abs, rel) in found.sorted(by: { $0.1 < $1.1 }) {
                let stem = sanitiseRelative(String(rel.dropLast(URL(fileURLWithPath: rel).pathExtension.count + 1)))
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

    private static func walk(_ dir: URL, relative: String, into found: inout [(String, String)]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names.sorted() {
            if name.hasPrefix(".") || name.hasPrefix("~$") { continue }
            let url = dir.appendingPathComponent(name)
            let rel = relative.isEmpty ? name : relative + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                // Do not follow symbolic links to folders (loops, escaping the tree).
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil { continue }
                walk(url, relative: rel, into: &found)
            } else if extensions.contains(url.pathExtension.lowercased()) {
                found.append((url.path, rel))
            }
        }
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
        var scalars = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            let v = s.value
            let unsafe = v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF
                || s == "/" || s == "\\" || s == ":"
            scalars.append(unsafe ? "_" : s)
        }
        var out = String(scalars)
        while out.hasPrefix(".") { out.removeFirst() }
        if out.isEmpty { out = "_" }
        if out.utf8.count > maxComponentBytes {
            var cut = ""
            for c in out {
                if cut.utf8.count + c.utf8.count > maxComponentBytes { break }
                cut.append(c)
            }
            out = cut.isEmpty ? "_" : cut
        }
        return out
    }

    /// Longest sanitised path component, in UTF-8 bytes (leaves room for `-2` and an extension).
    public static let maxComponentBytes = 200

    /// A relative path whose every component is sanitised: never absolute, never escapes the output folder.
    public static func sanitiseRelative(_ path: String) -> String {
        path.split(separator: "/").map { sanitiseComponent(String($0)) }.joined(separator: "/")
    }
}
