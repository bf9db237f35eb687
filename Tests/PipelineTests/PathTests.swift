import Foundation
import Testing
import SheetCore
@testable import Pipeline

@Suite struct BatchPathTests {
    /// The output folder standardized without URL where it is already clean: the same string URL gives.
    @Test func standardizedOutputFolderMatchesURL() {
        let cwd = FileManager.default.currentDirectoryPath
        for p in ["/tmp/out", "/tmp/a b/输出", "/tmp/x%20y", "/tmp/.hidden/out", "/tmp/a..b/c", "/tmp/./out", "/tmp/a/../out",
                  "/tmp//out", "/tmp/out/", "out", "./out", "../out", "/", "/tmp/...", "/tmp/..", "/tmp/."] {
            #expect(OutputPaths.standardized(p) == URL(fileURLWithPath: p).standardizedFileURL.path, "\(p) in \(cwd)")
        }
    }
}

@Suite struct PathTextTests {
    /// The NSString-free path pieces give NSString's answers.
    @Test func matchesNSString() {
        for p in ["/tmp/in/附件2.xlsx", "a.xlsx", "dir/file.CSV", "dir.d/file", "noext", "/tmp/.hidden", ".xlsx", "a.", "a.b.xlsx",
                  "dir/a.x y", "dir/~$lock.xlsx", "~$b.xlsx", "/a/b/", "dir//c.xlsm", "中文/表.名.xltx", "a/b.verylongextensionname1",
                  "x.tar.gz", "/", "a/.b.c", "dir/a..b"] {
            #expect(PathText.lastPathComponent(p) == (p as NSString).lastPathComponent, "\(p)")
            #expect(PathText.pathExtension(p) == (p as NSString).pathExtension, "\(p)")
        }
    }
}
