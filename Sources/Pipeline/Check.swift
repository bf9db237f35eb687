import SheetCore
import IndicatorModel

/// Reads a workbook (XLSX or CSV), finds the sheet holding the indicator table (or takes `sheet`), normalises
/// it into a `Framework` (rolled up) and validates it.
///
/// - Throws: `JixiaoError` naming the file when it cannot be read (`.io`, `.notAWorkbook`, `.corrupt`, …) or
///   holds no indicator table (`.noTable`).
public func checkFile(path: String, sheet: String?, limits: ReadLimits = .default,
                      bands: GradeBands = .standard) throws -> (Framework, [Finding]) {
    let workbook = try loadWorkbook(path: path, limits: limits)
    return try checkWorkbook(workbook, sheet: sheet, bands: bands)
}

/// `checkFile` on a workbook already in memory.
public func checkWorkbook(_ workbook: Workbook, sheet: String?, bands: GradeBands = .standard) throws -> (Framework, [Finding]) {
    // The same table reader as `score` and `batch`: a 项目支出绩效自评表 when a sheet has that form, else the
    // indicator table found by the normaliser.
    let framework = RollUp.applied(try ScorePipeline.framework(in: workbook, sheet: sheet))
    return (framework, Validator.validate(framework, bands: bands))
}
