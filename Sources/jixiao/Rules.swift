import ArgumentParser
import Foundation
import IndicatorModel
import Pipeline
import Scoring
import SheetCore

/// `jixiao rules FILE [--sheet NAME] [--json]`: each leaf with the rule read from its 评分标准 text (type and
/// parameters), or `manual` with the reason.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Show the scoring rule read from each leaf's criteria text (评分标准).",
        discussion: """
        Text: one line per leaf (code, name, weight, rule type and parameters), then how many leaves were read. \
        --json: {"file","sheet","leaves":[{"code","name","weight","cell","criteria","rule":{"type","weight",\
        "confidence","parameters","summary","note"}}],"summary":{"leaves","read","manual":[codes]}}.
        """)

    @Argument(help: "The table (.xlsx or .csv).")
    var file: String

    @Option(help: "The sheet holding the table (default: the one with most indicators).")
    var sheet: String?

    @Flag(help: "Write JSON.")
    var json = false

    @OptionGroup(title: "Limits")
    var limitOptions: LimitOptions

    func run() throws {
        let f: Framework
        do {
            f = try ScorePipeline.framework(path: file, sheet: sheet, limits: limitOptions.limits)
        } catch let e as JixiaoError {
            fail(e.located(Location(file: file)))
        } catch {
            fail(error)
        }
        let rules = Scorer.rules(for: f)
        let manual = rules.filter { $0.1.kind == .manual }.map { $0.0.code }
        if json {
            let leaves: [JSONValue] = rules.map { leaf, rule in
                .object([
                    JSONMember("code", .string(leaf.code)),
                    JSONMember("name", .string(leaf.name)),
                    JSONMember("weight", .number(leaf.weight)),
                    JSONMember("cell", .string(leaf.cell?.description)),
                    JSONMember("criteria", .string(leaf.criteria ?? leaf.target)),
                    JSONMember("rule", Scorer.json(rule)),
                ])
            }
            let root = JSONValue.object([
                JSONMember("file", .string(f.file)),
                JSONMember("sheet", .string(f.sheet)),
                JSONMember("leaves", .array(leaves)),
                JSONMember("summary", .object([
                    JSONMember("leaves", .number(Double(rules.count))),
                    JSONMember("read", .number(Double(rules.count - manual.count))),
                    JSONMember("manual", .array(manual.map { .string($0) })),
                ])),
            ])
            print(root.render(pretty: true))
            return
        }
        for (leaf, rule) in rules {
            let w = leaf.weight.map { ScoreFormat.number($0) } ?? "?"
            var line = "\(leaf.code) \(leaf.name) (\(w)分): \(rule.summary)"
            if let note = rule.note, rule.kind != .manual { line += " — \(note)" }
            print(line)
        }
        let pct = rules.isEmpty ? 0 : Double(rules.count - manual.count) * 100 / Double(rules.count)
        print("")
        print("\(rules.count - manual.count) of \(rules.count) leaves read as rules (\(ScoreFormat.number(pct, decimals: 1))%)"
              + (manual.isEmpty ? "" : "; manual 需人工评分: \(manual.joined(separator: ", "))"))
    }
}
