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

    /// Names NSString traps on (one character, no folder): `jixiao score t.xlsx -o s` crashed.
    @Test func splitOneCharacterNames() {
        #expect(PathText.split("s") == ("", "s"))
        #expect(PathText.split("东") == ("", "东"))
        #expect(PathText.split("a/") == ("", "a"))
        #expect(PathText.split("ab//") == ("", "ab"))
        #expect(PathText.split("out/a/") == ("out", "a"))
        #expect(PathText.split("/") == ("/", "/"))
        #expect(PathText.split("") == ("", ""))
        for p in ["ab/", "out/ab/", "/ab/"] {
            let s = PathText.split(p)
            #expect(s.dir == (p as NSString).deletingLastPathComponent, "\(p)")
            #expect(s.base == (p as NSString).lastPathComponent, "\(p)")
        }
    }
}
