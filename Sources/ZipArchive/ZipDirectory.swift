import SheetCore

/// Finds the entries of an archive: from the central directory when it is there and sound, otherwise by
/// scanning the local file headers.
struct ZipDirectory {
    let storage: ZipStorage
    let name: String
    let limits: ReadLimits

    struct Parsed {
        var entries: [ZipEntry]
        var recovered: Bool
    }

    /// A central-directory problem worth a local-header scan.
    struct Damaged: Error {
        var reason: String
    }

    var location: Location { Location(file: name) }

    func parse() throws -> Parsed {
        let s = storage
        if s.count == 0 {
            throw JixiaoError(.notAWorkbook, "empty file (0 bytes), not an XLSX workbook / 空文件，不是 XLSX 工作簿",
                              at: location)
        }
        if s.count >= 8 {
            let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
            if (0..<8).allSatisfy({ s.u8($0) == ole[$0] }) {
                throw JixiaoError(.encrypted,
                                  "an OLE/CFB container, not a ZIP: an encrypted (password-protected) workbook or a legacy .xls file; remove the password or save it as .xlsx / 文件已加密（设有密码）或为旧版 .xls 格式，请去除密码或另存为 .xlsx",
                                  at: location)
            }
        }
        var problem: String?
        if let eocd = findEOCD() {
            do {
                return Parsed(entries: try central(eocd), recovered: false)
            } catch let d as Damaged {
                problem = d.reason
            }
        }
        let hasLocalHeader = s.find(3, 4, from: 0) != nil
        if hasLocalHeader {
            let scanned = try scan()
            if !scanned.isEmpty { return Parsed(entries: scanned, recovered: true) }
        }
        if let problem, hasLocalHeader {
            throw JixiaoError(.corrupt, "damaged ZIP archive: \(problem) / ZIP 结构损坏", at: location)
        }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        if base.hasPrefix("~$") {
            throw JixiaoError(.notAWorkbook,
                              "an Excel lock file (~$…, written while the workbook is open in Excel), not a workbook; open the file without ~$ / 这是 Excel 打开文件时生成的临时锁定文件，不是工作簿",
                              at: location)
        }
        if s.isSignature(0, 3, 4) {
            throw JixiaoError(.truncated, "the ZIP archive is incomplete: its central directory is missing (file cut short?) / 文件不完整", at: location)
        }
        throw JixiaoError(.notAWorkbook, "not a ZIP archive, so not an XLSX workbook" + (ZipDirectory.guessKind(s).map { ": \($0)" } ?? "")
                          + " / 不是 XLSX 工作簿（不是 ZIP 格式）", at: location)
    }

    /// What a file that is not a ZIP most likely is, from its first bytes, with what to do about it: systems
    /// that "export to Excel" often write a web page, an Excel 2003 XML spreadsheet or CSV text under an
    /// .xlsx/.xls name. `nil` when it is none of these.
    static func guessKind(_ s: ZipStorage) -> String? {
        let n = min(s.count, 2048)
        var head = [UInt8](repeating: 0, count: n)
        for i in 0..<n { head[i] = s.u8(i) }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            return "it is UTF-16 text (Excel's \"Unicode text\"): give it a .txt or .csv name, or save it as .xlsx (这是文本文件，请改为 .csv/.txt 或另存为 .xlsx)"
        }
        var body = head[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        while let c = body.first, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { body = body.dropFirst() }
        let lower = String(decoding: body.prefix(1024).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        if lower.hasPrefix("%pdf") { return "it is a PDF document (这是 PDF 文件)" }
        if lower.hasPrefix("{\\rtf") { return "it is an RTF document (这是 RTF 文档)" }
        if lower.hasPrefix("mime-version:") || lower.contains("multipart/related") {
            return "it is a single-file web page (MHT) with an Excel name: open it in Excel or WPS and save it as .xlsx (这是网页文件，请用 Excel/WPS 打开后另存为 .xlsx)"
        }
        if lower.hasPrefix("<") {
            if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
                return "it is an Excel 2003 XML spreadsheet: open it in Excel or WPS and save it as .xlsx (这是 Excel 2003 XML 表格，请另存为 .xlsx)"
            }
            if lower.contains("<html") || lower.contains("<table") || lower.contains("<!doctype html") {
                return "it is a web page (HTML) with an Excel name: open it in Excel or WPS and save it as .xlsx (这是网页文件，请用 Excel/WPS 打开后另存为 .xlsx)"
            }
            return nil
        }
        // Text: no NUL and no other C0 control than tab and line breaks in the first bytes, and a field separator.
        let text = !body.isEmpty && !body.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if text && body.contains(where: { $0 == 0x2C || $0 == 0x3B || $0 == 0x09 }) {
            return "it is text (CSV) with an Excel name: rename it to .csv (这是 CSV 文本文件，请改扩展名为 .csv)"
        }
        return nil
    }

