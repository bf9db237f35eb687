#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// Reads CSV (and Excel's tab-separated "Unicode text") into grids.
///
/// Encodings: UTF-8 with or without BOM, GB18030/GBK (via `iconv`), UTF-16 LE/BE (with a BOM, or recognised by
/// its zero bytes). Detection: BOM, else UTF-16 by zero bytes, else valid UTF-8 (judged on the first 4096
/// multi-byte characters, or the whole file if it has fewer), else GB18030. Fields follow RFC 4180 leniently
/// (see `CSVParser`, and `CSVOptions` for numbers); Excel's `sep=X` first line sets the delimiter and is not data.
/// Empty fields store no cell; rows keep their record index, so blank lines leave gaps. Errors are `JixiaoError`s located at `file:line` (physical line, 1-based):
/// `.invalidValue` for bytes that are not valid in the encoding, `.corrupt` for a quoted field that never closes,
/// `.limitExceeded` naming `maxCSVField`, `maxCSVLine` or the in-memory limits, `.io` when the file cannot be read.
public enum CSVReader {
    /// Bytes read from a file at a time.
    static let chunkSize = 256 * 1024

    /// Whole file → one grid named after the file (without extension).
    ///
    /// - Throws: `JixiaoError` located at `path:line`.
    public static func read(path: String, options: CSVOptions = .init()) throws -> Grid {
        var rows: [Row] = []
        var cellCount = 0
        try forEachRow(path: path, options: options) { row in
            try collect(row, into: &rows, cells: &cellCount, limits: options.limits, file: path)
        }
        return Grid(info: SheetInfo(name: sheetName(forFile: path)), rows: rows)
    }

    /// Bytes of a whole file → one grid. `name` is the file name used in errors; the grid is named after it
    /// without the extension.
    public static func read(bytes: [UInt8], name: String, options: CSVOptions = .init()) throws -> Grid {
        var rows: [Row] = []
        var cellCount = 0
        try forEachRow(bytes: bytes, name: name, options: options) { row in
            try collect(row, into: &rows, cells: &cellCount, limits: options.limits, file: name)
        }
        return Grid(info: SheetInfo(name: sheetName(forFile: name)), rows: rows)
    }

    /// Streaming: one `Row` at a time (records without any non-empty field are skipped; `Row.index` is the 0-based
    /// record number). Memory is one chunk plus one record, whatever the file size.
    ///
    /// - Throws: `JixiaoError` located at `path:line`; rows before the error have been handed to `body`.
    public static func forEachRow(path: String, options: CSVOptions, _ body: (Row) throws -> Void) throws {
        try forEachRow(path: path, options: options, chunkSize: chunkSize, body)
    }

