/// Fills parents' weight and score from their leaves, and the framework's computed totals.
///
/// A parent's `weight` is the sum of its children's weights and its `score` the sum of their scores
/// (nil when no leaf below has one); `totals.weight`/`totals.score` sum the level-1 nodes the same way.
/// Stated values (`statedWeight`, `totals.statedWeight`, `totals.statedScore`) are left as written.
public enum RollUp {
    public static func apply(_ framework: inout Framework) {
        for i in framework.roots.indices { roll(&framework.roots[i]) }
        applyTotals(&framework)
    }

    /// The totals of `apply`, for a tree whose parents are already rolled up.
    static func applyTotals(_ framework: inout Framework) {
        framework.totals.weight = sum(framework.roots, { $0.weight })
        framework.totals.score = sum(framework.roots, { $0.score })
    }

    /// A copy with the roll-up applied.
    public static func applied(_ framework: Framework) -> Framework {
        var f = framework
        apply(&f)
        return f
    }

    static func roll(_ node: inout Indicator) {
        guard !node.children.isEmpty else { return }
        for i in node.children.indices { roll(&node.children[i]) }
        let children = node.children
        node.weight = sum(children, { $0.weight })
        node.score = sum(children, { $0.score })
    }

    /// `sum(nodes.map(value))` without the array.
    @inline(__always)
    static func sum(_ nodes: [Indicator], _ value: (Indicator) -> Double?) -> Double? {
        var total = 0.0
        var any = false
        for n in nodes {
            if let v = value(n) { total += v; any = true }
        }
        return any ? TextKit.tidy(total) : nil
    }

    /// Sum of the values present, rounded to six decimals; nil when none is.
    static func sum(_ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        return TextKit.tidy(present.reduce(0, +))
    }
}
