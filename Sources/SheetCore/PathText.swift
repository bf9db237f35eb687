import Foundation

/// `NSString`'s `lastPathComponent` and `pathExtension` for the usual file path, without bridging to
/// `NSString` (some 30,000 instructions a call on Linux, several calls per file of a batch). Anything unusual
/// (a trailing `/`, a name that starts with its only dot, an extension that is not plain ASCII letters and
/// digits) goes to `NSString`, so the answers are always `NSString`'s.
public enum PathText {
    public static func lastPathComponent(_ path: String) -> String {
        let u = path.utf8
        guard let last = u.last, last != UInt8(ascii: "/") else { return (path as NSString).lastPathComponent }
        guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[u.index(after: slash)...])
    }

    public static func pathExtension(_ path: String) -> String {
        let u = path.utf8
        guard let last = u.last, last != UInt8(ascii: "/") else { return (path as NSString).pathExtension }
        let start = u.lastIndex(of: UInt8(ascii: "/")).map { u.index(after: $0) } ?? u.startIndex
        guard let dot = u[start...].lastIndex(of: UInt8(ascii: ".")) else { return "" }
        let ext = u[u.index(after: dot)...]
        guard dot != start, !ext.isEmpty, ext.count <= 16,
              ext.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }) else {
            return (path as NSString).pathExtension
        }
        return String(path[u.index(after: dot)...])
    }

    /// `(deletingLastPathComponent, lastPathComponent)`, without bridging when the path has a `/` that is not
    /// its last character and no doubled or trailing `/`. A path without any `/` (`out.xlsx`, `s`) or with
    /// trailing ones (`a/`) is split here too: `NSString.deletingLastPathComponent` traps (SIGILL) on a
    /// one-character name such as `s` or `东` in swift-corelibs-foundation 6.x.
    public static func split(_ path: String) -> (dir: String, base: String) {
        let u = path.utf8
        let slash = UInt8(ascii: "/")
        if let last = u.last, last != slash, let i = u.lastIndex(of: slash), i != u.startIndex,
           u[u.index(before: i)] != slash {
            return (String(path[..<i]), String(path[u.index(after: i)...]))
        }
        var end = u.endIndex
        while end > u.startIndex, u[u.index(before: end)] == slash { end = u.index(before: end) }
        if end == u.startIndex { return path.isEmpty ? ("", "") : ("/", "/") }
        guard let i = u[..<end].lastIndex(of: slash) else { return ("", String(path[..<end])) }
        if path[..<end].contains("//") || i == u.startIndex {
            // Doubled slashes inside and `/name`: NSString's answers (it collapses them); not a one-character
            // single component, so it does not trap.
            return ((path as NSString).deletingLastPathComponent, (path as NSString).lastPathComponent)
        }
        return (String(path[..<i]), String(path[u.index(after: i)..<end]))
    }
}