    // MARK: - End of central directory

    /// The offset of the last plausible end-of-central-directory record (the comment can be up to 64 KiB).
    func findEOCD() -> Int? {
        let s = storage
        guard s.count >= 22 else { return nil }
        let lowest = max(0, s.count - 22 - 0xFFFF)
        var p = s.count - 22
        while p >= lowest {
            if s.u8(p) == 0x50, s.isSignature(p, 5, 6) {
                let commentLength = Int(s.u16(p + 20))
                if s.has(p + 22, commentLength) { return p }
            }
            p -= 1
        }
        return nil
    }

    // MARK: - Central directory

    func central(_ eocd: Int) throws -> [ZipEntry] {
        let s = storage
        var total = UInt64(s.u16(eocd + 10))
        var cdSize = UInt64(s.u32(eocd + 12))
        var cdOffset = UInt64(s.u32(eocd + 16))
        var cdEnd = eocd
        var zip64 = false
        if eocd >= 20, s.isSignature(eocd - 20, 6, 7) {
            let stated = s.u64(eocd - 20 + 8)
            var record: Int?
            if let o = intOrNil(stated), s.isSignature(o, 6, 6), s.has(o, 56) {
                record = o
            } else if eocd >= 76, s.isSignature(eocd - 76, 6, 6) {
                record = eocd - 76  // a prefix moved it; a record without extensible data sits right here
            }
            if let r = record {
                total = s.u64(r + 32)
                cdSize = s.u64(r + 40)
                cdOffset = s.u64(r + 48)
                cdEnd = r
                zip64 = true
            } else {
                throw Damaged(reason: "the ZIP64 end-of-central-directory record is missing")
            }
        }
        // (maxZipEntries is enforced on the records really present, below: a damaged count is no reason to stop.)
        if total == 0 { return [] }

        // Where the directory really is: normally at its stated offset; after a prefix, `cdSize` bytes before
        // the end record. Prefer the latter (it does not depend on the offsets being right).
        var start: Int?
        if cdSize <= UInt64(cdEnd), s.isSignature(cdEnd - Int(cdSize), 1, 2) {
            start = cdEnd - Int(cdSize)
        } else if let o = intOrNil(cdOffset), o < cdEnd, s.isSignature(o, 1, 2) {
            start = o
        }
        guard let cdStart = start else {
            throw Damaged(reason: "no central directory at offset \(cdOffset)")
        }
        guard let statedOffset = intOrNil(cdOffset) else { throw Damaged(reason: "central directory offset out of range") }
        let shift = cdStart - statedOffset

        var entries: [ZipEntry] = []
        var pos = cdStart
        while pos < cdEnd, s.isSignature(pos, 1, 2) {
            guard s.has(pos, 46) else { throw Damaged(reason: "central directory record \(entries.count + 1) is cut short") }
            let flags = s.u16(pos + 8)
            let method = s.u16(pos + 10)
            let time = s.u16(pos + 12)
            let date = s.u16(pos + 14)
            let crc = s.u32(pos + 16)
            var csize = UInt64(s.u32(pos + 20))
            var usize = UInt64(s.u32(pos + 24))
            let nameLength = Int(s.u16(pos + 28))
            let extraLength = Int(s.u16(pos + 30))
            let commentLength = Int(s.u16(pos + 32))
            var offset = UInt64(s.u32(pos + 42))
            let variable = nameLength + extraLength + commentLength
            guard s.has(pos + 46, variable) else {
                throw Damaged(reason: "central directory record \(entries.count + 1) runs past the end of the file")
            }
            let raw = s.array(pos + 46, nameLength)
            if let z = zip64Extra(at: pos + 46 + nameLength, length: extraLength) {
                var q = z.start
                if usize == 0xFFFF_FFFF, q + 8 <= z.end { usize = s.u64(q); q += 8 }
                if csize == 0xFFFF_FFFF, q + 8 <= z.end { csize = s.u64(q); q += 8 }
                if offset == 0xFFFF_FFFF, q + 8 <= z.end { offset = s.u64(q); q += 8 }
            }
            if entries.count >= limits.maxZipEntries {
                throw limit("maxZipEntries", "the archive has more than maxZipEntries (\(limits.maxZipEntries)) entries")
            }
            entries.append(ZipEntry(name: ZipNames.decode(raw, flags: flags), rawName: raw, method: method,
                                    flags: flags, crc32: crc, compressedSize: csize, uncompressedSize: usize,
                                    localHeaderOffset: offset, modTime: time, modDate: date))
            pos += 46 + variable
        }
        let found = UInt64(entries.count)
        if found != total && !(!zip64 && found > total && found & 0xFFFF == total) {
            throw Damaged(reason: "the central directory lists \(total) entries but holds \(found)")
        }

        // Local headers: apply the prefix shift (or not, whichever finds a header), then check that every
        // entry's data lies inside the file, before the directory, and that no two entries share bytes.
        var spans: [(start: Int, end: Int, index: Int)] = []
        spans.reserveCapacity(entries.count)
        for i in entries.indices {
            guard let stated = intOrNil(entries[i].localHeaderOffset) else {
                throw Damaged(reason: "the local header offset of \(entries[i].name) is out of range")
            }
            var lho: Int?
            if let shifted = add(stated, shift), s.isSignature(shifted, 3, 4) {
                lho = shifted
            } else if s.isSignature(stated, 3, 4) {
                lho = stated
            }
            guard let at = lho, s.has(at, 30) else {
                throw Damaged(reason: "no local header for \(entries[i].name)")
            }
            entries[i].localHeaderOffset = UInt64(at)
            let dataStart = at + 30 + Int(s.u16(at + 26)) + Int(s.u16(at + 28))
            guard let cs = intOrNil(entries[i].compressedSize), let end = add(dataStart, cs), end <= cdStart else {
                throw Damaged(reason: "the data of \(entries[i].name) runs past the start of the central directory")
            }
            spans.append((at, end, i))
        }
        spans.sort { $0.start < $1.start }
        for k in spans.indices.dropFirst() where spans[k].start < spans[k - 1].end {
            let a = entries[spans[k - 1].index].name, b = entries[spans[k].index].name
            throw JixiaoError(.unsafe,
                              "entries \(a) and \(b) overlap (they share compressed bytes, a zip-bomb technique); refusing the file / ZIP 条目相互重叠，疑似压缩炸弹",
                              at: Location(file: name, part: b))
        }
        return entries
    }

