import Foundation
import SheetCore
import TestSupport
import Testing
@testable import ZipArchive

/// SplitMix64: a small seeded generator so property tests are reproducible (the seed is printed on failure).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func fixtureBytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Fixtures.data(relative))
}

/// Runs `body`, expects a `JixiaoError` of `kind`, and returns it.
@discardableResult
func expectJixiaoError<T>(_ kind: JixiaoError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: () throws -> T) -> JixiaoError? {
    do {
        _ = try body()
        Issue.record("expected a \(kind) error, got success", sourceLocation: sourceLocation)
    } catch let e as JixiaoError {
        #expect(e.kind == kind, "got \(e.kind): \(e)", sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("expected JixiaoError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Opens a fixture by path (so that the error names the file as a user would see it).
func openFixture(_ relative: String, limits: ReadLimits = .default) throws -> ZipReader {
    try ZipReader(path: Fixtures.url(relative).path, limits: limits)
}

/// Reads every entry with both `read` and `stream` and checks they agree.
func readAll(_ zip: ZipReader) throws -> [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    for e in zip.entries {
        let whole = try zip.read(e)
        var streamed: [UInt8] = []
        try zip.stream(e, chunkSize: 4096) { streamed.append(contentsOf: $0) }
        #expect(whole == streamed, "read and stream differ for \(e.name)")
        out[e.name] = whole
    }
    return out
}
