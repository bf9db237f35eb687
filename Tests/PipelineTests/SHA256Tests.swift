import Foundation
import Testing
@testable import Pipeline
import TestSupport

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples, incl. the 56-byte message whose padding needs a second block.
    @Test func knownVectors() {
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The SHA-NI blocks (where the CPU has them) and the Swift rounds leave the same state.
    @Test func hardwareAndSwiftRoundsAgree() {
        var rng = SeededRNG(seed: 0x5A4E1)
        for blocks in [1, 2, 3, 7, 64] {
            let bytes = (0..<(blocks * 64)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var a = SHA256(), b = SHA256()
            bytes.withUnsafeBufferPointer { buf in
                a.compressInSwift(buf.baseAddress!, blocks: blocks)
                b.update(buf)
            }
            let same = withUnsafeBytes(of: a.h) { Array($0) } == withUnsafeBytes(of: b.h) { Array($0) }
            #expect(same || !SHA256.hardware, "\(blocks) blocks")
        }
    }

    /// Random lengths around the block boundaries, fed whole and in random pieces, against `sha256sum`.
    @Test func matchesSha256sum() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") else { return }
        var rng = SeededRNG(seed: 0x5A256)
        let dir = try Fixtures.tempDirectory("sha256")
        for round in 0..<24 {
            let count = round < 12 ? [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129][round] : Int.random(in: 0...9000, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let file = dir.appendingPathComponent("b\(round)")
            try Data(bytes).write(to: file)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            p.arguments = [file.path]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            let expected = String(out.prefix(64))
            #expect(SHA256.hex(bytes) == expected, "length \(count)")
            var h = SHA256()
            var i = 0
            while i < count {
                let n = Int.random(in: 1...150, using: &rng)
                h.update(bytes[i..<min(count, i + n)])
                i += n
            }
            #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == expected, "pieces, length \(count)")
        }
    }
}
