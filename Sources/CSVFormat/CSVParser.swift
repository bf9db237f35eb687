#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// The RFC 4180 tokenizer: UTF-8 bytes in (in chunks of any size), rows out.
///
/// Quoted fields may hold `""`, delimiters and line breaks (CRLF, LF or a lone CR). A quote inside an unquoted
/// field is kept as text, and text after a closing quote is appended to the field (as Excel and Python do).
/// Physical lines are counted for error messages: CR, LF and CRLF each end one line.
struct CSVParser {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    let delimiter: UInt8
    let inferNumbers: Bool
    let maxField: Int
    let maxLine: Int
    let file: String
    /// The input comes from a decoder that only produces valid UTF-8 (iconv, UTF-16): no check per field.
    let validUTF8: Bool

    /// Drop the first record without counting it (Excel's `sep=X` line).
    var skipFirstRecord = false

    private var state: State = .fieldStart
    /// The bytes of a field that spans chunks or holds `""` (reused).
    private var field: [UInt8] = []
    /// The last byte fed was a CR that ended a record: a following LF belongs to it.
    private var skipLF = false
    /// The last byte fed, inside a quoted field, was a CR (for line counting across chunks).
    private var lastWasCR = false
    private var atStart = true
    /// Current physical line (1-based) and the line the current field and record started on.
    private(set) var line = 1
    private var fieldLine = 1
    private var recordLine = 1
    /// Raw bytes of the current record so far (for `maxCSVLine`).
    private var recordBytes = 0
    private var col = 0
    private var recordIndex: UInt32 = 0
    private var cells = CellScratch()
    /// Raw mode (CSV to CSV): fields go to `raw` as bytes instead of becoming cells and rows.
    var raw: RawFields?

    init(delimiter: UInt8, inferNumbers: Bool, limits: ReadLimits, file: String, validUTF8: Bool = false) {
        self.validUTF8 = validUTF8
        self.delimiter = delimiter
        self.inferNumbers = inferNumbers
        self.maxField = max(1, limits.maxCSVField)
        self.maxLine = max(1, limits.maxCSVLine)
        self.file = file
        field.reserveCapacity(256)
    }

    /// Records started so far (the next record's 0-based index).
    var recordCount: UInt32 { recordIndex }

