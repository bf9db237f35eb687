import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// The byte-level shortcuts of this round (string equality and prefix on the bytes, the per-table criteria
/// memo, one probe per code) against the plain rules they stand for, on varied inputs.
struct ByteShortcutTests {
    static let pieces = ["A", "1", ".", "项目", "立项", "（", "）", "(", "分", "12", "é", "e\u{301}", "\u{F900}", "\u{8C48}",
                         "\u{302A}", "\u{3099}", "か", "\u{FF21}", " ", "\u{3000}", "\r\n", "😀", "Å", "A\u{30A}"]

    @Test func equalStringsIsStringEquality() {
        var rng = SeededRNG(seed: 21)
        for _ in 0..<20_000 {
            let a = FastPathTests.randomText(&rng, pieces: ByteShortcutTests.pieces, maxCount: 4)
            // Often the same text, or one spelled another way.
            let b: String
            switch rng.next() % 4 {
            case 0: b = a
            case 1: b = a + FastPathTests.randomText(&rng, pieces: ByteShortcutTests.pieces, maxCount: 2)
            case 2: b = String(a.reversed())
            default: b = FastPathTests.randomText(&rng, pieces: ByteShortcutTests.pieces, maxCount: 4)
            }
            #expect(TextKit.equalStrings(a, b) == (a == b), "\(a.debugDescription) \(b.debugDescription)")
            #expect(TextKit.bytesStart(b, with: a) == b.utf8.starts(with: a.utf8))
            #expect(TextKit.sameBytes(a, b) == a.utf8.elementsEqual(b.utf8))
        }
        // Canonically equivalent spellings: equal as Strings, not as bytes.
        #expect(TextKit.equalStrings("e\u{301}", "\u{E9}"))
        #expect(TextKit.equalStrings("\u{F900}", "\u{8C48}"))
        #expect(!TextKit.sameBytes("\u{F900}", "\u{8C48}"))
    }

    @Test func sameParentAgreesWithItsRule() {
        var rng = SeededRNG(seed: 22)
        let names = ["A1项目立项", "A1项目立项（6分）", "A1项目立项（6分）", "A1.项目立项", "A11管理制度", "A1项目立项(6分)", "e\u{301}", "\u{E9}",
                     "\u{F900}项目", "\u{8C48}项目", "A1项目立项（8分）"]
        func rule(_ above: String, _ text: String) -> Bool {
            if above == text { return true }
            let (short, long) = above.utf8.count <= text.utf8.count ? (above, text) : (text, above)
            guard !short.isEmpty, long.utf8.starts(with: short.utf8) else { return false }
            let a = NameParser.parse(above), t = NameParser.parse(text)
            guard !a.name.isEmpty, a.code == t.code, a.name == t.name else { return false }
            return a.weight == nil || t.weight == nil || (a.weight == t.weight && a.unit == t.unit)
        }
        for _ in 0..<2_000 {
            let a = names[Int(rng.next() % UInt64(names.count))], b = names[Int(rng.next() % UInt64(names.count))]
            #expect(TreeBuilder.sameParent(a, b) == rule(a, b), "\(a) \(b)")
        }
    }

    @Test func perTableCriteriaMemoGivesTheMemoisedFindings() {
        var recent = Validator.RecentCriteria(capacity: 3)
        var rng = SeededRNG(seed: 23)
        let texts = ["规范，得满分；部分规范，得权重的60%；不规范，不得分。", "该指标权重15分，酌情得0-2分", "①…得0.5分；②…得0.5分",
                     "", "e\u{301}得1分", "\u{E9}得1分", "存在一项问题扣0.5分，扣完为止。"]
        for _ in 0..<500 {
            let t = texts[Int(rng.next() % UInt64(texts.count))]
            let w = [0.0, -0.0, 1, 2, 15][Int(rng.next() % 5)]
            let a = recent.findings(t, weight: w).map { "\($0.rule) \($0.tail)" }
            let b = Validator.criteriaFindingsUncached(t, weight: w).map { "\($0.rule) \($0.tail)" }
            #expect(a == b, "\(t) \(w)")
        }
        #expect(recent.weights.count == 3)
    }