    /// The payload of the ZIP64 extended-information extra field (id 0x0001), if present.
    func zip64Extra(at start: Int, length: Int) -> (start: Int, end: Int)? {
        let s = storage
        var q = start
        let end = start + length
        while q + 4 <= end {
            let id = s.u16(q), size = Int(s.u16(q + 2))
            let payload = q + 4
            if payload + size > end { return nil }
            if id == 0x0001 { return (payload, payload + size) }
            q = payload + size
        }
        return nil
    }

    func limit(_ which: String, _ message: String, part: String? = nil) -> JixiaoError {
        JixiaoError(.limitExceeded, "limit \(which) exceeded: \(message)", at: Location(file: name, part: part))
    }

    // MARK: - Local header scan

    /// Walks the local file headers from the start of the file. Used when the central directory is missing
    /// or damaged. Throws `.truncated` when the file ends inside an entry.
    func scan() throws -> [ZipEntry] {
        let s = storage
        var entries: [ZipEntry] = []
        var pos = 0
        // Bytes inflated or searched so far. Fake headers inside damaged data each start a search to the end of
        // the file; the budget keeps a crafted file from making that quadratic.
        var work = 0
        // Input plus output bytes: a sound archive needs at most its size plus its parts' sizes (ratio ≤ 200).
        let budget = max(s.count.multipliedReportingOverflow(by: 256).overflow ? Int.max : s.count * 256, 64 << 20)
        func spend(_ n: Int) throws {
            work = add(work, n) ?? Int.max
            if work > budget {
                throw JixiaoError(.corrupt, "the ZIP archive is too damaged to recover its parts / ZIP 结构损坏，无法恢复",
                                  at: location)
            }
        }
        while let p = s.find(3, 4, from: pos) {
            guard s.has(p, 30) else {
                throw JixiaoError(.truncated, "the file ends inside a ZIP local header (offset \(p)) / 文件不完整",
                                  at: location)
            }
            let flags = s.u16(p + 6)
            let method = s.u16(p + 8)
            let time = s.u16(p + 10)
            let date = s.u16(p + 12)
            var crc = s.u32(p + 14)
            var csize = UInt64(s.u32(p + 18))
            var usize = UInt64(s.u32(p + 22))
            let nameLength = Int(s.u16(p + 26))
            let extraLength = Int(s.u16(p + 28))
            guard s.has(p + 30, nameLength + extraLength) else {
                throw JixiaoError(.truncated, "the file ends inside a ZIP local header (offset \(p)) / 文件不完整",
                                  at: location)
            }
            let raw = s.array(p + 30, nameLength)
            let entryName = ZipNames.decode(raw, flags: flags)
            if let z = zip64Extra(at: p + 30 + nameLength, length: extraLength) {
                var q = z.start
                if usize == 0xFFFF_FFFF, q + 8 <= z.end { usize = s.u64(q); q += 8 }
                if csize == 0xFFFF_FFFF, q + 8 <= z.end { csize = s.u64(q); q += 8 }
            }
            let dataStart = p + 30 + nameLength + extraLength
            var next: Int
            if flags & 8 != 0 && flags & 1 == 0 && (method == 8 || method == 0) {
                // Sizes follow the data: find where it ends.
                if method == 8 {
                    let measured = try measure(from: dataStart, part: entryName)
                    try spend(measured.work)
                    guard let m = measured.result else { pos = p + 4; continue }
                    csize = UInt64(m.consumed)
                    usize = m.size
                    crc = m.crc
                    var d = dataStart + m.consumed
                    if s.isSignature(d, 7, 8) { d += 4 }
                    // 32-bit or 64-bit sizes in the descriptor.
                    if s.has(d, 20), s.u64(d + 4) == csize, s.u64(d + 12) == usize {
                        next = d + 20
                    } else {
                        next = min(d + 12, s.count)
                    }
                } else {
                    var q = dataStart
                    var found: Int?
                    while let c = s.find(7, 8, from: q) {
                        if s.has(c, 16), UInt64(s.u32(c + 8)) == UInt64(c - dataStart) { found = c; break }
                        q = c + 1
                    }
                    try spend((found ?? s.count) - dataStart)
                    guard let c = found else {
                        throw JixiaoError(.truncated, "the file ends inside part \(entryName) / 文件不完整",
                                          at: Location(file: name, part: entryName))
                    }
                    crc = s.u32(c + 4)
                    csize = UInt64(c - dataStart)
                    usize = csize
                    next = c + 16
                }
            } else {
                guard let cs = intOrNil(csize), let end = add(dataStart, cs), end <= s.count else {
                    throw JixiaoError(.truncated, "the file ends inside part \(entryName) / 文件不完整",
                                      at: Location(file: name, part: entryName))
                }
                next = end
            }
            if entries.count >= limits.maxZipEntries {
                throw limit("maxZipEntries", "the archive has more than maxZipEntries (\(limits.maxZipEntries)) entries")
            }
            entries.append(ZipEntry(name: entryName, rawName: raw, method: method, flags: flags, crc32: crc,
                                    compressedSize: csize, uncompressedSize: usize, localHeaderOffset: UInt64(p),
                                    modTime: time, modDate: date))
            pos = max(next, p + 4)
            if s.isSignature(pos, 1, 2) || s.isSignature(pos, 5, 6) || s.isSignature(pos, 6, 6) { break }
        }
        return entries
    }

