import IndicatorModel
import Scoring
import SheetCore

/// Loading for `jixiao rules` and `jixiao score`: the table (a 绩效评价指标体系 or a 项目支出绩效自评表), the
/// measures file, and the scoring itself.
public enum ScorePipeline {
    /// The framework of a table file: a 自评表 when a sheet has 年度指标值/实际完成值 beside the indicator
    /// levels, else the indicator table found by the normaliser.
    ///
    /// - Throws: `JixiaoError` naming the file when it cannot be read or holds no table.
    public static func framework(path: String, sheet: String? = nil, limits: ReadLimits = .default) throws -> Framework {
        let wb = try loadWorkbook(path: path, limits: limits)
        return try framework(in: wb, sheet: sheet)
    }

    /// The framework of a workbook already loaded (see `framework(path:sheet:limits:)`).
    public static func framework(in wb: Workbook, sheet: String? = nil) throws -> Framework {
        let candidates = sheet.map { name in wb.sheets.filter { $0.name == name } } ?? wb.sheets
        for g in candidates where g.info.kind == .worksheet && SelfEvaluationForm.detect(g) {
            return try SelfEvaluationForm.read(grid: g, file: wb.file)
        }
        return try Normaliser.frameworks(in: wb, sheet: sheet)
    }

    /// The measures of a measures file (CSV or XLSX): the first sheet with a measures header.
    ///
    /// - Throws: `JixiaoError` naming the file when it cannot be read, or (from the first sheet) which
    ///   column is missing.
    public static func measures(path: String, limits: ReadLimits = .default) throws -> Measures {
        let wb = try loadWorkbook(path: path, limits: limits)
        var firstError: Error?
        for g in wb.sheets where g.info.kind == .worksheet {
            do {
                return try Measures.read(grid: g, file: wb.file)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        throw firstError ?? JixiaoError(.invalidValue, "measures file has no sheet / 测量值文件没有工作表", at: Location(file: path))
    }

    /// Loads the table and the measures (when given) and scores.
    public static func score(path: String, measures measuresPath: String? = nil, sheet: String? = nil,
                             limits: ReadLimits = .default, bands: GradeBands = .standard) throws -> ScoredFramework {
        let f = try framework(path: path, sheet: sheet, limits: limits)
        let m = try measuresPath.map { try measures(path: $0, limits: limits) } ?? .empty
        return Scorer.score(f, measures: m, bands: bands)
    }
}