    /// Parses a chunk, calling `emit` for each finished record that has at least one cell.
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>, _ emit: (Row) throws -> Void) throws {
        var buf = input
        if atStart {
            guard buf.count > 0 else { return }
            atStart = false
            if buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
                buf = UnsafeBufferPointer(rebasing: buf[3...])
            }
        }
        let n = buf.count
        guard n > 0, let base = buf.baseAddress else { return }
        let delim = delimiter
        let delimWord = SWAR.word(delim)
        var i = 0
        while i < n {
            switch state {
            case .fieldStart:
                let b = base[i]
                if skipLF {
                    skipLF = false
                    if b == ASCII.lf { i += 1; continue }
                }
                fieldLine = line
                if col == 0 { recordLine = line; recordBytes = 0 }
                if b == ASCII.quote {
                    state = .quoted
                    lastWasCR = false
                    i += 1
                    recordBytes += 1
                } else {
                    state = .unquoted
                }

            case .unquoted:
                // Scan for the delimiter or a line end, no further than the limits allow.
                let budget = min(maxField - field.count, maxLine - recordBytes)
                let stop = budget < n - i ? i + budget + 1 : n
                var j = i
                // Eight bytes at a time while none of them is special, then byte by byte.
                while j + 8 <= stop {
                    let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                    if SWAR.has(w, delimWord) | SWAR.has(w, SWAR.crWord) | SWAR.has(w, SWAR.lfWord) != 0 { break }
                    j += 8
                }
                while j < stop {
                    let b = base[j]
                    if b == delim || b == ASCII.lf || b == ASCII.cr { break }
                    j += 1
                }
                let length = j - i
                recordBytes += length
                if field.count + length > maxField || recordBytes > maxLine {
                    throw limitError(fieldLength: field.count + length)
                }
                if j == n {
                    field.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
                    i = n
                    break
                }
                if field.isEmpty {
                    try endField(UnsafeBufferPointer(start: base + i, count: length))
                } else {
                    field.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
                    try endFieldFromBuffer()
                }
                i = j + 1
                recordBytes += 1
                try afterTerminator(base[j], emit)

            case .quoted:
                let budget = min(maxField - field.count, maxLine - recordBytes)
                let stop = budget < n - i ? i + budget + 1 : n
                var j = i
                var cr = lastWasCR
                while j < stop {
                    // Skip eight ordinary bytes at a time.
                    if j + 8 <= stop {
                        let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                        if SWAR.has(w, SWAR.quoteWord) | SWAR.has(w, SWAR.crWord) | SWAR.has(w, SWAR.lfWord) == 0 {
                            cr = false
                            j += 8
                            continue
                        }
                    }
                    let b = base[j]
                    if b == ASCII.quote { break }
                    if b == ASCII.lf {
                        if !cr { line += 1 }
                        cr = false
                    } else if b == ASCII.cr {
                        line += 1
                        cr = true
                    } else {
                        cr = false
                    }
                    j += 1
                }
                lastWasCR = cr
                let length = j - i
                recordBytes += length
                if field.count + length > maxField || recordBytes > maxLine {
                    throw limitError(fieldLength: field.count + length)
                }
                if j == n {
                    field.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
                    i = n
                    break
                }
                // At the quote: closing, or the first half of "".
                field.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
                recordBytes += 1
                i = j + 1
                state = .quoteInQuoted

            case .quoteInQuoted:
                let b = base[i]
                if b == ASCII.quote {
                    field.append(ASCII.quote)
                    if field.count > maxField { throw limitError(fieldLength: field.count) }
                    recordBytes += 1
                    lastWasCR = false
                    state = .quoted
                    i += 1
                } else if b == delim || b == ASCII.lf || b == ASCII.cr {
                    try endFieldFromBuffer()
                    recordBytes += 1
                    i += 1
                    try afterTerminator(b, emit)
                } else {
                    // Text after the closing quote: keep it, as an unquoted continuation.
                    state = .unquoted
                }
            }
        }
    }

    /// Ends the input: the last record, or an error for an unterminated quoted field.
    mutating func finish(_ emit: (Row) throws -> Void) throws {
        switch state {
        case .quoted:
            throw JixiaoError(.corrupt,
                              "quoted field is not closed before the end of the file / 引号字段在文件结束前未闭合",
                              at: Location(file: file, line: fieldLine))
        case .unquoted, .quoteInQuoted:
            try endFieldFromBuffer()
            try endRecord(emit)
        case .fieldStart:
            if col > 0 { try endRecord(emit) }   // "a,b," at the end without a line break
        }
        state = .fieldStart
    }

    // MARK: - Fields and records

    private mutating func afterTerminator(_ b: UInt8, _ emit: (Row) throws -> Void) throws {
        state = .fieldStart
        if b == delimiter {
            col += 1
        } else {
            line += 1
            if b == ASCII.cr { skipLF = true }
            try endRecord(emit)
        }
    }

    private mutating func endFieldFromBuffer() throws {
        try field.withUnsafeBufferPointer { try endField($0) }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endField(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard bytes.count > 0 else { return }
        guard col <= Int(CellRef.maxCol) else {
            throw JixiaoError(.limitExceeded,
                              "more than \(Int(CellRef.maxCol) + 1) columns (Excel's limit, column XFD) / 超过 16384 列",
                              at: Location(file: file, line: recordLine))
        }
        if let raw {
            if skipFirstRecord { return }
            let number = inferNumbers ? NumberInference.number(bytes) : nil
            if number == nil && !validUTF8 && UTF8Validation.validate(bytes) != .valid { throw invalidUTF8(bytes) }
            try raw.field(recordIndex, col, bytes, number)
            raw.any = true
            return
        }
        let value: CellValue
        if inferNumbers, let d = NumberInference.number(bytes) {
            value = .number(d)
        } else if validUTF8 {
            value = .string(String(decoding: bytes, as: UTF8.self))
        } else if let s = CSVParser.string(bytes) {
            value = .string(s)
        } else {
            throw invalidUTF8(bytes)
        }
        cells.append(Cell(col: UInt16(col), value: value))
    }

    private mutating func endRecord(_ emit: (Row) throws -> Void) throws {
        col = 0
        recordBytes = 0
        if skipFirstRecord {
            skipFirstRecord = false
            cells.removeAll()
            return
        }
        if let raw {
            if raw.any {
                raw.any = false
                try raw.end(recordIndex)
            }
        } else if !cells.isEmpty {
            let row = Row(index: recordIndex, cells: cells.take())
            try emit(row)
        }
        guard recordIndex < UInt32.max else {
            throw JixiaoError(.limitExceeded, "more than \(UInt32.max) records", at: Location(file: file, line: line))
        }
        recordIndex += 1
    }

    /// The String of valid UTF-8, nil for anything else. `String(decoding:)` is the stdlib's fast, non-generic
    /// path; it repairs invalid bytes with U+FFFD, so a result that differs from the input means invalid input.
    /// ASCII input cannot be repaired, so the comparison is skipped for it.
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var s = String(decoding: bytes, as: UTF8.self)
        if isASCII(bytes) { return s }
        let same = s.withUTF8 { u in
            u.count == bytes.count && (u.count == 0 || memcmp(u.baseAddress!, bytes.baseAddress!, u.count) == 0)
        }
        return same ? s : nil
    }

    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= n {
            acc |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        var tail: UInt8 = 0
        while i < n { tail |= p[i]; i += 1 }
        return acc & 0x8080_8080_8080_8080 == 0 && tail & 0x80 == 0
    }

    private func invalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> JixiaoError {
        let detail: String
        switch UTF8Validation.validate(bytes) {
        case .invalid(let k): detail = String(format2: bytes[k])
        case .incomplete: detail = "the field ends inside a UTF-8 sequence"
        case .valid: detail = ""
        }
        return JixiaoError(.invalidValue, "bytes that are not valid UTF-8 text / 含有不符合 UTF-8 编码的字节",
                           at: Location(file: file, line: fieldLine), underlying: detail)
    }

    private func limitError(fieldLength: Int) -> JixiaoError {
        if fieldLength > maxField {
            return JixiaoError(.limitExceeded,
                               "field longer than maxCSVField (\(maxField) bytes) / 字段超过长度上限",
                               at: Location(file: file, line: fieldLine))
        }
        return JixiaoError(.limitExceeded,
                           "record longer than maxCSVLine (\(maxLine) bytes) / 行超过长度上限",
                           at: Location(file: file, line: recordLine))
    }
}