    /// Inflates a deflate stream of unknown length to find its end: nil when the data is not valid deflate,
    /// with the work done (input + output bytes) either way. Throws `.truncated` when the file ends first,
    /// `.limitExceeded` for a bomb.
    func measure(from start: Int, part: String) throws
        -> (result: (consumed: Int, size: UInt64, crc: UInt32)?, work: Int) {
        let inflater = try Inflater()
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
        defer { scratch.deallocate() }
        var size: UInt64 = 0
        var crc: UInt32 = 0
        var seen = 0
        let result: (Inflater.Stop, consumed: Int)
        do {
            result = try inflater.run(storage.slice(start, storage.count - start), window: { scratch }) { n, consumed in
                crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: scratch[0..<n]), seed: crc)
                size += UInt64(n)
                seen = consumed
                try ZipReader.checkLimits(limits, out: size, consumed: UInt64(consumed), alreadyRead: 0,
                                          declared: nil, location: Location(file: name, part: part))
            }
        } catch is InflateFailure {
            return (nil, seen + Int(clamping: size))
        }
        if result.0 != .end {
            throw JixiaoError(.truncated, "the file ends inside part \(part) / 文件不完整", at: Location(file: name, part: part))
        }
        return ((result.consumed, size, crc), result.consumed + Int(clamping: size))
    }
}
