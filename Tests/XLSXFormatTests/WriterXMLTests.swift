import Testing
import XMLStream

@Suite("XMLWriter")
struct WriterXMLTests {
    private func text(_ s: String) -> String {
        let w = XMLWriter()
        w.text(s)
        return String(decoding: w.finish(), as: UTF8.self)
    }

    private func attribute(_ s: String) -> String {
        let w = XMLWriter()
        w.start("a"); w.attribute("v", s); w.endEmpty()
        return String(decoding: w.finish(), as: UTF8.self)
    }

    @Test func escapesMarkupCharacters() {
        #expect(text("a&b<c>\"d\"") == "a&amp;b&lt;c&gt;\"d\"")
        #expect(attribute("a&b<c>\"d\"") == "<a v=\"a&amp;b&lt;c&gt;&quot;d&quot;\"/>")
        #expect(text("项目决策（20%）") == "项目决策（20%）")
    }

    @Test func controlCharactersBecomeOOXMLEscapes() {
        #expect(text("a\u{1}b") == "a_x0001_b")
        #expect(text("a\r\nb") == "a_x000D_\nb")
        #expect(text("\u{1F}") == "_x001F_")
        #expect(text("x\u{FFFE}\u{FFFF}y") == "x_xFFFE__xFFFF_y")
        #expect(text("tab\there\nline") == "tab\there\nline")
        #expect(attribute("tab\there\nline") == "<a v=\"tab&#9;here&#10;line\"/>")
    }

    @Test func literalEscapeSequencesAreProtected() {
        #expect(text("_x0041_") == "_x005F_x0041_")
        #expect(text("a_x00e9_b_x12") == "a_x005F_x00e9_b_x12")
        #expect(text("_xyz_ and _x004G_") == "_xyz_ and _x004G_")
        #expect(text("__x0000_") == "__x005F_x0000_")
    }

    @Test func numbers() {
        let cases: [(Double, String)] = [
            (12, "12"), (-3, "-3"), (0, "0"), (-0.0, "0"), (-0.5, "-0.5"), (0.1, "0.1"),
            (1e20, "1e+20"), (123456789012345, "123456789012345"), (1.0 / 3.0, "0.3333333333333333"),
            (-1.5e-7, "-1.5e-07"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        ]
        for (d, s) in cases {
            let w = XMLWriter()
            w.number(d)
            #expect(String(decoding: w.finish(), as: UTF8.self) == s, "\(d)")
            #expect(Double(s) == d || (d == 0 && Double(s) == 0))
        }
        let w = XMLWriter()
        w.integer(Int64.min); w.byte(32); w.integer(Int64.max)
        #expect(String(decoding: w.finish(), as: UTF8.self) == "-9223372036854775808 9223372036854775807")
    }

    @Test func whitespacePreserveDetection() {
        #expect(XMLWriter.needsSpacePreserve(" a"))
        #expect(XMLWriter.needsSpacePreserve("a\n"))
        #expect(!XMLWriter.needsSpacePreserve("a b"))
        #expect(!XMLWriter.needsSpacePreserve(""))
    }

    @Test func streamsInChunksWithTheSameBytes() throws {
        var chunks: [[UInt8]] = []
        let streaming = XMLWriter(chunkSize: 1024) { chunks.append($0) }
        let memory = XMLWriter()
        for w in [streaming, memory] {
            w.declaration()
            w.open("root")
            for i in 0..<2000 {
                w.start("r"); w.attribute("i", i); w.endStart(); w.text("行 \(i) & <x>"); w.close("r")
                try w.flushIfNeeded()
            }
            w.close("root")
        }
        try streaming.flush()
        let whole = memory.finish()
        #expect(chunks.count > 10)
        #expect(chunks.allSatisfy { $0.count < 1024 + 64 })
        #expect(Array(chunks.joined()) == whole)
        #expect(streaming.count == UInt64(whole.count))
    }
}