    /// A row below the header with a number in it is never a sub-header; rows of texts are looked at as before.
    @Test func subHeaderRowsWithNumbersAreNone() {
        let header: [CellValue] = [.string("一级指标"), .empty, .string("二级指标"), .empty, .string("得分")]
        let below: [[CellValue]] = [
            [.string("名称"), .string("分值"), .string("名称"), .string("分值"), .empty],
            [.string("名称"), .number(5), .string("名称"), .string("分值"), .empty],
            [.string("A.决策（24分）"), .number(2), .string("A1"), .empty, .number(2)],
            [.string("名称"), .string("分值"), .string("名称"), .string("分值"), .bool(true)],
        ]
        for (i, row) in below.enumerated() {
            let grid = Grid(name: "s", values: [header, row])
            var map = ColumnMap()
            map.levels = [0, 2]
            map.score = 4
            let sub = HeaderMatcher.subHeader(grid, below: 0, map)
            #expect((sub != nil) == (i == 0), "row \(i)")
        }
    }

    /// Duplicate codes found with one probe per code are those a plain dictionary of Strings finds, first node and all.
    @Test func duplicateCodesAreTheDictionaryOnes() {
        var rng = SeededRNG(seed: 24)
        let pieces = ["A", "1", "12", "B", "甲", "ABCDEFG", "H", "\0", "e\u{301}", "\u{E9}"]
        for _ in 0..<400 {
            var leaves: [Indicator] = []
            for k in 0..<Int(rng.next() % 8) {
                let code = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 2)
                leaves.append(Indicator(code: code, name: "n\(k)", level: 2, weight: 1))
            }
            let root = Indicator(code: "A", name: "决策", level: 1, children: leaves)
            let f = Framework(file: "f", sheet: "s", levels: 2, roots: [root])
            var expected: [String] = []
            var seen: [String: Int] = [:]
            let nodes = f.allNodes
            for (i, n) in nodes.enumerated() {
                if let j = seen[n.code] {
                    expected.append("code \(n.code) is used twice: “\(n.rawName)” and “\(nodes[j].rawName)” (\(nodes[j].cell.map(\.description) ?? ""))")
                } else {
                    seen[n.code] = i
                }
            }
            var run = Validator.Run(f: f)
            run.checkCodes()
            let got = run.findings.filter { $0.rule == "code-duplicate" }.map(\.message)
            #expect(got == expected, "\(nodes.map(\.code))")
        }
    }

    @Test func groupHeaderWordShortcutAgreesWithTheSet() {
        var rng = SeededRNG(seed: 25)
        let pieces = ["评价", "指标", "体系", "序号", " ", "\u{3000}", "考核", "内容", "名称", "附件", "1", "：", "e\u{301}", "\u{F900}", "绩效"]
        for _ in 0..<5_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 5)
            #expect(HeaderMatcher.isGroupHeaderWord(t) == HeaderMatcher.groupHeaderWords.contains(TextKit.key(t)), "\(t)")
        }
    }

    @Test func duplicateCodesNameTheFirstNode() {
        let leaf = { (code: String, name: String) in Indicator(code: code, name: name, level: 2, weight: 1) }
        let root = Indicator(code: "A", name: "决策", level: 1, children: [leaf("A1", "甲"), leaf("A1", "乙"), leaf("A1", "丙")])
        let f = Framework(file: "f", sheet: "s", levels: 2, roots: [root])
        let dups = Validator.validate(f).filter { $0.rule == "code-duplicate" }
        #expect(dups.count == 2)
        #expect(dups.allSatisfy { $0.message.contains("and “甲”") })
    }
}

