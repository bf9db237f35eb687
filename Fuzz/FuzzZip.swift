// libFuzzer target: the ZIP reader and the whole XLSX reader on arbitrary bytes.
// Built and run by `scripts/fuzz zip SECONDS`. Any outcome is fine except a crash, a leak, a hang or
// an error that is not a JixiaoError.
import SheetCore
import XLSXFormat
import ZipArchive

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The ZIP layer alone: every entry read whole and streamed.
    if let zip = try? ZipReader(bytes: bytes, name: "fuzz.xlsx") {
        for e in zip.entries.prefix(64) {
            expectJixiao { _ = try zip.read(e) }
            expectJixiao { try zip.stream(e, chunkSize: 512) { _ in } }
        }
    }
    // The workbook on top: every sheet into a grid.
    expectJixiao {
        let reader = try XLSXReader(bytes: bytes, name: "fuzz.xlsx")
        for i in reader.sheets.indices.prefix(16) {
            expectJixiao { _ = try reader.readGrid(sheet: i) }
        }
    }
    return 0
}

/// Runs `body`; an error other than `JixiaoError` is a bug (traps so that libFuzzer keeps the input).
@inline(__always)
func expectJixiao(_ body: () throws -> Void) {
    do { try body() } catch is JixiaoError { } catch { fatalError("not a JixiaoError: \(error)") }
}
