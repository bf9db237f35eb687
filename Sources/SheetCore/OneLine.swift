/// Text that comes from a file (its name, a sheet name, a cell) made safe for one line of a terminal or log:
/// error lines on standard error must stay one line and must not carry terminal escape sequences.
public enum OneLine {
    /// `text` with line breaks shown as `\n` / `\r`, other control characters (C0 except tab, DEL, C1) and the
    /// line/paragraph separators and bidirectional overrides (U+2028, U+2029, U+202A–U+202E, U+2066–U+2069)
    /// as `\u{…}`. Text without any of them is returned as it is.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            guard needsEscape(s) else { out.append(s); continue }
            switch s.value {
            case 0x0A: out.append(contentsOf: "\\n".unicodeScalars)
            case 0x0D: out.append(contentsOf: "\\r".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 { return v != 0x09 }
        if v < 0x7F { return false }
        return v <= 0x9F || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
    }
}
