import SheetCore
import Testing
import TestSupport
import ZipArchive
@testable import XLSXFormat

/// The package memo gives the parser's answer, reads each part once (as the parser alone does), and never
/// serves a package parsed from other bytes.
@Suite struct FillPackageMemoTests {
    /// Counts the reads of each part.
    final class CountingPackage: ZipReaderLike {
        var parts: [String: String]
        var reads: [String: Int] = [:]
        init(_ parts: [String: String]) { self.parts = parts }
        var entryNames: [String] { parts.keys.sorted() }
        func readPart(_ name: String) throws -> [UInt8]? {
            reads[name, default: 0] += 1
            let key = FillPackage.normalise(name)
            return parts.first { FillPackage.normalise($0.key) == key }.map { Array($0.value.utf8) }
        }
    }

    static func parts(workbook: String = FillPackageTests.workbook) -> [String: String] {
        ["[Content_Types].xml": FillPackageTests.contentTypes, "_rels/.rels": FillPackageTests.rootRels,
         "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": FillPackageTests.workbookRels,
         "xl/worksheets/sheet1.xml": "<worksheet/>", "xl/calcChain.xml": "<calcChain/>"]
    }

    static func summary(_ p: FillPackage) -> String {
        "\(p.sheets.map { "\($0.name)|\($0.sheetId)|\($0.relId)|\($0.part)|\($0.isWorksheet)" }) \(p.calcChain.map { "\($0.part)|\($0.relId)" } ?? "-") "
            + "\(p.stylesPart ?? "-") \(p.strict) \(p.workbookPart) \(p.workbookRelsPart) \(p.entryNames.sorted()) "
            + "\(p.workbook.count) \(p.workbookRels.count) \(p.contentTypes.count)"
    }

    @Test func memoAnswersAsTheParserAndReadsOnce() throws {
        let memo = FillPackageMemo()
        var rng = SeededRNG(seed: 0x3E30)
        let names = ["附件2", "图表", "S&amp;1", "表"]
        for round in 0..<40 {
            // A few templates, repeated, and now and then a variant that differs in one byte of a part.
            let name = names[Int.random(in: 0..<names.count, using: &rng)]
            let workbook = FillPackageTests.workbook.replacingOccurrences(of: "附件2", with: name)
            var parts = Self.parts(workbook: workbook)
            if round % 7 == 3 { parts["xl/_rels/workbook.xml.rels"] = FillPackageTests.workbookRels.replacingOccurrences(of: "rId9", with: "rId8") }
            if round % 11 == 5 { parts["extra.xml"] = "<x/>" }
            let fresh = try FillPackage(reader: CountingPackage(parts), file: "t.xlsx")
            let counting = CountingPackage(parts)
            let remembered = try memo.package(reader: counting, file: "t.xlsx")
            #expect(Self.summary(remembered) == Self.summary(fresh), "round \(round)")
            #expect(counting.reads.values.allSatisfy { $0 == 1 }, "round \(round): \(counting.reads)")
            #expect(Set(counting.reads.keys) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
        }
    }

    @Test func errorsAreTheParsers() throws {
        let memo = FillPackageMemo()
        _ = try memo.package(reader: CountingPackage(Self.parts()), file: "t.xlsx")
        var broken = Self.parts()
        broken["_rels/.rels"] = "<Relationships/>"
        #expect(throws: JixiaoError.self) { try memo.package(reader: CountingPackage(broken), file: "t.xlsx") }
        broken["[Content_Types].xml"] = nil
        #expect(throws: JixiaoError.self) { try memo.package(reader: CountingPackage(broken), file: "t.xlsx") }
    }

    /// A real archive, counting the parts read (inflated) through it.
    final class CountingZip: ZipReaderLike {
        let zip: ZipReader
        var reads = 0
        init(_ parts: [String: String], stored: Set<String> = []) throws {
            var w = ZipWriter()
            for (name, text) in parts.sorted(by: { $0.key < $1.key }) {
                try w.add(name, Array(text.utf8), compress: !stored.contains(name))
            }
            zip = try ZipReader(bytes: try w.finish(), name: "t.xlsx")
        }
        var entryNames: [String] { zip.entryNames }
        func readPart(_ name: String) throws -> [UInt8]? { reads += 1; return try zip.readPart(name) }
        func storedPart(_ name: String) throws -> StoredPart? { try zip.storedPart(name) }
        func countAsRead(_ name: String) throws { try zip.countAsRead(name) }
    }

    /// Parts stored exactly as before are recognised without being inflated, and counted as read; a part that
    /// differs in one byte, or is stored another way, is read (and the answer is the parser's).
    @Test func identicalEntriesAreRecognisedWithoutInflating() throws {
        let memo = FillPackageMemo()
        let first = try CountingZip(Self.parts())
        let parsed = try memo.package(reader: first, file: "t.xlsx")
        #expect(first.reads == 4)

        let again = try CountingZip(Self.parts())
        #expect(Self.summary(try memo.package(reader: again, file: "t.xlsx")) == Self.summary(parsed))
        #expect(again.reads == 0)
        #expect(again.zip.bytesRead == first.zip.bytesRead, "recognised parts count against the limits as read ones")

        var changed = Self.parts(workbook: FillPackageTests.workbook.replacingOccurrences(of: "附件2", with: "附件3"))
        changed["xl/worksheets/sheet1.xml"] = "<worksheet></worksheet>"
        let other = try CountingZip(changed)
        let fresh = try FillPackage(reader: CountingPackage(changed), file: "t.xlsx")
        #expect(Self.summary(try memo.package(reader: other, file: "t.xlsx")) == Self.summary(fresh))
        #expect(other.reads == 4)

        // The same bytes stored without compression: not the same entries, so read and compared byte for byte.
        let storedDifferently = try CountingZip(Self.parts(), stored: ["xl/workbook.xml"])
        #expect(Self.summary(try memo.package(reader: storedDifferently, file: "t.xlsx")) == Self.summary(parsed))
        #expect(storedDifferently.reads == 4)
    }
}
