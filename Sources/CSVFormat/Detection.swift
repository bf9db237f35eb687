/// Encoding and delimiter detection.
enum Detection {
    /// Multi-byte sequences that, all valid, settle "this is UTF-8" without reading further.
    static let utf8Evidence = 4096
    /// Valid multi-byte UTF-8 sequences before the first invalid byte that still make the file UTF-8 (with a bad
    /// byte the parser then reports at its line): GBK/GB18030 text almost never holds even a few valid UTF-8
    /// sequences in a row, while a UTF-8 file with one stray byte (a Windows-1252 no-break space pasted in, a
    /// GBK line appended) used to be decoded as GB18030 and refused at line 1 with a misleading message.
    static let utf8EvidenceBeforeInvalid = 16
    /// How much decoded text the delimiter is guessed from.
    static let delimiterSample = 64 * 1024
    static let delimiterRecords = 50

    /// The encoding a byte-order mark names, and the BOM's length.
    static func bom(_ bytes: UnsafeBufferPointer<UInt8>) -> CSVEncoding? {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return .utf8BOM }
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return .utf16le }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return .utf16be }
        return nil
    }

    /// UTF-16 without a BOM, recognised by its zero bytes: text with ASCII delimiters and digits has a zero
    /// high byte in many code units (odd offsets for LE, even for BE), and UTF-8 or GB18030 text has no zeros.
    static func utf16WithoutBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> CSVEncoding? {
        let n = min(bytes.count, 4096) & ~1
        guard n >= 4 else { return nil }
        var even = 0, odd = 0
        for i in stride(from: 0, to: n, by: 2) {
            if bytes[i] == 0 { even += 1 }
            if bytes[i + 1] == 0 { odd += 1 }
        }
        let units = n / 2
        if odd * 4 >= units && even * 8 <= odd { return .utf16le }
        if even * 4 >= units && odd * 8 <= even { return .utf16be }
        return nil
    }

    /// Detection state over successive chunks: nil while undecided.
    struct EncodingScan {
        var evidence = 0
        var decided: CSVEncoding?
        /// Bytes of a sequence cut at the end of the last chunk.
        var carry: [UInt8] = []

        /// Looks at the next chunk; `last` says it ends the file.
        mutating func scan(_ chunk: UnsafeBufferPointer<UInt8>, last: Bool) {
            guard decided == nil else { return }
            var data = carry
            data.append(contentsOf: chunk)
            carry = []
            var seen = 0
            let r = data.withUnsafeBufferPointer {
                UTF8Validation.validate($0, nonASCIILimit: Detection.utf8Evidence - evidence, seen: &seen)
            }
            evidence += seen
            switch r {
            case .invalid:
                decided = evidence >= Detection.utf8EvidenceBeforeInvalid ? .utf8 : .gb18030
            case .incomplete(let k):
                if last { decided = .gb18030 } else { carry = Array(data[k...]) }
            case .valid:
                if evidence >= Detection.utf8Evidence || last { decided = .utf8 }
            }
        }
    }

    /// The encoding of a whole buffer (BOM, else UTF-16 by its zero bytes, else valid UTF-8, else GB18030).
    static func encoding(ofWhole bytes: UnsafeBufferPointer<UInt8>) -> CSVEncoding {
        if let b = bom(bytes) ?? utf16WithoutBOM(bytes) { return b }
        var s = EncodingScan()
        s.scan(bytes, last: true)
        return s.decided ?? .utf8
    }

    /// Excel's delimiter directive: a first line `sep=X` (after an optional BOM) names the delimiter X.
    static func sepHint(_ text: UnsafeBufferPointer<UInt8>) -> UInt8? {
        var i = 0
        if text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF { i = 3 }
        guard text.count >= i + 5 else { return nil }
        let tag = Array(text[i..<(i + 4)]).map { $0 | 0x20 }
        guard tag == Array("sep=".utf8).map({ $0 | 0x20 }) else { return nil }
        let d = text[i + 4]
        guard d >= 0x20 || d == ASCII.tab, d < 0x80, d != ASCII.quote else { return nil }
        guard text.count == i + 5 || text[i + 5] == ASCII.cr || text[i + 5] == ASCII.lf else { return nil }
        return d
    }

    /// Guesses the delimiter among `,` `;` and tab from UTF-8 text: per record (outside quotes), the count of each
    /// candidate; the candidate whose most common count is non-zero and shared by the most records wins, then the
    /// larger count, then the order `,` `;` tab. Defaults to a comma. `complete` says the text is the whole file
    /// (otherwise the last, possibly cut, record is not counted).
    static func delimiter(_ text: UnsafeBufferPointer<UInt8>, complete: Bool) -> UInt8 {
        let candidates: [UInt8] = [ASCII.comma, ASCII.semicolon, ASCII.tab]
        var counts: [[Int]] = [[], [], []]
        var current = [0, 0, 0]
        var inQuotes = false
        var recordLength = 0
        var i = 0
        let n = text.count
        var records = 0
        while i < n && records < delimiterRecords {
            let b = text[i]
            i += 1
            if b == ASCII.quote { inQuotes.toggle(); recordLength += 1; continue }
            if inQuotes { recordLength += 1; continue }
            if b == ASCII.lf || b == ASCII.cr {
                if recordLength > 0 {
                    for k in 0..<3 { counts[k].append(current[k]) }
                    records += 1
                }
                current = [0, 0, 0]
                recordLength = 0
                continue
            }
            recordLength += 1
            if b == ASCII.comma { current[0] += 1 } else if b == ASCII.semicolon { current[1] += 1 } else if b == ASCII.tab { current[2] += 1 }
        }
        if complete && i >= n && recordLength > 0 && records < delimiterRecords {
            for k in 0..<3 { counts[k].append(current[k]) }
        }
        var best: (consistency: Double, mode: Int, index: Int)? = nil
        for k in 0..<3 where !counts[k].isEmpty {
            var freq: [Int: Int] = [:]
            for c in counts[k] { freq[c, default: 0] += 1 }
            // Most common count; ties go to the larger count.
            let (mode, hits) = freq.max { a, b in a.value != b.value ? a.value < b.value : a.key < b.key }!
            guard mode > 0 else { continue }
            let consistency = Double(hits) / Double(counts[k].count)
            if let b = best, (b.consistency, b.mode) >= (consistency, mode) { continue }
            best = (consistency, mode, k)
        }
        if let best { return candidates[best.index] }
        // No candidate is common: take any that appears at all, else a comma.
        for k in 0..<3 where counts[k].contains(where: { $0 > 0 }) || current[k] > 0 { return candidates[k] }
        return ASCII.comma
    }
}