    /// `forEachRow(path:)` with a given read size (tests use tiny ones to cut characters, quotes and line ends).
    static func forEachRow(path: String, options: CSVOptions, chunkSize: Int, raw: RawFields? = nil,
                           _ body: (Row) throws -> Void) throws {
        let file = try InputFile(path: path)
        defer { file.close() }
        guard file.isRegular else {
            // A pipe or device (`/dev/stdin`): no look-ahead possible, so read it all, then parse.
            let all = try file.readAll(limit: options.limits.maxPartSize)
            try forEachRow(bytes: all, name: path, options: options, raw: raw, body)
            return
        }

        // Detection looks at the beginning of the file (and further ahead for UTF-8), apart from the main read.
        var sample = [UInt8](repeating: 0, count: Detection.delimiterSample)
        let sampled = try file.fill(&sample, from: 0)
        let sampleComplete = sampled < sample.count
        sample.removeSubrange(sampled...)
        let encoding: CSVEncoding
        if let e = options.encoding {
            encoding = e
        } else if let b = sample.withUnsafeBufferPointer({ Detection.bom($0) ?? Detection.utf16WithoutBOM($0) }) {
            encoding = b
        } else {
            var scan = Detection.EncodingScan()
            sample.withUnsafeBufferPointer { scan.scan($0, last: sampleComplete) }
            var probe = [UInt8]()
            var at = sampled
            while scan.decided == nil {
                if probe.isEmpty { probe = [UInt8](repeating: 0, count: 256 * 1024) }
                let got = try file.fill(&probe, from: at)
                at += got
                probe.withUnsafeBufferPointer { scan.scan(UnsafeBufferPointer(rebasing: $0[0..<got]), last: got < probe.count) }
            }
            encoding = scan.decided!
        }
        let layout = try sample.withUnsafeBufferPointer {
            try detectLayout($0, encoding: encoding, complete: sampleComplete)
        }
        sample = []

        let transcoder = try Transcoder(encoding)
        var parser = CSVParser(delimiter: options.delimiter ?? layout.delimiter, inferNumbers: options.inferNumbers,
                               limits: options.limits, file: path, validUTF8: transcoder.producesValidUTF8)
        parser.skipFirstRecord = layout.sepLine
        parser.raw = raw
        // At least 4 bytes, so that a cut character always fits beside new bytes.
        var buffer = [UInt8](repeating: 0, count: max(4, chunkSize))
        var filled = try file.fill(&buffer, from: 0)
        var offset = filled  // file offset of the end of what is in `buffer`
        var eof = filled < buffer.count
        while true {
            let used: Int
            do {
                used = try buffer.withUnsafeBufferPointer { all in
                    try transcoder.decode(UnsafeBufferPointer(rebasing: all[0..<filled]), final: eof) { piece in
                        try parser.feed(piece, body)
                    }
                }
            } catch let f as DecodeFailure {
                throw invalidBytes(f, file: path, line: parser.line)
            }
            if eof { break }
            // Keep the unused tail (a cut character) in front and read on.
            let tail = filled - used
            if tail > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    for k in 0..<tail { b[k] = b[used + k] }
                }
            }
            let got = try file.fill(&buffer, from: offset, into: tail)
            offset += got
            filled = tail + got
            eof = filled < buffer.count
        }
        try parser.finish(body)
    }

    /// Streaming over bytes in memory (see `forEachRow(path:)`).
    public static func forEachRow(bytes: [UInt8], name: String, options: CSVOptions, _ body: (Row) throws -> Void) throws {
        try forEachRow(bytes: bytes, name: name, options: options, raw: nil, body)
    }

    /// CSV to CSV without cells: like `forEachRow(path:)`, but each field is handed over as its bytes (valid
    /// UTF-8, valid only during the call) with its number when it reads as one, and `endRecord` follows the
    /// fields of each record that had any (the record numbers are those `forEachRow` gives its rows).
    public static func forEachRawField(path: String, options: CSVOptions,
                                       field: (_ record: UInt32, _ col: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ number: Double?) throws -> Void,
                                       endRecord: (_ record: UInt32) throws -> Void) throws {
        try withoutActuallyEscaping(field) { field in
            try withoutActuallyEscaping(endRecord) { endRecord in
                try forEachRow(path: path, options: options, chunkSize: chunkSize,
                               raw: RawFields(field: field, end: endRecord)) { _ in }
            }
        }
    }

    static func forEachRow(bytes: [UInt8], name: String, options: CSVOptions, raw: RawFields?,
                           _ body: (Row) throws -> Void) throws {
        try bytes.withUnsafeBufferPointer { all in
            let encoding = options.encoding ?? Detection.encoding(ofWhole: all)
            let layout = try detectLayout(all, encoding: encoding, complete: true)
            let transcoder = try Transcoder(encoding)
            var parser = CSVParser(delimiter: options.delimiter ?? layout.delimiter, inferNumbers: options.inferNumbers,
                                   limits: options.limits, file: name, validUTF8: transcoder.producesValidUTF8)
            parser.skipFirstRecord = layout.sepLine
            parser.raw = raw
            do {
                _ = try transcoder.decode(all, final: true) { piece in try parser.feed(piece, body) }
            } catch let f as DecodeFailure {
                throw invalidBytes(f, file: name, line: parser.line)
            }
            try parser.finish(body)
        }
    }

    /// What detection decides for the bytes of a whole file: the encoding (BOM, else UTF-16 by zero bytes, else
    /// valid UTF-8, else GB18030) and the delimiter (`sep=X`, else `,` `;` or tab by counting).
    public static func detect(bytes: [UInt8]) -> (encoding: CSVEncoding, delimiter: UInt8) {
        bytes.withUnsafeBufferPointer { all in
            let encoding = Detection.encoding(ofWhole: all)
            let delimiter = (try? detectLayout(all, encoding: encoding, complete: true))?.delimiter ?? ASCII.comma
            return (encoding, delimiter)
        }
    }

    /// What detection decides for a file, from its first 64 KiB.
    ///
    /// - Throws: `JixiaoError(.io)` when the file cannot be read.
    public static func detect(path: String) throws -> (encoding: CSVEncoding, delimiter: UInt8) {
        let file = try InputFile(path: path)
        defer { file.close() }
        var sample = [UInt8](repeating: 0, count: Detection.delimiterSample)
        let got = file.isRegular ? try file.fill(&sample, from: 0) : 0
        let complete = got < sample.count
        sample.removeSubrange(got...)
        return sample.withUnsafeBufferPointer { all in
            var encoding = Detection.bom(all) ?? Detection.utf16WithoutBOM(all)
            if encoding == nil {
                var scan = Detection.EncodingScan()
                scan.scan(all, last: complete)
                encoding = scan.decided ?? .utf8   // undecided: valid UTF-8 so far
            }
            let delimiter = (try? detectLayout(all, encoding: encoding!, complete: complete))?.delimiter ?? ASCII.comma
            return (encoding!, delimiter)
        }
    }

    /// The grid name for a file: its last path component without the extension.
    public static func sheetName(forFile path: String) -> String {
        let last = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(last[..<dot]) }
        return last
    }

    // MARK: - Helpers

    /// Decodes the beginning of the text (ignoring decoding errors there: they are reported while reading) and
    /// finds the delimiter: from Excel's `sep=X` first line when there is one (that line is then not data), else by
    /// counting candidates.
    static func detectLayout(_ raw: UnsafeBufferPointer<UInt8>, encoding: CSVEncoding, complete: Bool) throws
        -> (delimiter: UInt8, sepLine: Bool) {
        let sampleRaw = UnsafeBufferPointer(rebasing: raw[0..<min(raw.count, Detection.delimiterSample)])
        let cut = sampleRaw.count < raw.count || !complete
        var text: [UInt8] = []
        text.reserveCapacity(sampleRaw.count + 16)
        let transcoder = try Transcoder(encoding)
        do {
            _ = try transcoder.decode(sampleRaw, final: !cut) { text.append(contentsOf: $0) }
        } catch is DecodeFailure {
            // Keep what decoded.
        }
        return text.withUnsafeBufferPointer {
            if let d = Detection.sepHint($0) { return (d, true) }
            return (Detection.delimiter($0, complete: !cut), false)
        }
    }

    static func invalidBytes(_ f: DecodeFailure, file: String, line: Int) -> JixiaoError {
        JixiaoError(.invalidValue,
                    "bytes that are not valid \(f.encoding.iconvName) text / 含有不符合 \(f.encoding.iconvName) 编码的字节",
                    at: Location(file: file, line: line), underlying: f.detail)
    }

    static func collect(_ row: Row, into rows: inout [Row], cells: inout Int, limits: ReadLimits, file: String) throws {
        cells += row.cells.count
        if rows.count >= limits.maxRowsInMemory {
            throw JixiaoError(.limitExceeded, "more than maxRowsInMemory (\(limits.maxRowsInMemory)) rows / 行数超过上限",
                              at: Location(file: file))
        }
        if cells > limits.maxCellsInMemory {
            throw JixiaoError(.limitExceeded, "more than maxCellsInMemory (\(limits.maxCellsInMemory)) cells / 单元格数超过上限",
                              at: Location(file: file))
        }
        rows.append(row)
    }
}

