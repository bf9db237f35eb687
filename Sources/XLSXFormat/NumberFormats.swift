/// What a number format makes of a number: a plain number, a date/time, or an elapsed duration.
public enum NumberFormatKind: Sendable, Hashable {
    case number
    case date
    case duration
}

/// Date detection from number formats (ECMA-376 18.8.30 built-ins and custom format codes).
public enum NumberFormats {
    /// Built-in format ids that are dates or times: 14–22, 45–47, and the CJK (zh-CN/zh-TW/ja/ko) ids
    /// 27–36 and 50–58 (`yyyy"年"m"月"` ...). 46 (`[h]:mm:ss`) is an elapsed duration.
    public static func builtinKind(_ id: Int) -> NumberFormatKind {
        switch id {
        case 46: return .duration
        case 14...22, 45, 47, 27...36, 50...58: return .date
        default: return .number
        }
    }

    /// Classifies a custom format code. Only the first section counts (before `;`). Text in quotes,
    /// characters escaped with `\` or following `_`/`*`, and `[...]` sections (`[Red]`, `[$-804]`) are skipped;
    /// a y/m/d/h/s outside them makes a date; `[h]`, `[mm]`, `[ss]` make an elapsed duration; `AM/PM`, `A/P`
    /// too make a date.
    public static func kind(ofFormatCode code: String) -> NumberFormatKind {
        var escaped = false
        var inQuote = false
        var brackets = 0
        var bracketText: [UInt8] = []
        var afterA = false
        for b in code.utf8 {
            if escaped { escaped = false; continue }
            if inQuote {
                if b == UInt8(ascii: "\"") { inQuote = false }
                continue
            }
            if brackets > 0 {
                if b == UInt8(ascii: "]") {
                    brackets -= 1
                    if brackets == 0, isElapsed(bracketText) { return .duration }
                    bracketText.removeAll()
                } else if b == UInt8(ascii: "[") {
                    brackets += 1
                } else {
                    bracketText.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                escaped = true
            case UInt8(ascii: "\""):
                inQuote = true
            case UInt8(ascii: ";"):
                return .number
            case UInt8(ascii: "["):
                brackets = 1
                bracketText.removeAll()
            case UInt8(ascii: "a"), UInt8(ascii: "A"):
                afterA = true
            case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "m"), UInt8(ascii: "M"), UInt8(ascii: "h"), UInt8(ascii: "H"),
                 UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "s"), UInt8(ascii: "S"):
                return .date
            case UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "/"):
                if afterA { return .date }
            default:
                break
            }
        }
        return .number
    }

    /// `h`, `hh`, `m`, `mm`, `s`, `ss` (one letter repeated) inside brackets: an elapsed-time token.
    private static func isElapsed(_ t: [UInt8]) -> Bool {
        guard let f = t.first else { return false }
        let l = f | 0x20
        guard l == UInt8(ascii: "h") || l == UInt8(ascii: "m") || l == UInt8(ascii: "s") else { return false }
        return t.allSatisfy { $0 | 0x20 == l }
    }
}
