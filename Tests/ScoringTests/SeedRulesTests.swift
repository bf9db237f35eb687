import Foundation
import SheetCore
import Testing
import TestSupport
@testable import Scoring

/// The leaves of the two seed tables, read straight from the golden grids (code, weight, criteria), so
/// that the recogniser is checked on every real 评分标准 text without depending on the normaliser.
enum SeedLeaves {
    struct Leaf {
        var code: String
        var weight: Double
        var criteria: String
        var tableScore: Double?
    }

    static let codeRx = try! NSRegularExpression(pattern: "^([A-C][0-9]*)")
    static let weightRx = try! NSRegularExpression(pattern: "[（(]([0-9.]+)分[）)]")

    static func first(_ rx: NSRegularExpression, _ s: String) -> String? {
        let ns = s as NSString
        guard let m = rx.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return ns.substring(with: m.range(at: 1))
    }

    /// Seed 000: leaf name in D (or C when D is empty), 分值 E, 得分 F, 评分标准 H.
    static func seed000(_ fixture: String = "seed000_project_framework.xlsx") throws -> [Leaf] {
        let g = try GridJSON.golden(fixture).sheets[0]
        var out: [Leaf] = []
        for r in UInt32(2)...UInt32(33) {
            let name = g[r, 3].isEmpty ? g[r, 2].text : g[r, 3].text
            out.append(Leaf(code: first(codeRx, name) ?? name, weight: Double(g[r, 4].text.trimmingCharacters(in: .whitespaces)) ?? -1,
                            criteria: g[r, 7].text, tableScore: Double(g[r, 5].text.trimmingCharacters(in: .whitespaces))))
        }
        return out
    }

    /// Seed 002: leaf name in C with the weight `（2分）`, 得分 D, 指标评分细则 F.
    static func seed002() throws -> [Leaf] {
        let g = try GridJSON.golden("seed002_department_framework.xlsx").sheets[0]
        var out: [Leaf] = []
        for r in UInt32(2)...UInt32(40) {
            let name = g[r, 2].text.replacingOccurrences(of: "[bookmark: _GoBack]", with: "")
            out.append(Leaf(code: first(codeRx, name) ?? name, weight: Double(first(weightRx, name) ?? "") ?? -1,
                            criteria: g[r, 5].text, tableScore: Double(g[r, 3].text.trimmingCharacters(in: .whitespaces))))
        }
        return out
    }
}

@Suite struct SeedRulesTests {
    static let expected000: [String: RuleKind] = [
        "A111": .yesNo, "A121": .yesNo, "A122": .yesNo, "A131": .yesNo, "A132": .yesNo, "A211": .yesNo,
        "A212": .yesNo, "A213": .yesNo, "A221": .yesNo, "A222": .yesNo,
        "B11": .subtractive, "B12": .levels, "B13": .threshold, "B21": .subtractive, "B22": .subtractive,
        "B231": .veto, "B232": .veto, "B311": .levels, "B312": .perIncident, "B321": .levels, "B322": .levels,
        "B323": .levels, "B324": .levels, "B331": .veto, "B332": .veto,
        "C111": .threshold, "C112": .perIncident, "C113": .perIncident, "C114": .perIncident, "C211": .perIncident,
        "C221": .threshold, "C311": .tiers,
    ]

    static let expected002: [String: RuleKind] = [
        "A11": .additive, "A12": .additive, "A13": .discretionary, "A14": .additive, "A15": .additive,
        "A21": .levels, "A22": .discretionary, "A23": .discretionary, "A24": .additive,
        "A31": .additive, "A32": .additive, "A33": .discretionary, "A34": .additive, "A35": .perIncident,
        "B11": .threshold, "B12": .threshold, "B13": .range, "B14": .additive,
        "B21": .additive, "B22": .additive, "B23": .additive, "B31": .threshold, "B32": .additive,
        "B41": .additive, "B42": .threshold, "B51": .additive, "B52": .perIncident, "B53": .discretionary,
        "C11": .proportional, "C12": .proportional, "C13": .proportional, "C14": .deadline, "C15": .proportional,
        "C16": .discretionary, "C21": .levels, "C22": .tiers, "C31": .discretionary, "C32": .additive,
        "C33": .discretionary,
    ]

    @Test func seed000KindsAndCoverage() throws {
        let leaves = try SeedLeaves.seed000()
        #expect(leaves.count == 32)
        var manual: [String] = []
        for l in leaves {
            let r = RuleRecogniser.recognise(l.criteria, weight: l.weight)
            print("000 \(l.code) w\(l.weight) → \(r.summary) [\(r.confidence)] \(r.note ?? "")")
            if r.kind == .manual { manual.append(l.code) }
            #expect(r.kind == Self.expected000[l.code], "\(l.code): \(r.summary)")
        }
        #expect(Double(manual.count) <= Double(leaves.count) * 0.1, "manual: \(manual)")
    }

    @Test func seed002KindsAndCoverage() throws {
        let leaves = try SeedLeaves.seed002()
        #expect(leaves.count == 39)
        var manual: [String] = []
        for l in leaves {
            let r = RuleRecogniser.recognise(l.criteria, weight: l.weight)
            print("002 \(l.code) w\(l.weight) → \(r.summary) [\(r.confidence)] \(r.note ?? "")")
            if r.kind == .manual { manual.append(l.code) }
            #expect(r.kind == Self.expected002[l.code], "\(l.code): \(r.summary)")
        }
        #expect(Double(manual.count) <= Double(leaves.count) * 0.1, "manual: \(manual)")
    }
}
