import Testing
import Foundation
import SheetCore
@testable import CSVFormat
import TestSupport

@Suite struct EncodingTests {
    static let sample = "一级指标,分值,说明\r\n项目决策,20,\"含,逗号\"\r\n"

    func utf16(_ s: String, bigEndian: Bool, bom: Bool = true) -> [UInt8] {
        var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for u in s.utf16 { out += bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)] }
        return out
    }

    /// GB18030 bytes spelled out by hand (independent of our writer and of iconv).
    @Test func gb18030IsDetectedAndDecoded() throws {
        // "一级" in GB18030/GBK: D2 BB BC B6.
        let data: [UInt8] = [0xD2, 0xBB, 0xBC, 0xB6] + bytes(",1\r\n")
        #expect(CSVReader.detect(bytes: data).encoding == .gb18030)
        let g = try CSVReader.read(bytes: data, name: "g.csv")
        #expect(table(g) == [[.string("一级"), .number(1)]])
        // Four-byte GB18030 (U+20000 𠀀 = 95 32 82 36) is beyond GBK.
        let four = try CSVReader.read(bytes: [0x95, 0x32, 0x82, 0x36], name: "g.csv", options: CSVOptions(encoding: .gb18030))
        #expect(four[0, 0] == .string("\u{20000}"))
    }

    /// A UTF-8 file with one stray byte (a Windows-1252 no-break space) or a GBK line appended stays UTF-8 and
    /// is refused at the bad line; it used to be taken for GB18030 and refused at line 1 ("byte 0x80").
    @Test func utf8WithAStrayByteIsReportedAtItsLine() throws {
        let body = Array("一级指标,二级指标,三级指标,分值\r\n产出指标,数量指标,培训人次,10\r\n".utf8)
        let stray = body + Array("效益指标,社会效益,满意度".utf8) + [0xA0] + Array(",20\r\n".utf8)
        #expect(CSVReader.detect(bytes: stray).encoding == .utf8)
        let e = #expect(throws: JixiaoError.self) { try CSVReader.read(bytes: stray, name: "s.csv") }
        #expect(e?.location?.line == 3, "\(String(describing: e))")
        #expect(e?.description.contains("UTF-8") == true && e?.description.contains("0xA0") == true, "\(String(describing: e))")
        let appended = body + [0xB1, 0xB8, 0xD7, 0xA2, 0x2C, 0x31, 0x0D, 0x0A]  // "备注,1" in GBK
        let a = #expect(throws: JixiaoError.self) { try CSVReader.read(bytes: appended, name: "a.csv") }
        #expect(a?.location?.line == 3, "\(String(describing: a))")
        // Real GBK text is still GBK: its first bytes are no run of valid UTF-8 sequences.
        let gbk: [UInt8] = [0xD2, 0xBB, 0xBC, 0xB6, 0xD6, 0xB8, 0xB1, 0xEA, 0x2C, 0x31, 0x0D, 0x0A]
        #expect(CSVReader.detect(bytes: gbk).encoding == .gb18030)
    }

    @Test(arguments: [false, true])
    func utf16WithBOM(_ bigEndian: Bool) throws {
        let data = utf16(Self.sample, bigEndian: bigEndian)
        #expect(CSVReader.detect(bytes: data).encoding == (bigEndian ? .utf16be : .utf16le))
        let g = try CSVReader.read(bytes: data, name: "u.txt")
        #expect(g.rows == (try parse(Self.sample)).rows)
        // Astral characters come through surrogate pairs.
        let astral = try CSVReader.read(bytes: utf16("😀𠀀,x\n", bigEndian: bigEndian), name: "u.txt")
        #expect(astral[0, 0] == .string("😀𠀀"))
    }

    @Test(arguments: [false, true])
    func utf16WithoutBOMIsRecognisedByItsZeroBytes(_ bigEndian: Bool) throws {
        let data = utf16(Self.sample, bigEndian: bigEndian, bom: false)
        #expect(CSVReader.detect(bytes: data) == (bigEndian ? .utf16be : .utf16le, UInt8(ascii: ",")))
        #expect(try CSVReader.read(bytes: data, name: "u.csv").rows == (try parse(Self.sample)).rows)
    }

    @Test func detectionOnAFileLongerThanItsSample() throws {
        // 64 KiB of sample cut inside a character must still say UTF-8.
        let dir = try Fixtures.tempDirectory("csvdetect")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("long.csv")
        var text = "a;"
        while text.utf8.count < 70_000 { text += "中文;指标\n" }
        for shift in 0..<3 {
            try Data(bytes(String(repeating: "x", count: shift) + text)).write(to: file)
            #expect(try CSVReader.detect(path: file.path) == (.utf8, UInt8(ascii: ";")), "shift \(shift)")
        }
    }

    @Test func readsFromAPipe() throws {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data(Self.sample.utf8))
        try pipe.fileHandleForWriting.close()
        let path = "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        let g = try CSVReader.read(path: path)
        #expect(g.rows == (try parse(Self.sample)).rows)
    }

    @Test func detectionPrefersBOMThenUTF8ThenGB18030() throws {
        #expect(CSVReader.detect(bytes: [0xEF, 0xBB, 0xBF] + bytes("a")).encoding == .utf8BOM)
        #expect(CSVReader.detect(bytes: bytes("纯 UTF-8,无 BOM")).encoding == .utf8)
        #expect(CSVReader.detect(bytes: bytes("ascii only")).encoding == .utf8)
        #expect(CSVReader.detect(bytes: []).encoding == .utf8)
        // A valid UTF-8 start with one GBK byte pair later is GB18030.
        #expect(CSVReader.detect(bytes: bytes("中文,") + [0xD6, 0xD0]).encoding == .gb18030)
    }

    @Test func delimiterDetection() throws {
        #expect(CSVReader.detect(bytes: bytes("a;b;c\n1;2,5;3\n4;5;6\n")).delimiter == UInt8(ascii: ";"))
        #expect(CSVReader.detect(bytes: bytes("a\tb,c\n1\t2\n3\t4,5,6\n")).delimiter == UInt8(ascii: "\t"))
        #expect(CSVReader.detect(bytes: bytes("\"x;y;z\",b\n\"p;q\",c\n")).delimiter == UInt8(ascii: ","))
        #expect(CSVReader.detect(bytes: bytes("one column\nonly\n")).delimiter == UInt8(ascii: ","))
        #expect(CSVReader.detect(bytes: bytes("a;b\n")).delimiter == UInt8(ascii: ";"))
    }

    @Test func excelSepLineSetsTheDelimiterAndIsNotData() throws {
        let g = try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + bytes("sep=;\r\na;b,c\r\n1;2\r\n"), name: "s.csv")
        #expect(table(g) == [[.string("a"), .string("b,c")], [.number(1), .number(2)]])
        #expect(g.rows.map(\.index) == [0, 1])
        #expect(CSVReader.detect(bytes: bytes("SEP=|\nx|y\n")).delimiter == UInt8(ascii: "|"))
        // Line numbers still count the sep line.
        let e = jixiaoError { _ = try parse("sep=,\nok\n\"open") }
        #expect(e?.location?.line == 3)
        // Not a directive: more text on the line.
        #expect(table(try parse("sep=;x\n", CSVOptions(delimiter: UInt8(ascii: ",")))) == [[.string("sep=;x")]])
    }

    @Test func explicitOptionsOverrideDetection() throws {
        let text = "a;b,c\n"
        #expect(table(try parse(text, CSVOptions(delimiter: UInt8(ascii: ";")))) == [[.string("a"), .string("b,c")]])
        #expect(table(try parse(text, CSVOptions(delimiter: UInt8(ascii: ",")))) == [[.string("a;b"), .string("c")]])
        // UTF-8 bytes read as GB18030 on request: valid there too, so no error, different text.
        let g = try CSVReader.read(bytes: bytes("中文"), name: "x.csv", options: CSVOptions(encoding: .gb18030))
        #expect(g[0, 0] != .string("中文"))
        #expect(g[0, 0].text.unicodeScalars.count == 3)
    }

    @Test func invalidBytesUnderAnExplicitEncodingNameTheLine() throws {
        let bad = bytes("a\r\nb\r\n\"multi\nline\",") + [0xFF, 0xFE] + bytes("\r\n")
        for enc in [CSVEncoding.utf8, .utf8BOM] {
            let e = jixiaoError { _ = try CSVReader.read(bytes: bad, name: "bad.csv", options: CSVOptions(encoding: enc)) }
            #expect(e?.kind == .invalidValue)
            #expect(e?.location == Location(file: "bad.csv", line: 4))
            #expect(e?.underlying == "byte 0xFF")
        }
        // 0xFF is not a lead byte in GBK nor in GB18030 (0x80 is: glibc maps it to €, as Windows code page 936).
        let gbk = bytes("x\n") + [0xD2, 0xBB, 0xFF, 0x41]
        for enc in [CSVEncoding.gbk, .gb18030] {
            let e = jixiaoError { _ = try CSVReader.read(bytes: gbk, name: "g.csv", options: CSVOptions(encoding: enc)) }
            #expect(e?.kind == .invalidValue, "\(enc)")
            #expect(e?.location?.line == 2)
        }
        // Truncated multi-byte character at the end of the file.
        let cut = jixiaoError { _ = try CSVReader.read(bytes: bytes("a\n") + [0xE4, 0xB8], name: "c.csv", options: CSVOptions(encoding: .utf8)) }
        #expect(cut?.kind == .invalidValue)
        #expect(cut?.location?.line == 2)
        // Odd UTF-16 length and a lone surrogate.
        let odd = jixiaoError { _ = try CSVReader.read(bytes: utf16("ab", bigEndian: false) + [0x41], name: "u.txt") }
        #expect(odd?.kind == .invalidValue)
        let lone = jixiaoError { _ = try CSVReader.read(bytes: [0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x00, 0xDC], name: "u.txt") }
        #expect(lone?.kind == .invalidValue)
        #expect(lone?.location?.line == 2)
    }

    @Test func missingFileIsAnIOError() {
        let e = jixiaoError { _ = try CSVReader.read(path: "/nonexistent/dir/x.csv") }
        #expect(e?.kind == .io)
        #expect(e?.location?.file == "/nonexistent/dir/x.csv")
    }

    /// Reading in tiny chunks cuts multi-byte characters, surrogate pairs, CRLFs and `""` at every position:
    /// the rows must be the same as reading at once.
    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func streamingAcrossChunkBoundaries(_ chunk: Int) throws {
        for name in ["seed000_project_framework.csv", "seed000_project_framework_gb18030.csv",
                     "seed000_project_framework_utf16be.txt", "seed002_department_framework_gbk.csv",
                     "seed002_department_framework_utf16le.txt"] {
            let path = Fixtures.url("csv/" + name).path
            let whole = try CSVReader.read(path: path)
            var rows: [Row] = []
            try CSVReader.forEachRow(path: path, options: CSVOptions(), chunkSize: chunk) { rows.append($0) }
            #expect(rows == whole.rows, "\(name) in chunks of \(chunk)")
        }
        // Quotes, CR/LF and an invalid byte across boundaries; the error line stays right.
        let dir = try Fixtures.tempDirectory("csvchunks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("q.csv")
        let text = "\"a\"\"b\",\"c\r\nd\"\r\n\re,\"\"\"\"\r\n中文😀,x\r\n"
        try Data(bytes(text)).write(to: file)
        var rows: [Row] = []
        try CSVReader.forEachRow(path: file.path, options: CSVOptions(), chunkSize: chunk) { rows.append($0) }
        #expect(rows == (try parse(text)).rows)
        try Data(bytes("a\n\"b\nc\",") + [0xC3, 0x28]).write(to: file)
        let e = jixiaoError {
            try CSVReader.forEachRow(path: file.path, options: CSVOptions(encoding: .utf8), chunkSize: chunk) { _ in }
        }
        #expect(e?.kind == .invalidValue)
        #expect(e?.location?.line == 3)
    }
}
