import Foundation

/// `NSString`'s `lastPathComponent` and `pathExtension` for the usual file path, without bridging to
/// `NSString` (some 30,000 instructions a call on Linux, several calls per file of a batch). Anything unusual
/// (a trailing `/`, a name that starts with its only dot, an extension that is not plain ASCII letters and
/// digits) goes to `NSString`, so the answers are always `NSString`'s.
enum PathText {
    static func lastPathComponent(_ path: String) -> String {
        let u = path.utf8
        guard let last = u.last, last != UInt8(ascii: "/") else { return (path as NSString).lastPathComponent }
        guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[u.index(after: slash)...])
    }

    static func pathExtension(_ path: String) -> String {
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
}
