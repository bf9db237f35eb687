import Testing
import SheetCore
import TestSupport
@testable import IndicatorModel

/// The shape fixtures on disk (Fixtures/shapes/*.csv, written by make_shapes.py from the seed CSVs) normalise
/// to the same model, and raise the same findings, as their seeds.
struct ShapeFixtureTests {
    static let cases: [(shape: String, seed: String)] = [
        ("seed000_offset_notes.csv", "seed000_project_framework.csv"),
        ("seed000_repeated_synonyms_textnumbers.csv", "seed000_project_framework.csv"),
        ("seed002_repeated_parents_gbk.csv", "seed002_department_framework_gbk.csv"),
    ]

    @Test(arguments: cases.map(\.shape))
    func shapeNormalisesLikeItsSeed(_ shape: String) throws {
        let seed = Self.cases.first { $0.shape == shape }!.seed
        let want = try Normaliser.frameworks(in: try TinyCSV.grid("csv/\(seed)", gbk: seed.contains("gbk")), sheet: nil)
        let got = try Normaliser.frameworks(in: try TinyCSV.grid("shapes/\(shape)", gbk: shape.contains("gbk")), sheet: nil)
        #expect(got.leaves.count == want.leaves.count && got.leaves.count >= 32)
        #expect(ShapeTests.Projection(got) == ShapeTests.Projection(want))
        #expect(got.diagnostics.isEmpty)
        let rules = { (f: Framework) in Validator.validate(f).map { "\($0.severity) \($0.rule) \($0.code ?? "-")" } }
        #expect(rules(got) == rules(want))
    }
}
