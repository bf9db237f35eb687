/// UTF-8 validation on bytes, with an ASCII fast path (8 bytes at a time).
enum UTF8Validation {
    enum Result: Equatable {
        /// All bytes are valid UTF-8.
        case valid
        /// Valid up to `validCount`, then a sequence that the buffer ends inside of (more bytes may complete it).
        case incomplete(validCount: Int)
        /// Valid up to `validCount`, then a byte that cannot be there.
        case invalid(validCount: Int)
    }

    /// Validates `bytes`; `nonASCIILimit` stops early (returning `.valid` for what was seen) once that many
    /// multi-byte sequences were found valid, for detection on a prefix. `seen` receives the number of multi-byte
    /// sequences checked.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>, nonASCIILimit: Int = .max, seen: inout Int) -> Result {
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else { return .valid }
        var i = 0
        var multi = 0
        defer { seen = multi }
        while i < n {
            // ASCII fast path, eight bytes at a time.
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            guard i < n else { break }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            let len: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF   // bounds for the second byte
            switch b0 {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F             // no surrogates
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F             // <= U+10FFFF
            default: return .invalid(validCount: i)
            }
            // Check what is there; a sequence cut by the end of the buffer is incomplete, not invalid.
            for k in 1..<len {
                guard i + k < n else { return .incomplete(validCount: i) }
                let b = base[i + k]
                if k == 1 {
                    if b < lo || b > hi { return .invalid(validCount: i) }
                } else if b & 0xC0 != 0x80 {
                    return .invalid(validCount: i)
                }
            }
            i += len
            multi += 1
            if multi >= nonASCIILimit { return .valid }
        }
        return .valid
    }

    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        var seen = 0
        return validate(bytes, seen: &seen)
    }
}
