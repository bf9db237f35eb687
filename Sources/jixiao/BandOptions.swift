import ArgumentParser
import IndicatorModel

/// `--bands 90,80,60`: the grade thresholds for 优, 良 and 中 on a 100-point scale, shared by `check` and `score`.
struct BandOptions: ParsableArguments {
    @Option(help: "Grade thresholds for 优,良,中 on a 100-point scale (default 90,80,60).")
    var bands: String?

    func gradeBands() throws -> GradeBands {
        guard let bands else { return .standard }
        let parts = bands.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let e = parts[0], let g = parts[1], let f = parts[2] else {
            throw ValidationError("--bands takes three numbers, e.g. 90,80,60")
        }
        let b = GradeBands(excellent: e, good: g, fair: f)
        guard b.isOrdered else { throw ValidationError("--bands must go down: 优 ≥ 良 ≥ 中") }
        return b
    }

    func validate() throws { _ = try gradeBands() }
}
