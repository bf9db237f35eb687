import Foundation
import SheetCore
import TestSupport
import Testing
@testable import Pipeline

@Suite struct LoaderTests {
    @Test func detectionByMagicThenExtension() throws {
        #expect(try InputFormat.detect(head: Array("PK\u{3}\u{4}".utf8), path: "a.bin") == .xlsx)
        #expect(try InputFormat.detect(head: Array("a,b".utf8), path: "a.CSV") == .csv)
        #expect(try InputFormat.detect(head: Array("a\tb".utf8), path: "a.tsv") == .csv)
        #expect(try InputFormat.detect(head: Array("MZ..".utf8), path: "stub.xlsx") == .xlsx)
        #expect { try InputFormat.detect(head: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], path: "a.xlsx") } throws: {
            ($0 as? JixiaoError)?.kind == .encrypted
        }
        #expect { try InputFormat.detect(head: [], path: "a.xlsx") } throws: { ($0 as? JixiaoError)?.kind == .notAWorkbook }
        #expect { try InputFormat.detect(head: Array("PK".utf8), path: "dir/~$a.xlsx") } throws: {
            ($0 as? JixiaoError)?.kind == .notAWorkbook
        }
        #expect { try InputFormat.detect(head: Array("x".utf8), path: "a.docx") } throws: {
            ($0 as? JixiaoError)?.kind == .notAWorkbook
        }
    }

    @Test func loadsTheXLSXFixtures() throws {
        let wb = try loadWorkbook(path: Fixtures.url("xlsx/seed002_department_framework.xlsx").path)
        #expect(wb.sheets.count >= 1)
        #expect(wb.sheets[0][2, 1] == .string("A1部门目标（12分）"))
    }

    @Test func missingFileIsAnIOErrorNamingIt() {
        #expect { try loadWorkbook(path: "/nonexistent/x.xlsx") } throws: {
            ($0 as? JixiaoError)?.kind == .io && ($0 as? JixiaoError)?.location?.file == "/nonexistent/x.xlsx"
        }
    }
}

@Suite struct LockFileNameTests {
    /// The byte check agrees with Foundation's last path component on varied paths.
    @Test func agreesWithNSString() {
        var rng = SeededRNG(seed: 11)
        let pieces = ["~$", "~", "$", "a", "/", "表~$", "~$表.xlsx", ".", "x.xlsx", " "]
        for _ in 0..<3_000 {
            let n = Int.random(in: 0...5, using: &rng)
            var path = (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()
            // Foundation's lastPathComponent traps on some runs of slashes ("x.xlsx//// //"): compared without them.
            while path.contains("//") { path = path.replacingOccurrences(of: "//", with: "/") }
            #expect(isLockFileName(path) == (path as NSString).lastPathComponent.hasPrefix("~$"), "\(path)")
        }
        #expect(isLockFileName("x.xlsx//// //~$a.xlsx"))
        #expect(isLockFileName("dir/~$a.xlsx//"))
        #expect(!isLockFileName("~$dir/a.xlsx"))
    }
}
