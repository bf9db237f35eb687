/// The four grades of a 绩效评价 result.
public enum Grade: String, Sendable, Hashable, Codable, CaseIterable {
    /// 优: excellent.
    case excellent = "优"
    /// 良: good.
    case good = "良"
    /// 中: fair.
    case fair = "中"
    /// 差: poor.
    case poor = "差"
}

/// Score thresholds of the grades on a 100-point scale: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below (the standard),
/// or whatever a bureau uses.
public struct GradeBands: Sendable, Hashable {
    public var excellent: Double
    public var good: Double
    public var fair: Double

    public init(excellent: Double = 90, good: Double = 80, fair: Double = 60) {
        self.excellent = excellent
        self.good = good
        self.fair = fair
    }

    /// 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60.
    public static let standard = GradeBands()

    /// True when the thresholds go down from 优 to 中.
    public var isOrdered: Bool { excellent >= good && good >= fair }

    /// The grade of a score out of `total` points (scaled to 100 first).
    public func grade(_ score: Double, outOf total: Double = 100) -> Grade {
        let s = total > 0 && total != 100 ? score * 100 / total : score
        let t = TextKit.tidy(s)
        if t >= excellent { return .excellent }
        if t >= good { return .good }
        if t >= fair { return .fair }
        return .poor
    }
}

extension Framework {
    /// The grade of the rolled-up total score, out of the stated total weight (or the leaves' total);
    /// nil when no leaf has a score.
    public func grade(bands: GradeBands = .standard) -> Grade? {
        guard let score = totals.score else { return nil }
        let total = totals.statedWeight ?? totals.weight ?? 100
        return bands.grade(score, outOf: total)
    }
}