/// A file opened for reading with `pread`, so detection can look ahead without moving the main read.
struct InputFile {
    let fd: Int32
    let path: String

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw JixiaoError(.io, "cannot open the file / 无法打开文件", at: Location(file: path),
                              underlying: String(cString: strerror(e)))
        }
        self.fd = fd
        self.path = path
        var st = stat()
        isRegular = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// A regular file (pread works); false for pipes and devices.
    let isRegular: Bool

    /// Everything until the end (for pipes), refusing more than `limit` bytes.
    func readAll(limit: UInt64) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if r < 0 {
                let e = errno
                if e == EINTR { continue }
                throw JixiaoError(.io, "cannot read the file / 无法读取文件", at: Location(file: path),
                                  underlying: String(cString: strerror(e)))
            }
            if r == 0 { return out }
            out.append(contentsOf: chunk[0..<r])
            if UInt64(out.count) > limit {
                throw JixiaoError(.limitExceeded, "input larger than maxPartSize (\(limit) bytes) / 输入超过大小上限",
                                  at: Location(file: path))
            }
        }
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// Reads from `offset` into `buffer[start...]` until it is full or the file ends; returns the bytes read.
    func fill(_ buffer: inout [UInt8], from offset: Int, into start: Int = 0) throws -> Int {
        var total = 0
        let want = buffer.count - start
        while total < want {
            let r = buffer.withUnsafeMutableBytes { b in
                pread(fd, b.baseAddress! + start + total, want - total, off_t(offset + total))
            }
            if r < 0 {
                let e = errno
                if e == EINTR { continue }
                throw JixiaoError(.io, "cannot read the file / 无法读取文件", at: Location(file: path),
                                  underlying: String(cString: strerror(e)))
            }
            if r == 0 { break }
            total += r
        }
        return total
    }
}
