import Foundation

/// A small wrapper over `NSRegularExpression` for the recogniser's phrase tables (ICU syntax, lookbehind
/// allowed). Patterns are compiled once, as statics.
struct Rx: @unchecked Sendable {
    let re: NSRegularExpression

    init(_ pattern: String) {
        // The patterns are constants of this module: a bad one is a programming error caught by the tests.
        re = try! NSRegularExpression(pattern: pattern, options: [])
    }

    struct Match {
        /// Range in UTF-16 offsets of the whole match.
        var range: NSRange
        /// Whole match and capture groups (nil when a group did not take part).
        var groups: [String?]
        subscript(_ i: Int) -> String? { i < groups.count ? groups[i] : nil }
        func double(_ i: Int) -> Double? { self[i].flatMap { Double($0) } }
    }

    func matches(_ s: String) -> [Match] {
        let ns = s as NSString
        return re.matches(in: s, options: [], range: NSRange(location: 0, length: ns.length)).map { m in
            var g: [String?] = []
            for i in 0..<m.numberOfRanges {
                let r = m.range(at: i)
                g.append(r.location == NSNotFound ? nil : ns.substring(with: r))
            }
            return Match(range: m.range, groups: g)
        }
    }

    func first(_ s: String) -> Match? { matches(s).first }

    func test(_ s: String) -> Bool {
        re.firstMatch(in: s, options: [], range: NSRange(location: 0, length: (s as NSString).length)) != nil
    }

    func replace(_ s: String, _ template: String) -> String {
        re.stringByReplacingMatches(in: s, options: [], range: NSRange(location: 0, length: (s as NSString).length),
                                    withTemplate: template)
    }
}

extension String {
    /// Substring by UTF-16 offsets (NSRange), for the regex helpers.
    func utf16Slice(_ from: Int, _ to: Int) -> String {
        let ns = self as NSString
        let a = Swift.max(0, Swift.min(from, ns.length)), b = Swift.max(a, Swift.min(to, ns.length))
        return ns.substring(with: NSRange(location: a, length: b - a))
    }
}