/// The memo table of the model's pure text functions: every answer is the function's, whatever was remembered,
/// cleared or left out (texts that share a hash sample, a full probe window, a small capacity).
struct SampledMemoTests {
    @Test func answersAreTheFunctionsWhateverIsRemembered() {
        var rng = SeededRNG(seed: 26)
        // Long texts that differ only between the sampled bytes share a sample (and so a hash).
        let stem = String(repeating: "评", count: 20)
        let pieces = ["a", "甲", "e\u{301}", "\u{E9}", stem + "x" + stem, stem + "y" + stem, "", " ", "规范，得满分"]
        for capacity in [1, 3, 50, 5_000] {
            let memo = SampledMemo<String>(capacity: capacity)
            for _ in 0..<3_000 {
                let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 3)
                let extra = rng.next() % 3
                let f = "\(t.utf8.count):\(Array(t.utf8)):\(extra)"
                #expect(memo.value(t, extra: extra) { f } == f)
                #expect(memo.entries <= capacity)
            }
        }
    }

    /// Pairs that differ only in a weight (high bits of a Double) or in the sampled bytes spread over the slots:
    /// a batch's few criteria texts times its weights are all remembered.
    @Test func weightsAndTextsSpreadOverTheSlots() {
        let memo = SampledMemo<Int>(capacity: 8192)
        var calls = 0
        let texts = ["规范，得满分；部分规范，得权重的60%；不规范，不得分。", "符合，得满分；不符合，不得分。", "存在一项问题扣0.5分，扣完为止。",
                     "完成率100%得满分，每降低1%扣权重的2%，扣完为止。", "满意度≥90%得满分；80%≤满意度<90%得权重的80%；低于80%不得分。"]
        for _ in 0..<3 {
            for t in texts {
                for w in stride(from: 0.5, through: 20, by: 0.5) {
                    _ = memo.value(t, extra: w.bitPattern) { calls += 1; return 0 }
                }
            }
        }
        // Each pair computed once (a rare full probe window may cost a pair a second computation).
        #expect(calls >= texts.count * 40 && calls <= texts.count * 40 + 4, "\(calls)")
    }

    @Test func rememberedValuesAreReused() {
        let memo = SampledMemo<Int>(capacity: 100)
        var calls = 0
        for _ in 0..<5 {
            for t in ["合计", "小计", "A1项目立项", String(repeating: "长", count: 40)] {
                _ = memo.value(t) { calls += 1; return t.count }
            }
        }
        #expect(calls == 4)
    }
}

/// An indicator keeps its path as its parent's path and its own last name: the path reads back as given, and
/// indicators with the same path are equal (and hash alike) however it was given.
struct IndicatorPathTests {
    @Test func pathReadsBackAndComparesWhole() {
        var rng = SeededRNG(seed: 27)
        let names = ["A.决策", "A1.项目立项", "A11.管理制度", "", "B", "e\u{301}"]
        for _ in 0..<500 {
            let path = (0..<Int(rng.next() % 5)).map { _ in names[Int(rng.next() % UInt64(names.count))] }
            let a = Indicator(code: "A", name: "n", level: 1, path: path)
            #expect(a.path == path)
            var b = Indicator(code: "A", name: "n", level: 1, path: ["x", "y"])
            b.path = path
            #expect(b.path == path && a == b && a.hashValue == b.hashValue)
            var c = b
            c.path.append("z")
            #expect(c.path == path + ["z"] && c != b && b.path == path)
        }
    }

    @Test func normalisedLeavesHaveTheirWholePath() throws {
        let grid = Grid(name: "s", values: [
            [.string("一级指标"), .string("二级指标"), .string("三级指标"), .string("分值"), .string("得分")],
            [.string("A.决策"), .string("A1.项目立项"), .string("A11.管理制度"), .number(2), .number(1)],
            [.string("A.决策"), .string("A1.项目立项"), .string("A12.培训"), .number(3), .number(2)],
            [.string("A.决策"), .string("A2.绩效目标"), .string("A21.立项依据"), .number(5), .number(5)],
        ])
        let f = try Normaliser.normalise(grid, file: "f")
        #expect(f.leaves.map(\.path) == [["A.决策", "A1.项目立项", "A11.管理制度"], ["A.决策", "A1.项目立项", "A12.培训"],
                                          ["A.决策", "A2.绩效目标", "A21.立项依据"]])
        #expect(f.roots.map(\.path) == [["A.决策"]])
        #expect(f.parents.map(\.path) == [["A.决策"], ["A.决策", "A1.项目立项"], ["A.决策", "A2.绩效目标"]])
    }
}
