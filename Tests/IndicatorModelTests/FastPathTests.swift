import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// The shortcuts of the model (copy-on-write indicators, cached tree walks, first-scalar label test, byte code
/// test, memoised criteria findings) against the plain rules they stand for, on varied inputs.
struct FastPathTests {
    static let pieces = ["合计", "总分", "总计", "综合得分", "小计", "注", "注：", "备注", "说明:", "填表说明", "附注", "附件",
                         "：", ":", "(", "（", "[", "分", "项目", "A", "a", "1", "１", " ", "\u{3000}", "\u{200B}",
                         "\u{F900}", "\u{2F800}", "合\u{301}", "\t", "\n", "类账", "管理", "评价", "Ａ"]

    static func randomText(_ rng: inout SeededRNG, pieces: [String], maxCount: Int = 5) -> String {
        let n = Int(rng.next() % UInt64(maxCount + 1))
        return (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    @Test func labelKindShortcutAgreesWithTheRule() {
        var rng = SeededRNG(seed: 7)
        for _ in 0..<5_000 {
            let label = FastPathTests.randomText(&rng, pieces: FastPathTests.pieces)
            #expect(TreeBuilder.labelKind(label) == TreeBuilder.labelKindUncached(label), "\(label.debugDescription)")
        }
        for label in ["合计", " 合计：", "合计(分)", "总分类账管理", "注：本表", "小计", "　小计", "项目决策", "综合得分"] {
            #expect(TreeBuilder.labelKind(label) == TreeBuilder.labelKindUncached(label), "\(label)")
        }
    }

    /// The Character rules `checkCode` used before the byte shortcut.
    static func codeFitsByCharacters(_ code: String, parent: String?) -> Bool {
        if let parent {
            let suffix = code.hasPrefix(parent) ? code.dropFirst(parent.count) : ""
            return !suffix.isEmpty && suffix.count <= 2 && suffix.allSatisfy(\.isASCII) && suffix.allSatisfy(\.isNumber)
        }
        return code.count == 1 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    @Test func codeShortcutAgreesWithTheCharacterRules() {
        let pieces = ["A", "B", "a", "Z", "1", "2", "0", "9", "12", ".", "\r", "\n", "\r\n", "一", "１", "Ａ", "\u{301}", " "]
        var rng = SeededRNG(seed: 11)
        for _ in 0..<20_000 {
            let code = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 4)
            let parent: String? = rng.next() % 4 == 0 ? nil
                : (rng.next() % 2 == 0 ? String(code.prefix(Int(rng.next() % 3))) : FastPathTests.randomText(&rng, pieces: pieces, maxCount: 3))
            let expected = FastPathTests.codeFitsByCharacters(code, parent: parent)
            let fast = Validator.codeFits(code, parent: parent)
            #expect(fast == nil || fast == expected, "\(code.debugDescription) under \(parent.debugDescription)")
        }
        #expect(Validator.codeFits("A12", parent: "A1") == true)
        #expect(Validator.codeFits("A123", parent: "A1") == true)
        #expect(Validator.codeFits("A1234", parent: "A1") == false)
        #expect(Validator.codeFits("B1", parent: "A") == false)
        #expect(Validator.codeFits("A", parent: nil) == true)
        #expect(Validator.codeFits("1", parent: "") == true)
        #expect(Validator.codeFits("", parent: "") == false)
        #expect(Validator.codeFits("一", parent: nil) == nil)
    }

    @Test func indicatorCopiesAreIndependentValues() {
        let leaf = Indicator(code: "A11", name: "管理制度", level: 3, weight: 2, score: 1, criteria: "得满分")
        var parent = Indicator(code: "A1", name: "项目立项", level: 2, children: [leaf, leaf])
        let before = parent
        parent.children[1].code = "A12"
        parent.children[0].score = nil
        parent.name = "立项"
        #expect(before.children[1].code == "A11")
        #expect(before.children[0].score == 1)
        #expect(before.name == "项目立项")
        #expect(parent.children.map(\.code) == ["A11", "A12"])
        #expect(parent != before)
        var again = before
        #expect(again == before && again.hashValue == before.hashValue)
        again.target = "≥95%"
        #expect(again != before && before.target == nil)
        // Equal fields make equal indicators whatever their boxes.
        let twin = Indicator(code: "A11", name: "管理制度", level: 3, weight: 2, score: 1, criteria: "得满分")
        #expect(twin == leaf && twin.hashValue == leaf.hashValue)
        #expect(String(describing: leaf).hasPrefix("Indicator(code: \"A11\", name: \"管理制度\""))
    }

    @Test func frameworkWalksFollowTheTree() {
        func leaf(_ c: String) -> Indicator { Indicator(code: c, name: c, level: 3, weight: 1) }
        let a1 = Indicator(code: "A1", name: "x", level: 2, children: [leaf("A11"), leaf("A12")])
        let b1 = Indicator(code: "B1", name: "y", level: 2, children: [leaf("B11")])
        var f = Framework(file: "f", sheet: "s", levels: 3,
                          roots: [Indicator(code: "A", name: "A", level: 1, children: [a1]),
                                  Indicator(code: "B", name: "B", level: 1, children: [b1])])
        #expect(f.leaves.map(\.code) == ["A11", "A12", "B11"])
        #expect(f.allNodes.map(\.code) == ["A", "A1", "A11", "A12", "B", "B1", "B11"])
        #expect(f.parents.map(\.code) == ["A", "A1", "B", "B1"])
        let copy = f
        f.roots[0].children[0].children[1].score = 1
        f.roots[1].children[0].children.append(leaf("B12"))
        #expect(f.leaves.map(\.code) == ["A11", "A12", "B11", "B12"])
        #expect(f.leaves[1].score == 1)
        #expect(copy.leaves.map(\.code) == ["A11", "A12", "B11"])
        #expect(copy.leaves[1].score == nil)
        f.roots = []
        #expect(f.leaves.isEmpty && f.allNodes.isEmpty && f.parents.isEmpty)
        #expect(copy.allNodes.count == 7)
        // The cache is not shown either.
        #expect(!String(describing: copy).contains("walks"))
        #expect(String(describing: copy).hasPrefix("Framework(file: \"f\", sheet: \"s\", title: nil"))
        // The cache takes no part in equality.
        var g = copy
        _ = g.leaves
        g.roots = copy.roots
        #expect(g == copy && g.hashValue == copy.hashValue)
    }

    @Test func memoisedCriteriaFindingsAreTheUncachedOnes() {
        let texts = ["规范，得满分；部分规范，得权重的60%；不规范，不得分。", "该指标权重15分，酌情得0-2分", "①…得0.5分；②…得0.5分；③…得0.5分",
                     "满意度≥90%得满分；80%≤满意度<90%得3分；低于80%得3分。", "", "存在一项问题扣0.5分，扣完为止。"]
        for t in texts {
            for w in [0.0, -0.0, 1, 2, 3, 15, .nan] {
                let a = Validator.criteriaFindings(t, weight: w).map { "\($0.rule) \($0.tail)" }
                let b = Validator.criteriaFindingsUncached(t, weight: w).map { "\($0.rule) \($0.tail)" }
                #expect(a == b, "\(t) \(w)")
                // Twice: the remembered answer is the same.
                #expect(Validator.criteriaFindings(t, weight: w).map { "\($0.rule) \($0.tail)" } == b)
            }
        }
    }

    static let textPieces = ["合计", " ", "\u{3000}", "\u{A0}", "\u{200B}", "\u{FEFF}", "\r", "\n", "\r\n", "a", "Ｚ", "分", "é", "e\u{301}",
                             "😀", "（", "）", "20", "%", "：", "\t", "权重", "满分", "分值", ":", ".", "１２", "\u{302A}", "\u{F900}"]

    /// `clean` as it was before the byte-level shortcut (its scalar path, for every text).
    static func cleanByScalars(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        var lo = 0, hi = scalars.count
        while lo < hi && TextKit.isSpace(scalars[lo]) { lo += 1 }
        while hi > lo && TextKit.isSpace(scalars[hi - 1]) { hi -= 1 }
        if lo == 0 && hi == scalars.count && !s.contains("\r") { return s }
        var out = String.UnicodeScalarView()
        var i = lo
        while i < hi {
            let u = scalars[i]
            if u == "\r" {
                if i + 1 < hi && scalars[i + 1] == "\n" { i += 1; continue }
                out.append("\n")
            } else {
                out.append(u)
            }
            i += 1
        }
        return String(out)
    }

    @Test func byteLevelCleanAndStringBuildingAgreeWithScalars() {
        var rng = SeededRNG(seed: 23)
        for _ in 0..<5_000 {
            let t = FastPathTests.randomText(&rng, pieces: FastPathTests.textPieces, maxCount: 6)
            let cleaned = TextKit.clean(t)
            #expect(Array(cleaned.unicodeScalars) == Array(FastPathTests.cleanByScalars(t).unicodeScalars), "\(t.debugDescription)")
            #expect(Array(TextKit.string(t.unicodeScalars).unicodeScalars) == Array(t.unicodeScalars))
            let key = TextKit.key(t)
            var expected = String.UnicodeScalarView()
            for u in t.unicodeScalars where !TextKit.isSpace(u) {
                var f = TextKit.fold(u)
                if f.value >= 65 && f.value <= 90 { f = Unicode.Scalar(f.value + 32)! }
                expected.append(f)
            }
            #expect(Array(key.unicodeScalars) == Array(expected))
        }
    }

    @Test func weightInBracketsShortcutAgreesWithCharacters() {
        let pieces = ["权重", "权重分", "分值", "满分", "标准分", "分数", ":", "：", " ", "20", "12.5", "%", "％", "分", "１", "-", "+",
                      "\u{301}", "é", "\u{302A}", "\r\n", "\u{F900}", "a", "."]
        var rng = SeededRNG(seed: 31)
        for _ in 0..<10_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 4)
            let folded = ArraySlice(t.unicodeScalars.map(TextKit.fold))
            #expect(NameParser.weightInBrackets(folded) == NameParser.weightInBracketsByCharacters(folded), "\(t.debugDescription)")
        }
    }

