import Foundation
import SheetCore
import Testing
import TestSupport
@testable import XLSXFormat
import ZipArchive

/// The pointer-based `FillScanner` against the byte-by-byte scanner it replaced (kept here as the reference),
/// on random markup: tags with and without prefixes, attributes quoted either way (with `>` and the other
/// quote inside), comments, CDATA, processing instructions, text, and broken endings.
@Suite struct FillScanFastPathTests {
    /// The former `FillScanner.next()`, verbatim in behaviour.
    struct Reference {
        let bytes: [UInt8]
        var pos = 0

        func has(_ s: String, at i: Int) -> Bool {
            let u = Array(s.utf8)
            guard i + u.count <= bytes.count else { return false }
            for k in 0..<u.count where bytes[i + k] != u[k] { return false }
            return true
        }

        func find(_ s: String, from: Int) -> Int? {
            var i = from
            while i + s.utf8.count <= bytes.count {
                if has(s, at: i) { return i }
                i += 1
            }
            return nil
        }

        mutating func next() throws -> FillTag? {
            let n = bytes.count
            while pos < n {
                guard let lt = bytes[pos...].firstIndex(of: UInt8(ascii: "<")) else { pos = n; return nil }
                guard lt + 1 < n else { throw FillScanner.corrupt("markup ends after '<'") }
                let b = bytes[lt + 1]
                if b == UInt8(ascii: "!") {
                    if has("<!--", at: lt) {
                        guard let e = find("-->", from: lt + 4) else { throw FillScanner.corrupt("unterminated comment") }
                        pos = e + 3
                    } else if has("<![CDATA[", at: lt) {
                        guard let e = find("]]>", from: lt + 9) else { throw FillScanner.corrupt("unterminated CDATA") }
                        pos = e + 3
                    } else {
                        throw JixiaoError(.unsafe, "XML with a DOCTYPE declaration is refused")
                    }
                    continue
                }
                if b == UInt8(ascii: "?") {
                    guard let e = find("?>", from: lt + 2) else { throw FillScanner.corrupt("unterminated processing instruction") }
                    pos = e + 2
                    continue
                }
                let isEnd = b == UInt8(ascii: "/")
                let nameStart = isEnd ? lt + 2 : lt + 1
                var i = nameStart
                var localStart = nameStart
                while i < n, !FillScanner.isNameEnd(bytes[i]) {
                    if bytes[i] == UInt8(ascii: ":") { localStart = i + 1 }
                    i += 1
                }
                let nameEnd = i
                guard nameEnd > nameStart else { throw FillScanner.corrupt("tag without a name") }
                var quote: UInt8 = 0
                while i < n {
                    let c = bytes[i]
                    if quote != 0 {
                        if c == quote { quote = 0 }
                    } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        quote = c
                    } else if c == UInt8(ascii: ">") {
                        break
                    }
                    i += 1
                }
                guard i < n else { throw FillScanner.corrupt("unterminated tag") }
                let end = i + 1
                pos = end
                let kind: FillTag.Kind = isEnd ? .end : (bytes[i - 1] == UInt8(ascii: "/") ? .empty : .start)
                return FillTag(kind: kind, start: lt, end: end, nameStart: nameStart, nameEnd: nameEnd, localStart: localStart)
            }
            return nil
        }
    }

    static func randomMarkup(_ rng: inout SeededRNG) -> [UInt8] {
        let pieces = ["<c r=\"A1\" s='2'>", "<x:row r=\"3\" spans=\"1:4\">", "</x:row>", "<v>12</v>", "text > more",
                      "<c t=\"a>b\" r=\"B2\"/>", "<t xml:space='pre\"serve'>", "</t>", "<!-- c > -- x -->", "<![CDATA[ <c> ]]>",
                      "<?pi x > y?>", "<is>", "</is>", "<a\tb = \"1\"\n/>", "数据", "<c r=\"C3\" />", "&amp;", " ",
                      "<f ref=\"A1:A2\" t=\"shared\">", "</f>", "<row>", "</row>", "<e:f:g h='1'>"]
        var s: [UInt8] = []
        for _ in 0..<Int.random(in: 0...40, using: &rng) { s += Array(pieces.randomElement(using: &rng)!.utf8) }
        switch Int.random(in: 0..<8, using: &rng) {  // sometimes a broken ending
        case 0: s += Array("<c r=\"A".utf8)
        case 1: s += Array("<!-- open".utf8)
        case 2: s += Array("<".utf8)
        case 3: s += Array("<![CDATA[ x".utf8)
        case 4: s += Array("<?pi".utf8)
        case 5: s += Array("< x>".utf8)
        default: break
        }
        return s
    }

    static func sameTag(_ a: FillTag?, _ b: FillTag?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?):
            return x.kind == y.kind && x.start == y.start && x.end == y.end && x.nameStart == y.nameStart
                && x.nameEnd == y.nameEnd && x.localStart == y.localStart
        default: return false
        }
    }

    @Test func tagsMatchTheByteByByteScanner() {
        var rng = SeededRNG(seed: 0xF111)
        for _ in 0..<600 {
            let bytes = Self.randomMarkup(&rng)
            var fast = FillScanner(bytes)
            var ref = Reference(bytes: bytes, pos: fast.pos)
            while true {
                let a = Result { try fast.next() }
                let b = Result { try ref.next() }
                switch (a, b) {
                case let (.success(x), .success(y)):
                    #expect(Self.sameTag(x, y), "\(String(decoding: bytes, as: UTF8.self))")
                    guard Self.sameTag(x, y), let t = x else { break }
                    // The attribute lookup without a list gives the list's answer.
                    if t.kind != .end {
                        let all = fast.attributes(of: t)
                        for name: StaticString in ["r", "s", "t", "spans", "b", "xml:space", "ref"] {
                            let one = fast.attribute(name, of: t)
                            let listed = fast.attribute(name, in: all)
                            #expect(one?.valueStart == listed?.valueStart && one?.fullEnd == listed?.fullEnd)
                        }
                    }
                    continue
                case let (.failure(x), .failure(y)):
                    #expect("\(x)" == "\(y)")
                default:
                    Issue.record("one scanner failed, the other did not: \(String(decoding: bytes, as: UTF8.self))")
                }
                break
            }
        }
    }

    @Test func skipElementMatchesTagByTagSkipping() throws {
        var rng = SeededRNG(seed: 0x5C1F)
        for _ in 0..<300 {
            let bytes = Array("<root>".utf8) + Self.randomMarkup(&rng) + Array("</root>".utf8)
            var a = FillScanner(bytes)
            var b = Reference(bytes: bytes)
            guard let open = try? a.next(), let open2 = try? b.next(), open.kind == .start else { continue }
            #expect(Self.sameTag(open, open2))
            let skipped = Result { try a.skipElement(open) }
            var depth = 0
            let expected = Result { () throws -> FillTag in
                while let t = try b.next() {
                    switch t.kind {
                    case .start: depth += 1
                    case .empty: break
                    case .end:
                        if depth == 0 { return t }
                        depth -= 1
                    }
                }
                throw FillScanner.corrupt("element <root> is not closed")
            }
            switch (skipped, expected) {
            case let (.success(x), .success(y)): #expect(Self.sameTag(x, y)); #expect(a.pos == b.pos)
            case let (.failure(x), .failure(y)): #expect("\(x)" == "\(y)")
            default: Issue.record("skipElement differs on \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    /// Skipping a row (`<row>`, `<x:row>`) by searching for its end tag gives the tag-by-tag answer whenever the
    /// markup is well-formed enough for the tag-by-tag scanner (the reader has parsed the part before a fill):
    /// comments, CDATA sections and processing instructions holding `</row>`, nested rows, names that start
    /// with `row`, end tags with spaces before `>`.
    @Test func skippingARowBySearchMatchesTagByTagSkipping() throws {
        var rng = SeededRNG(seed: 0x2077)
        let pieces = ["<c r=\"A1\" s='2'>", "</c>", "<v>12</v>", "text > more", "<c t=\"a>b\" r=\"B2\"/>",
                      "<!-- </row> -->", "<![CDATA[ </row></x:row> ]]>", "<?pi </row>?>", "<row r=\"9\">", "</row >",
                      "<x:row>", "</x:row>", "<rows/>", "</rowx>", "<rowBreaks count=\"1\"/>", "数据", "<is><t>x</t></is>",
                      "<x:c r=\"D4\"><x:v>1</x:v></x:c>", " ", "wow! row? /row", "<t>a/row>b</t>", "<c t=\"w!?\"/>", "</x:rowx>",
                      "<row>", "</row\t>", "w"]
        var quick = 0
        for round in 0..<1500 {
            let name = round % 2 == 0 ? "row" : "x:row"
            var body: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) { body += Array(pieces.randomElement(using: &rng)!.utf8) }
            let bytes = Array("<sheetData><\(name) r=\"1\">".utf8) + body + Array("</\(name)><\(name) r=\"2\"/></sheetData>".utf8)
            var a = FillScanner(bytes)
            var b = Reference(bytes: bytes)
            _ = try a.next(); _ = try b.next()  // <sheetData>
            guard let open = try a.next(), let open2 = try b.next() else { Issue.record("no row"); continue }
            #expect(Self.sameTag(open, open2))
            var depth = 0
            let expected = Result { () throws -> FillTag? in
                while let t = try b.next() {
                    guard b.bytes[t.nameStart..<t.nameEnd].elementsEqual(name.utf8) else { continue }
                    switch t.kind {
                    case .start: depth += 1
                    case .empty: break
                    case .end:
                        if depth == 0 { return t }
                        depth -= 1
                    }
                }
                return nil
            }
            // Where the tag-by-tag scanner fails, the markup is broken and the search may or may not see it.
            guard case .success(let y) = expected, let y else { continue }
            let found = a.bytes.withUnsafeBufferPointer { FillScanner.quickEnd(of: open, $0.baseAddress!, $0.count, from: a.pos) }
            let byMemchr = a.bytes.withUnsafeBufferPointer { Self.quickEndByMemchr(of: open, $0.baseAddress!, $0.count, from: a.pos) }
            #expect(found.map { [$0.start, $0.end, $0.nameStart, $0.nameEnd, $0.localStart] }
                    == byMemchr.map { [$0.start, $0.end, $0.nameStart, $0.nameEnd, $0.localStart] })
            if let found {
                quick += 1
                #expect(Self.sameTag(found, y), "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(quick > 200, "the search was taken \(quick) times")
    }

    /// `quickEnd` as it was before the search by the name's last byte (every `<` in turn).
    static func quickEndByMemchr(of open: FillTag, _ base: UnsafePointer<UInt8>, _ n: Int, from: Int) -> FillTag? {
        let nameStart = open.nameStart
        let nameLength = open.nameEnd - nameStart
        guard nameLength > 0 else { return nil }
        func nameAt(_ i: Int) -> Bool {
            guard i + nameLength < n else { return false }
            for k in 0..<nameLength where base[i + k] != base[nameStart + k] { return false }
            let after = base[i + nameLength]
            return after == UInt8(ascii: ">") || FillScanner.isNameEnd(after)
        }
        var i = from
        while i < n {
            guard let hit = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) else { return nil }
            let lt = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            guard lt + 1 < n else { return nil }
            let b = base[lt + 1]
            if b == UInt8(ascii: "/") {
                if nameAt(lt + 2) {
                    var e = lt + 2 + nameLength
                    while e < n, base[e] != UInt8(ascii: ">") { e += 1 }
                    guard e < n else { return nil }
                    return FillTag(kind: .end, start: lt, end: e + 1, nameStart: lt + 2, nameEnd: lt + 2 + nameLength,
                                   localStart: lt + 2 + (open.localStart - nameStart))
                }
            } else if b == UInt8(ascii: "!") || b == UInt8(ascii: "?") || nameAt(lt + 1) {
                return nil
            }
            i = lt + 2
        }
        return nil
    }

    /// Part names already normal are returned as they are; the rule (backslashes to slashes, no leading slash,
    /// lower case) decides the rest.
    @Test func partNameNormalisingShortcutAgreesWithTheRule() {
        var rng = SeededRNG(seed: 0x9A27)
        let pieces = ["xl/", "worksheets/", "sheet1.xml", "/", "\\", "Sheet", "ÄÖ", "表", "_rels/", ".rels", "A", "z", "İ", "[Content_Types].xml", "docProps/"]
        for _ in 0..<5_000 {
            let n = Int(rng.next() % 5)
            let name = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            var s = name.replacingBackslashes()
            while s.hasPrefix("/") { s.removeFirst() }
            #expect(FillPackage.normalise(name) == s.lowercased(), "\(name.debugDescription)")
        }
    }

    @Test func decimalDigitsMatchString() {
        var rng = SeededRNG(seed: 0xD1D1)
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 9_999_999_999_999_999, -9_999_999_999_999_999, .max, .min]
        for _ in 0..<500 { values.append(Int64.random(in: -10_000_000_000_000_000...10_000_000_000_000_000, using: &rng)) }
        for v in values {
            var out: [UInt8] = [UInt8(ascii: "x")]
            FillXML.appendDecimal(&out, v)
            #expect(out == [UInt8(ascii: "x")] + Array(String(v).utf8))
        }
        for d in [1.0, -3, 42, 1e15, -1e15 + 1, 0.5, 99.25, 1e16, -0.0, 0] {
            // The patcher writes integers itself; its text must be `FillXML.number`'s.
            if d != 0, d == d.rounded(), abs(d) < 1e16 {
                var out: [UInt8] = []
                FillXML.appendDecimal(&out, Int64(d))
                #expect(out == (try? FillXML.number(d)))
            }
        }
    }

    /// Filling from bytes in memory writes the same archive as filling from the file.
    @Test func prepareFromBytesMatchesPrepareFromPath() throws {
        var rng = SeededRNG(seed: 0xB17E)
        let dir = try Fixtures.tempDirectory("fill-bytes")
        for round in 0..<6 {
            let sheet = FillPropertyTests.randomSheet(&rng)
            var zip = ZipWriter()
            for (name, bytes) in FillPropertyTests.package(sheet).sorted(by: { $0.key < $1.key }) { try zip.add(name, bytes) }
            let source = dir.appendingPathComponent("in\(round).xlsx").path
            let archive = try zip.finish()
            try Data(archive).write(to: URL(fileURLWithPath: source))
            let updates = ["S": [CellUpdate(ref: CellRef(row: UInt32(round), col: 2), value: .number(Double(round) + 0.5)),
                                 CellUpdate(ref: CellRef(row: 40, col: 1), value: .string("新"))]]
            let a = try XLSXFill.prepare(source: source, updates: updates)
            let b = try XLSXFill.prepare(bytes: archive, name: source, updates: updates)
            var outputs: [[UInt8]] = []
            for (i, p) in [a, b].enumerated() {
                let out = dir.appendingPathComponent("out\(round)-\(i).xlsx").path
                FileManager.default.createFile(atPath: out, contents: nil)
                let h = try #require(FileHandle(forWritingAtPath: out))
                try p.write(to: h)
                try h.close()
                outputs.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
            }
            #expect(outputs[0] == outputs[1])
            #expect(a.report == b.report)
        }
    }
}
