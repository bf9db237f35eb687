import Foundation
import Testing
import TestSupport

/// `jixiao check --json` on tables unlike the seed fixtures (Fixtures/unseen, written with what must be found in
/// each by scripts/make-unseen-tables.py): other header spellings, column orders, parent layouts, weight
/// notations, title blocks and cover sheets, totals rows, two-row headers, other writers (openpyxl, xlsxwriter,
/// LibreOffice, hand-written XML, CSV in UTF-8/GBK) and planted mistakes. Each must normalise to the table it
/// holds (codes, weights, scores, cells, stated weights and totals) and report exactly the planted findings,
/// each at its cell.
struct UnseenTableTests {
    static let expected: [[String: Any]] = {
        guard let data = try? Fixtures.data("unseen/expected.json"),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list
    }()

    static let files: [String] = expected.compactMap { $0["file"] as? String }

    /// A JSON value as text for comparison: numbers without a trailing `.0`, null as `-`.
    static func show(_ v: Any?) -> String {
        switch v {
        case nil, is NSNull: return "-"
        case let n as NSNumber:
            let d = n.doubleValue
            return d == d.rounded() ? String(Int(d)) : String(d)
        case let s as String: return s
        default: return "\(v!)"
        }
    }

    /// `file!sheet!C7` → `C7`.
    static func cell(_ v: Any?) -> String { (v as? String).map { String($0.split(separator: "!").last ?? "") } ?? "-" }

    @Test func everyTableIsListed() {
        #expect(Self.files.count >= 90)
        let onDisk = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("unseen").path)) ?? []
        #expect(Set(onDisk.filter { $0 != "expected.json" }) == Set(Self.files))
    }

    @Test(arguments: files)
    func checkFindsTheTableAndThePlantedMistakes(_ file: String) throws {
        let want = try #require(Self.expected.first { $0["file"] as? String == file })
        let r = try runJixiao(["check", file, "--json"], cwd: Fixtures.url("unseen"))
        let got = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], "\(r.stderrText)")
        #expect(Self.show(got["levels"]) == Self.show(want["levels"]))

        // Leaves: code, weight, score and cell; explanation, criteria (continued over rows) and source.
        let leaves = (got["indicators"] as? [[String: Any]]) ?? []
        let wantLeaves = (want["leaves"] as? [[Any]]) ?? []
        let shown = leaves.map { l in
            [Self.show(l["code"]), Self.show(l["weight"]), Self.show(l["score"]), Self.cell(l["cell"])].joined(separator: " ")
        }
        #expect(shown == wantLeaves.map { $0.prefix(4).map(Self.show).joined(separator: " ") })
        for (l, w) in zip(leaves, wantLeaves) {
            for (key, text) in (w.count > 4 ? w[4] as? [String: String] : nil) ?? [:] {
                #expect(Self.show(l[key]) == text, "\(Self.show(l["code"])) \(key)")
            }
        }

        // Parents' stated weights (points written in names or in their own 分值 cells).
        var stated: [String: String] = [:]
        for p in (got["parents"] as? [[String: Any]]) ?? [] { stated[Self.show(p["code"])] = Self.show(p["stated_weight"]) }
        for p in (want["parents"] as? [[Any]]) ?? [] where !(p[1] is NSNull) {
            #expect(stated[Self.show(p[0])] == Self.show(p[1]), "parent \(Self.show(p[0]))")
        }

        // The 合计 row.
        let total = got["total"] as? [String: Any]
        #expect(Self.show(total?["stated_weight"]) == Self.show(want["stated_weight"]))
        #expect(Self.show(total?["stated_score"]) == Self.show(want["stated_score"]))

        // Exactly the planted findings (info aside), each at its cell.
        let findings = ((got["findings"] as? [[String: Any]]) ?? []).filter { $0["severity"] as? String != "info" }
        let gotFindings = findings.map { "\(Self.show($0["rule"])) \(Self.show($0["code"])) \(Self.cell($0["cell"]))" }.sorted()
        let wantFindings = ((want["findings"] as? [[Any]]) ?? []).map { $0.map(Self.show).joined(separator: " ") }.sorted()
        #expect(gotFindings == wantFindings)
        let errors = findings.contains { $0["severity"] as? String == "error" }
        #expect(r.status == (errors ? 1 : 0))
    }

    @Test func readableReportNamesTheCells() throws {
        let dir = Fixtures.url("unseen")
        let r = try runJixiao(["check", "r2_multi_planted_lo.xlsx"], cwd: dir)
        #expect(r.status == 1)
        for line in ["r2_multi_planted_lo.xlsx!评价指标!E21: error [score-negative] D31",
                     "r2_multi_planted_lo.xlsx!评价指标!E5: error [score-above-weight] A22",
                     "r2_multi_planted_lo.xlsx!评价指标!E11: warning [score-missing] B21"] {
            #expect(r.stdoutText.contains(line), "\(line)")
        }
        let two = try runJixiao(["check", "r2_namew_planted.xlsx"], cwd: dir)
        #expect(two.stdoutText.contains("  B1 资金管理                     11      12  11.6\n"))
        #expect(two.stdoutText.contains("r2_namew_planted.xlsx!评价指标!C9: error [weight-children] B1 资金管理: stated weight 11 but its sub-indicators sum to 12"))
    }
}
