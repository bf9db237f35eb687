import Foundation
import SheetCore
import TestSupport
import Testing
@testable import ZipArchive

/// What ZipWriter writes must open in other readers: Python's `zipfile` and Info-ZIP's `unzip`, when the
/// machine has them (skipped with a message otherwise). Also exercises the ZIP64 paths by lowering the
/// writer's ZIP64 threshold.
@Suite("Interoperability")
struct InteropTests {
    static let checker = """
    import sys, zipfile, zlib
    z = zipfile.ZipFile(sys.argv[1])
    bad = z.testzip()
    assert bad is None, bad
    for i in z.infolist():
        d = z.read(i)
        print(i.filename, len(d), "%08x" % zlib.crc32(d), i.compress_type)
    """

    func archive(zip64: Bool) throws -> (bytes: [UInt8], expected: [String]) {
        var w = ZipWriter()
        if zip64 { w.zip64Threshold = 0 }
        var rng = SplitMix64(seed: 7)
        var expected: [String] = []
        for (i, name) in ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "docProps/绩效评价.xml",
                          "xl/media/image1.png", "empty.txt"].enumerated() {
            let size = name == "empty.txt" ? 0 : 1000 + Int(rng.next() % 50_000)
            let data = (0..<size).map { _ in UInt8(truncatingIfNeeded: 32 + rng.next() % (i == 4 ? 224 : 20)) }
            let compress = i != 4
            if i == 2 {
                try w.add(name) { write in
                    for k in stride(from: 0, to: data.count, by: 1000) {
                        try data[k..<min(k + 1000, data.count)].withUnsafeBytes { try write($0) }
                    }
                }
            } else {
                try w.add(name, data, compress: compress)
            }
            let crc = CRC32.checksum(data)
            let h = String(crc, radix: 16)
            expected.append("\(name) \(data.count) \(String(repeating: "0", count: 8 - h.count) + h) \(compress || i == 2 ? 8 : 0)")
        }
        return (try w.finish(), expected)
    }

    @Test("ZIP64 fields everywhere (forced) read back with ZipReader", arguments: [false, true])
    func zip64RoundTrip(zip64: Bool) throws {
        let (bytes, expected) = try archive(zip64: zip64)
        let zip = try ZipReader(bytes: bytes, name: "z.zip")
        #expect(zip.entries.count == expected.count)
        _ = try readAll(zip)
        let hasZip64End = RoundTripTests.contains(bytes, [0x50, 0x4B, 0x06, 0x06])
        #expect(hasZip64End == zip64)
        #expect(zip.entries[3].name == "docProps/绩效评价.xml" && zip.entries[3].flags == 0x0800)
    }

    @Test("Python's zipfile reads what ZipWriter writes", arguments: [false, true])
    func python(zip64: Bool) throws {
        let (bytes, expected) = try archive(zip64: zip64)
        let dir = try Fixtures.tempDirectory("zipinterop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("out.xlsx")
        try Data(bytes).write(to: file)
        let r: ProcessResult
        do {
            r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", InteropTests.checker, file.path])
        } catch {
            print("Interop test skipped: cannot run python3 (\(error))")
            return
        }
        if r.status == 127 {
            print("Interop test skipped: no python3")
            return
        }
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.split(separator: "\n").map(String.init) == expected)
    }

    @Test("Info-ZIP unzip -t accepts what ZipWriter writes", arguments: [false, true])
    func unzip(zip64: Bool) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else {
            print("Interop test skipped: no /usr/bin/unzip")
            return
        }
        let (bytes, expected) = try archive(zip64: zip64)
        let dir = try Fixtures.tempDirectory("zipinterop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("out.zip")
        try Data(bytes).write(to: file)
        let r = try runProcess(URL(fileURLWithPath: "/usr/bin/unzip"), ["-t", file.path])
        #expect(r.status == 0, "\(r.stdoutText)\(r.stderrText)")
        #expect(r.stdoutText.contains("No errors detected"))
        #expect(r.stdoutText.components(separatedBy: "OK").count - 1 == expected.count)
    }
}
