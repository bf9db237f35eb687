import Foundation
import Testing
@testable import SheetCore

@Suite struct AtomicFileSplitTests {
    /// `PathText.split` gives NSString's folder and name for every shape of path.
    @Test func splitMatchesNSString() {
        for p in ["/tmp/out/a.xlsx", "a.xlsx", "out/a.xlsx", "/a.xlsx", "out//a.xlsx", "./a", "../x/y",
                  "/tmp/目录/文件.xlsx", "/tmp/.a.xlsx", "/tmp/./a"] {
            let s = PathText.split(p)
            #expect(s.dir == (p as NSString).deletingLastPathComponent, "\(p)")
            #expect(s.base == (p as NSString).lastPathComponent, "\(p)")
        }
    }
}