    @Test func asciiLetterTestIsTheAlphabeticProperty() {
        for v in 0..<128 {
            let u = Unicode.Scalar(UInt8(v))
            let lower = u.value | 0x20
            #expect((lower >= 97 && lower <= 122) == u.properties.isAlphabetic, "\(v)")
        }
    }

    @Test func namesParseTheSameWhateverTheMemo() {
        let pieces = ["A", "B1", "12", ".", "、", "项目决策", "（", "）", "(", ")", "20%", "12分", "权重", "：", " ", "\u{3000}", "一",
                      "（一）", "1.", "说明", "Ａ", "ab", "【", "】", "\u{301}", "\r\n"]
        var rng = SeededRNG(seed: 47)
        for _ in 0..<3_000 {
            let raw = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 6)
            #expect(NameParser.parse(raw) == NameParser.parseUncached(raw), "\(raw.debugDescription)")
            #expect(NameParser.parse(raw) == NameParser.parseUncached(raw), "\(raw.debugDescription)")
        }
    }

    @Test func simpleNameShapesParseLikeTheGeneralParser() {
        let pieces = ["A", "B", "Z", "a", "Ａ", "1", "12", "0", ".", "、", "项目决策", "管理", "一", "十", "四", "㐀", "䷀", "（", "）",
                      "(", ")", "20", "12.5", "1.", ".5", "%", "％", "分", "权重", " ", "\u{3000}", "：", "【", "】", "\u{301}", "\r\n", "é"]
        var rng = SeededRNG(seed: 53)
        var taken = 0
        for _ in 0..<20_000 {
            let raw = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 7)
            guard let fast = NameParser.parseSimple(raw) else { continue }
            taken += 1
            #expect(fast == NameParser.parseUncached(raw), "\(raw.debugDescription)")
        }
        #expect(taken > 200)
        for raw in ["A1.项目立项（12分）", "A11.管理制度", "A.决策（24分）", "项目决策（20%）", "B2、项目管理(12.5分)", "C部门绩效（３０％）",
                    "A1部门目标（12分）", "四、管理", "一、决策", "A1.（12分）", "A1.项目立项（12分）（说明）"] {
            if let fast = NameParser.parseSimple(raw) {
                #expect(fast == NameParser.parseUncached(raw), "\(raw)")
            }
        }
        #expect(NameParser.parseSimple("A1.项目立项（12分）") != nil)
        #expect(NameParser.parseSimple("项目决策（20%）") != nil)
        #expect(NameParser.parseSimple("一、决策") == nil)
    }

    @Test func labelListTestsAgreeWithStringOperations() {
        let pieces = ["单位", "名称", "填报", "(", ")", "盖章", "附件", "附表", "表", "部门", "1", "\u{F900}", "\u{8C48}", "e\u{301}", "é",
                      "a", "\u{3000}", "\n"]
        var rng = SeededRNG(seed: 67)
        for _ in 0..<5_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 4)
            #expect(TreeBuilder.isAny(t, of: TreeBuilder.organisationLabels) == TreeBuilder.organisationLabels.contains(t), "\(t.debugDescription)")
            #expect(TreeBuilder.hasAnyPrefix(t, of: TreeBuilder.titlePrefixes) == TreeBuilder.titlePrefixes.contains { t.hasPrefix($0) },
                    "\(t.debugDescription)")
        }
        for _ in 0..<5_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces + ["单位名称", "填报单位(盖章)", " ", "附件1：项目支出绩效评价指标体系"], maxCount: 5)
            if !TreeBuilder.mayBeOrganisationLabel(t) {
                #expect(!TreeBuilder.organisationLabels.contains(TextKit.key(t)), "\(t.debugDescription)")
            }
        }
        for w in TreeBuilder.organisationLabels { #expect(TreeBuilder.mayBeOrganisationLabel(" " + w + " ")) }
        for w in TreeBuilder.organisationLabels + TreeBuilder.titlePrefixes {
            #expect(w.unicodeScalars.allSatisfy(TextKit.isOwnCharacter), "\(w)")
        }
    }

    @Test func textsTooLongForARoleHaveNone() {
        let pieces = ["一级", "指标", "分值", "(分)", "（%）", "偏差原因分析及改进措施", "数据来源", "(佐证材料)", " ", "\u{3000}", "\n", "附件1：",
                      "项目支出绩效评价指标体系", "a", "é", "e\u{301}", "(", ")"]
        var rng = SeededRNG(seed: 71)
        var long = 0
        for _ in 0..<5_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 6)
            guard HeaderMatcher.tooLongForARole(t) else { continue }
            long += 1
            #expect(HeaderMatcher.roleUncached(of: t) == nil, "\(t.debugDescription)")
        }
        #expect(long > 100)
        for (_, names) in HeaderMatcher.synonyms {
            for name in names { #expect(!HeaderMatcher.tooLongForARole(name + "（分）"), "\(name)") }
        }
    }

    @Test func labelsNeedNoCleaning() {
        let pieces = FastPathTests.pieces + ["\r", "\r\n", "\u{A0}", "\u{FEFF}", "计"]
        var rng = SeededRNG(seed: 73)
        for _ in 0..<5_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 5)
            let cleaned = TextKit.text(.string(t))
            #expect((TreeBuilder.uncleanedText(.string(t)) != nil) == (cleaned != nil), "\(t.debugDescription)")
            if let cleaned {
                #expect(TreeBuilder.labelKind(t) == TreeBuilder.labelKind(cleaned), "\(t.debugDescription)")
                #expect(TreeBuilder.labelKindUncached(t) == TreeBuilder.labelKindUncached(cleaned), "\(t.debugDescription)")
            }
        }
        #expect(TreeBuilder.uncleanedText(.number(3)) == "3")
        #expect(TreeBuilder.uncleanedText(.string(" \u{3000}\r\n")) == nil)
    }

    @Test func colonLabelsAndTitleWordsAgreeWithTheGeneralPath() {
        let pieces = ["附件", "1", "：", ":", "填报单位", "单位名称", "某某局", " ", "\u{3000}", "\n", "项目", "绩效评价指标体系", "表", "附表",
                      "e\u{301}", "\u{F900}", "Ａ", "a", "评价", "(盖章)", "（", "）"]
        var rng = SeededRNG(seed: 89)
        for _ in 0..<10_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 6)
            let fast = TreeBuilder.colonLabel(t), general = TreeBuilder.colonLabelGeneral(t)
            #expect(fast?.label == general?.label && fast?.organisation == general?.organisation, "\(t.debugDescription)")
            #expect(TreeBuilder.containsAny(t, TreeBuilder.titleWords) == TreeBuilder.titleWords.contains { TextKit.contains(t, $0) },
                    "\(t.debugDescription)")
        }
        #expect(TreeBuilder.colonLabel("附件1：项目支出绩效评价指标体系")?.label == "附件1")
        #expect(TreeBuilder.colonLabel("填报单位：某某局 2024年")?.organisation == "某某局")
    }

    @Test func normalisedTreesAreRolledUpAsRollUpWould() throws {
        // Parents are rolled up while the tree is made; `RollUp.apply` must find nothing to change.
        var rng = SeededRNG(seed: 97)
        for _ in 0..<200 {
            var values: [[CellValue]] = [["一级指标", "二级指标", "三级指标", "分值", "得分"].map { CellValue.string($0) }]
            var l1 = "", l2 = ""
            for r in 0..<Int(rng.next() % 12 + 1) {
                if rng.next() % 3 == 0 || l1.isEmpty { l1 = "A\(r)决策" }
                if rng.next() % 2 == 0 || l2.isEmpty { l2 = "A\(r)1立项" }
                let weight: CellValue = rng.next() % 5 == 0 ? .empty : .number(Double(rng.next() % 20) / 2)
                let score: CellValue = rng.next() % 4 == 0 ? .empty : .number(Double(rng.next() % 10) / 4)
                values.append([.string(l1), .string(l2), .string("指标\(r)"), weight, score])
            }
            let f = try Normaliser.normalise(Grid(name: "s", values: values), file: "f.xlsx")
            #expect(RollUp.applied(f) == f)
        }
    }

    @Test func mergeSpansAnswerLikeTheCellIndex() {
        var rng = SeededRNG(seed: 59)
        var columns = ColumnMap()
        columns.levels = [0, 1, 2]
        columns.weight = 3
        columns.score = 5
        columns.criteria = 6
        for round in 0..<300 {
            // Rows with gaps, merges of every shape (overlapping ones now and then), header at row 1.
            var rows: [Row] = []
            var r: UInt32 = 0
            for _ in 0..<Int(rng.next() % 25) {
                rows.append(Row(index: r, cells: [Cell(col: 0, value: .string("x"))]))
                r += UInt32(1 + rng.next() % 3)
            }
            var merged: [CellRange] = []
            for _ in 0..<Int(rng.next() % 8) {
                let r0 = UInt32(rng.next() % 40), c0 = UInt16(rng.next() % 8)
                let r1 = r0 + UInt32(rng.next() % 10), c1 = c0 + UInt16(rng.next() % 3)
                merged.append(CellRange(first: CellRef(row: r0, col: c0), last: CellRef(row: r1, col: c1)))
            }
            if round % 2 == 0 { merged.sort { ($0.first.row, $0.first.col) < ($1.first.row, $1.first.col) } }
            let grid = Grid(info: SheetInfo(name: "s"), rows: rows, merged: merged)
            let spans = TreeBuilder(grid: grid, file: "f", columns: columns, headerRow: 1)
            let index = TreeBuilder(grid: grid, file: "f", columns: columns, headerRow: 1, forceMergeIndex: true)
            #expect(index.usesMergeIndex)
            for row in rows {
                for c in UInt16(0)..<10 {
                    let ref = CellRef(row: row.index, col: c)
                    #expect(spans.mergeTop(ref) == index.mergeTop(ref), "round \(round) \(ref) merges \(merged)")
                }
            }
        }
    }

    @Test func scalarContainsAgreesWithFoundation() {
        let pieces = ["附件", "附表", "评价", "绩效", "指标体系", "指标", "体系", "项目", "1", "：", " ", "é", "e\u{301}", "\u{F900}", "\n", "表"]
        var rng = SeededRNG(seed: 61)
        for _ in 0..<3_000 {
            let t = FastPathTests.randomText(&rng, pieces: pieces, maxCount: 6)
            for w in TreeBuilder.titleWords {
                #expect(TextKit.contains(t, w) == t.contains(w), "\(t.debugDescription) \(w)")
            }
        }
    }

    @Test func headerRowReadTheSameWithOrWithoutMergesOverIt() {
        let header: [CellValue] = [.string("一级指标"), .string("二级\n指标"), .string("三级指标"), .string("分值（分）"),
                                   .string("得分"), .string("指标解释"), .string("评分标准"), .string("数据来源")]
        let title: [CellValue] = [.string("附件1：评价指标体系")] + Array(repeating: .empty, count: 7)
        let plain = Grid(name: "s", values: [title, header])
        // A merge over the header row from the row above sends the row down the general path.
        let merged = Grid(name: "s", values: [title, header],
                          merged: [CellRange(first: CellRef(row: 0, col: 8), last: CellRef(row: 1, col: 8))])
        let a = HeaderMatcher.match(plain, row: 1)
        let b = HeaderMatcher.match(merged, row: 1)
        #expect(a != nil && a == b)
        #expect(a?.levels == [0, 1, 2] && a?.weight == 3 && a?.score == 4 && a?.criteria == 6 && a?.source == 7)
        #expect(HeaderMatcher.match(plain, row: 0) == nil)
    }
}
