import Foundation
import SheetCore
import Testing
import TestSupport
@testable import XLSXFormat

/// The reader's fast paths give what the general paths give.
@Suite struct ReaderFastPathTests {
    /// Random relationship targets and source parts: the byte resolver (when it applies) equals the general one.
    @Test func resolveASCIIMatchesGeneral() {
        var rng = SeededRNG(seed: 7)
        let pieces = ["xl", "worksheets", "sheet1.xml", ".", "..", "", "a b", "A.XML", "_rels", "x%20y", "#frag",
                      "a\\b", "表", "e\u{301}", "...", ".x", "x.", "/"]
        var fast = 0
        for _ in 0..<5_000 {
            func path() -> String {
                let n = Int.random(in: 0...5, using: &rng)
                var s = (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: "/")
                if Bool.random(using: &rng) { s = "/" + s }
                if Int.random(in: 0..<4, using: &rng) == 0 { s += "/" }
                return s
            }
            let target = path(), source = path()
            let general = Relationships.resolveGeneral(target, from: source)
            if let f = Relationships.resolveASCII(target, from: source) {
                fast += 1
                #expect(f == general, "target \(target) from \(source)")
            }
            #expect(Relationships.resolve(target, from: source) == general)
        }
        #expect(fast > 1_000)
    }

    /// Part names: the byte paths of relsPart and folder equal the Character ones.
    @Test func relsPartAndFolderMatchGeneral() {
        var rng = SeededRNG(seed: 8)
        let pieces = ["xl", "/", "workbook.xml", "_rels", "a", "", ".", "表", "/\u{301}", "e\u{301}", "\\"]
        for _ in 0..<5_000 {
            let part = (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            #expect(Relationships.relsPart(of: part) == Relationships.relsPartGeneral(of: part), "\(part)")
            #expect(Relationships.folder(of: part) == Relationships.folderGeneral(of: part), "\(part)")
        }
    }

    @Test func relationshipKind() {
        func kind(_ type: String) -> Substring { Relationship(id: "", type: type, target: "", external: false).kind }
        for type in ["http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", "worksheet", "",
                     "/", "a//", "a/b/", "//x", "http://purl.oclc.org/ooxml/officeDocument/relationships/styles",
                     "a/表/シート"] {
            #expect(kind(type) == (type.split(separator: "/").last ?? ""), "\(type)")
        }
    }

    @Test func targetModeAnyCase() throws {
        let rels = """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="a" Type="t/x" Target="http://e/1" TargetMode="EXTERNAL"/>\
            <Relationship Id="b" Type="t/y" Target="y.xml" TargetMode="Internal"/>\
            <Relationship Target="z.xml" Id="c" Type="t/z"/>\
            </Relationships>
            """
        let source = MemoryPartSource(fileName: "t.xlsx", parts: ["xl/_rels/workbook.xml.rels": Array(rels.utf8)])
        let r = try #require(try Relationships.read(for: "xl/workbook.xml", from: source, limits: .default))
        #expect(r.map(\.id) == ["a", "b", "c"])
        #expect(r.map(\.external) == [true, false, false])
        #expect(r.map(\.target) == ["http://e/1", "xl/y.xml", "xl/z.xml"])
    }

    /// styles.xml is read only when a number needs its format: a sheet of text reads even when styles.xml is
    /// broken; a number then reports styles.xml's own error, located at styles.xml (not at the sheet).
    @Test func stylesAreReadWhenANumberNeedsThem() throws {
        var p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#, styles: "<cellXfs>")
        let g = try p.reader().readGrid(sheet: 0)
        #expect(g[0, 0] == .string("x"))

        p = PackageBuilder.oneSheet(#"<row r="1"><c r="A1"><v>1</v></c></row>"#, styles: "<cellXfs>")
        do {
            _ = try p.reader().readGrid(sheet: 0)
            Issue.record("a broken styles.xml must fail when a number needs it")
        } catch let e as JixiaoError {
            #expect(e.kind == .corrupt)
            #expect(e.location?.part == "xl/styles.xml")
            #expect(e.location?.sheet == nil)
        }
    }

    /// Reading stops after `</cellXfs>` once the number formats were seen; formats before it still count, and
    /// a file that lists its number formats after the cell formats is read whole.
    @Test func stylesStopAfterCellFormats() throws {
        let rows = #"<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" s="2"><v>45000.5</v></c><c r="C1"><v>2</v></c></row>"#
        let xfs = #"<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="22"/></cellXfs>"#
        let fmts = #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>"#
        for styles in [fmts + xfs + "<colors><indexedColors/></colors>", fmts + xfs + "<bad", xfs + fmts] {
            let g = try PackageBuilder.oneSheet(rows, styles: styles).reader().readGrid(sheet: 0)
            guard case .date = g[0, 0], case .date = g[0, 1] else {
                Issue.record("\(styles): \(g[0, 0]) \(g[0, 1])")
                continue
            }
            #expect(g[0, 2] == .number(2))
        }
    }
}
