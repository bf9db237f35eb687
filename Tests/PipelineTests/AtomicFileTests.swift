import Foundation
import Testing
import SheetCore
import TestSupport
@testable import Pipeline

@Suite("AtomicFile")
struct AtomicFileTests {
    func leftovers(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
    }

    @Test func replacesTheTargetAndLeavesNoTemporaryFile() throws {
        let dir = try Fixtures.tempDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.xlsx").path
        try AtomicFile.write(Array("old".utf8), to: out)
        chmod(out, 0o600)
        try AtomicFile.write(Array("new".utf8), to: out)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "new")
        #expect(try leftovers(dir).isEmpty)
        // The mode of the file it replaces is kept.
        let attrs = try FileManager.default.attributesOfItem(atPath: out)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func aTemporaryFolderOfItsOwnLeavesNothingBehind() throws {
        let dir = try Fixtures.tempDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: false)
        let out = dir.appendingPathComponent("out.xlsx").path
        try AtomicFile.write(Array("old".utf8), to: out, temporaryDirectory: tmp.path)
        try AtomicFile.write(Array("new".utf8), to: out, sync: false, temporaryDirectory: tmp.path)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
        #expect(try leftovers(dir).isEmpty)
    }

    /// A temporary folder on another file system (tmpfs /dev/shm against the test folder): the rename fails
    /// with EXDEV and the file is copied beside the output instead.
    @Test func aTemporaryFolderOnAnotherFileSystemStillWorks() throws {
        let dir = try Fixtures.tempDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        var a = stat(), b = stat()
        guard stat(dir.path, &a) == 0, stat("/dev/shm", &b) == 0, a.st_dev != b.st_dev, access("/dev/shm", W_OK) == 0 else {
            print("skipped: no writable /dev/shm on another file system")
            return
        }
        let tmp = "/dev/shm/jixiao-atomic-\(getpid())"
        mkdir(tmp, 0o700)
        defer { rmdir(tmp) }
        let out = dir.appendingPathComponent("out.csv").path
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(bytes, to: out, temporaryDirectory: tmp)
        #expect(FileManager.default.contents(atPath: out).map { [UInt8]($0) } == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func aFailureLeavesTheTargetUntouched() throws {
        let dir = try Fixtures.tempDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.csv").path
        try AtomicFile.write(Array("old".utf8), to: out)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: out) { h in
                try AtomicFile.writeAll(Array("half".utf8), to: h, display: out)
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "old")
        #expect(try leftovers(dir).isEmpty)
    }

    @Test func refusesToWriteOverAnInputByPathLinkOrHardLink() throws {
        let dir = try Fixtures.tempDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.xlsx").path
        try Data("input".utf8).write(to: URL(fileURLWithPath: input))
        let sym = dir.appendingPathComponent("link.xlsx").path
        let hard = dir.appendingPathComponent("hard.xlsx").path
        try FileManager.default.createSymbolicLink(atPath: sym, withDestinationPath: input)
        #expect(link(input, hard) == 0)
        for out in [input, dir.path + "/./in.xlsx", sym, hard] {
            let e = #expect(throws: JixiaoError.self) {
                try AtomicFile.write(Array("x".utf8), to: out, inputs: [input])
            }
            #expect(e?.kind == .io, "\(out)")
        }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "input")
    }

    @Test func missingDirectoryIsAnIOErrorNamingTheOutput() throws {
        let e = #expect(throws: JixiaoError.self) {
            try AtomicFile.write(Array("x".utf8), to: "/nonexistent-dir-jixiao/out.xlsx")
        }
        #expect(e?.kind == .io)
        #expect(e?.location?.file == "/nonexistent-dir-jixiao/out.xlsx")
    }
}
