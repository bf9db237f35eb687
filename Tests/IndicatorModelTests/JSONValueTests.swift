import Foundation
import Testing
import SheetCore
@testable import IndicatorModel

struct JSONValueTests {
    @Test func rendersInKeyOrderWithEscapes() throws {
        let v = JSONValue.object([
            JSONMember("z", .string("引号\"、反斜杠\\、换行\n、tab\t、\u{1}")),
            JSONMember("a", .array([.number(1), .number(0.5), .number(0.1 + 0.2), .null, .bool(true)])),
            JSONMember("n", .number(Double.nan)),
            JSONMember("e", .object([])),
            JSONMember("l", .array([])),
        ])
        #expect(v.render(pretty: false) == #"{"z":"引号\"、反斜杠\\、换行\n、tab\t、\u0001","a":[1,0.5,0.3,null,true],"n":null,"e":{},"l":[]}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(v.render().utf8)) as? [String: Any])
        #expect(parsed["z"] as? String == "引号\"、反斜杠\\、换行\n、tab\t、\u{1}")
    }

    @Test func extrasExtendIndicators() throws {
        let wb = Workbook(file: "t.xlsx", sheets: [Grid(name: "S", values: [
            ["一级指标", "二级指标", "三级指标", "分值", "得分", "指标解释"].map { CellValue.string($0) },
            [.string("A决策"), .string("A1目标"), .string("A11明确性"), .number(100), .number(90), .string("解释")],
        ])])
        var report = CheckReport(validating: try Normaliser.frameworks(in: wb, sheet: nil))
        report.indicatorExtras["A11"] = [JSONMember("rule", .string("binary")), JSONMember("score", .number(80))]
        report.extras = [JSONMember("scored_by", .string("jixiao"))]
        let json = report.json
        guard case .array(let indicators)? = json["indicators"], case .object(let members)? = indicators.first else {
            Issue.record("no indicators"); return
        }
        #expect(members.map(\.key) == ["code", "path", "level", "weight", "score", "explanation", "criteria", "source", "cell", "rule"])
        #expect(indicators.first?["score"] == .number(80))
        #expect(indicators.first?["cell"] == .string("t.xlsx!S!C2"))
        #expect(json["scored_by"] == .string("jixiao"))
        #expect(json["grade"] == .string("优") && json["title"] == .null)
    }
}
