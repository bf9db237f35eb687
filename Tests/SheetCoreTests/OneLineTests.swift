import SheetCore
import Testing

@Suite("OneLine: file-borne text on one terminal line")
struct OneLineTests {
    @Test("plain text, tabs and Chinese are kept as they are")
    func plain() {
        for s in ["", "附件2.xlsx!附件2!F23: 得分 5 > 分值 4", "a\tb", "émoji 😀"] { #expect(OneLine.escape(s) == s) }
    }

    @Test("line breaks, C0/C1 controls, DEL, separators and bidi overrides are escaped")
    func escaped() {
        #expect(OneLine.escape("a\nb\r\nc") == #"a\nb\r\nc"#)
        #expect(OneLine.escape("x\u{1B}[2Jy\u{7F}\u{85}") == #"x\u{1B}[2Jy\u{7F}\u{85}"#)
        #expect(OneLine.escape("名\u{202E}xslx.exe\u{2028}\u{2066}") == #"名\u{202E}xslx.exe\u{2028}\u{2066}"#)
        #expect(OneLine.escape("\u{0}") == #"\u{0}"#)
    }
}
