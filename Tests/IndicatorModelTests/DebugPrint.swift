import Testing
import TestSupport
import IndicatorModel

@Test func debugPrint() throws {
    for name in ["seed000_project_framework.xlsx", "seed002_department_framework.xlsx"] {
        let wb = try GridJSON.golden(name)
        let f = try Normaliser.frameworks(in: wb, sheet: nil)
        let r = CheckReport(validating: f)
        print(r.text())
    }
}