/// Word-at-a-time byte search ("SIMD within a register").
enum SWAR {
    @inline(__always) static func word(_ b: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(b) }
    static var crWord: UInt64 { 0x0D0D_0D0D_0D0D_0D0D }
    static var lfWord: UInt64 { 0x0A0A_0A0A_0A0A_0A0A }
    static var quoteWord: UInt64 { 0x2222_2222_2222_2222 }
    /// Non-zero when some byte of `w` equals the byte repeated in `pattern`.
    @inline(__always) static func has(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let v = w ^ pattern
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
    }
}

/// The cells of the record being parsed, moved (not copied) into a right-sized array when the record ends.
final class CellScratch {
    private var base: UnsafeMutablePointer<Cell>
    private var capacity = 64
    private(set) var count = 0

    init() { base = .allocate(capacity: 64) }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    @inline(__always)
    func append(_ cell: Cell) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Cell>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: cell)
        count += 1
    }

    /// The cells as an array of exactly their count; the scratch is empty afterwards.
    func take() -> [Cell] {
        let n = count
        count = 0
        return [Cell](unsafeUninitializedCapacity: n) { buf, initialized in
            buf.baseAddress!.moveInitialize(from: base, count: n)
            initialized = n
        }
    }
}

/// The receivers of a raw-mode parse: each field as bytes (with its number when it reads as one), then the end of
/// each record that had a field. The bytes are valid UTF-8 and valid only during the call.
final class RawFields {
    let field: (_ record: UInt32, _ col: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ number: Double?) throws -> Void
    let end: (_ record: UInt32) throws -> Void
    var any = false

    init(field: @escaping (UInt32, Int, UnsafeBufferPointer<UInt8>, Double?) throws -> Void,
         end: @escaping (UInt32) throws -> Void) {
        self.field = field
        self.end = end
    }
}
