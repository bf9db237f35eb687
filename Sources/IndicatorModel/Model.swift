#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SheetCore

/// How a weight is written: points (`12分`, a 分值 column) or a percentage of the total (`20%`).
public enum WeightUnit: String, Sendable, Hashable, Codable {
    case points
    case percent
}

/// One node of the indicator tree (一级…四级指标). Leaves carry the 分值/得分 and the texts.
///
/// A value type with copy-on-write storage: the fields live in one shared box, so copying an indicator (into
/// `leaves`, `allNodes`, arrays of children, closures) is one retain, and a mutation copies the box only when
/// it is shared.
public struct Indicator: Sendable, Hashable {
    /// The stored fields, compared and hashed field by field in declaration order.
    @usableFromInline
    struct Fields: Hashable {
        @usableFromInline var code: String
        @usableFromInline var name: String
        @usableFromInline var rawName: String
        @usableFromInline var level: Int
        /// `path` without its last name, and the last name (nil for an empty path): in a normalised tree the
        /// siblings share their parent's path array instead of one array each.
        @usableFromInline var pathPrefix: [String]
        @usableFromInline var pathLast: String?
        @usableFromInline var statedWeight: Double?
        @usableFromInline var statedWeightUnit: WeightUnit?
        @usableFromInline var weight: Double?
        @usableFromInline var score: Double?
        @usableFromInline var explanation: String?
        @usableFromInline var criteria: String?
        @usableFromInline var source: String?
        @usableFromInline var target: String?
        @usableFromInline var actual: String?
        @usableFromInline var note: String?
        @usableFromInline var cell: Location?
        @usableFromInline var weightCell: CellRef?
        @usableFromInline var scoreCell: CellRef?
        @usableFromInline var children: [Indicator]
        /// A parent's own 得分 written in the table (outline style: on a row of its own), and where.
        @usableFromInline var statedScore: Double? = nil
        @usableFromInline var statedScoreCell: CellRef? = nil
    }

    /// The box holding the fields; copied before a mutation when shared (so never mutated while shared, which
    /// makes it safe to send).
    @usableFromInline
    final class Storage: @unchecked Sendable {
        // No dynamic exclusivity checks (each cost ~80 instructions per property read): the box is only written
        // through `unique`, when no other indicator shares it.
        @usableFromInline @exclusivity(unchecked) var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    @usableFromInline var storage: Storage

    /// The fields for writing: the box is copied first when another indicator shares it.
    private var unique: Fields {
        get { storage.fields }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            yield &storage.fields
        }
    }

    /// `A`, `A1`, `A11`, `A111`, `B232`; inferred from the children when the name has none.
    public var code: String {
        @inlinable get { storage.fields.code }
        _modify { yield &unique.code }
        set { unique.code = newValue }
    }
    /// The name without code and weight: `项目决策`.
    public var name: String {
        @inlinable get { storage.fields.name }
        _modify { yield &unique.name }
        set { unique.name = newValue }
    }
    /// The cell text as written: `A.项目决策（20%）`.
    public var rawName: String {
        @inlinable get { storage.fields.rawName }
        _modify { yield &unique.rawName }
        set { unique.rawName = newValue }
    }
    /// The name as a table writes it, stating the parent's weight: `rawName`, with `（6分）` (or `（15%）`) added when a
    /// stated weight was read from a cell (a two-row header's level 分值, an outline row) rather than the name.
    public var nameStatingWeight: String {
        let raw = rawName.isEmpty ? code + name : rawName
        guard !isLeaf, let w = statedWeight, NameParser.parse(raw).weight == nil else { return raw }
        return raw + "（\(TextKit.show(w))\(statedWeightUnit == .percent ? "%" : "分")）"
    }

    /// 1-based level.
    public var level: Int {
        @inlinable get { storage.fields.level }
        _modify { yield &unique.level }
        set { unique.level = newValue }
    }
    /// Raw names from level 1 down to this node, as written.
    public var path: [String] {
        get { storage.fields.path }
        set { unique.path = newValue }
    }
    /// A weight written into the name (`（12分）`, `（20%）`) or in the node's own weight cell.
    public var statedWeight: Double? {
        @inlinable get { storage.fields.statedWeight }
        _modify { yield &unique.statedWeight }
        set { unique.statedWeight = newValue }
    }
    public var statedWeightUnit: WeightUnit? {
        @inlinable get { storage.fields.statedWeightUnit }
        _modify { yield &unique.statedWeightUnit }
        set { unique.statedWeightUnit = newValue }
    }
    /// Leaves: the 分值 (points). Parents: the sum of the children's weights (computed by roll-up).
    public var weight: Double? {
        @inlinable get { storage.fields.weight }
        _modify { yield &unique.weight }
        set { unique.weight = newValue }
    }
    /// Leaves: the 得分 as written (nil when blank). Parents: rolled up from the leaves.
    public var score: Double? {
        @inlinable get { storage.fields.score }
        _modify { yield &unique.score }
        set { unique.score = newValue }
    }
    public var explanation: String? {
        @inlinable get { storage.fields.explanation }
        _modify { yield &unique.explanation }
        set { unique.explanation = newValue }
    }
    /// 评分标准 / 评分细则 / 指标评分细则.
    public var criteria: String? {
        @inlinable get { storage.fields.criteria }
        _modify { yield &unique.criteria }
        set { unique.criteria = newValue }
    }
    /// 数据来源.
    public var source: String? {
        @inlinable get { storage.fields.source }
        _modify { yield &unique.source }
        set { unique.source = newValue }
    }
    /// 项目支出绩效自评表 shape: 年度指标值 (the target as written, e.g. `≥95%`, `127人`) and
    /// 实际完成值 (the measured value as written), and 偏差原因分析及改进措施.
    public var target: String? {
        @inlinable get { storage.fields.target }
        _modify { yield &unique.target }
        set { unique.target = newValue }
    }
    public var actual: String? {
        @inlinable get { storage.fields.actual }
        _modify { yield &unique.actual }
        set { unique.actual = newValue }
    }
    public var note: String? {
        @inlinable get { storage.fields.note }
        _modify { yield &unique.note }
        set { unique.note = newValue }
    }
    /// Where the node's name is.
    public var cell: Location? {
        @inlinable get { storage.fields.cell }
        _modify { yield &unique.cell }
        set { unique.cell = newValue }
    }
    /// Where its weight and score cells are (for writers and findings); nil where the table has none.
    public var weightCell: CellRef? {
        @inlinable get { storage.fields.weightCell }
        _modify { yield &unique.weightCell }
        set { unique.weightCell = newValue }
    }
    public var scoreCell: CellRef? {
        @inlinable get { storage.fields.scoreCell }
        _modify { yield &unique.scoreCell }
        set { unique.scoreCell = newValue }
    }
    /// A parent's own score as the table states it (a 得分 on the parent's own row, outline style), and its
    /// cell; nil for leaves and where the table states none. The rolled-up `score` is what counts; the
    /// validator reports a stated score that is not the sum of the children's (`score-children`).
    public var statedScore: Double? {
        @inlinable get { storage.fields.statedScore }
        set { unique.statedScore = newValue }
    }
    public var statedScoreCell: CellRef? {
        @inlinable get { storage.fields.statedScoreCell }
        set { unique.statedScoreCell = newValue }
    }
    public var children: [Indicator] {
        @inlinable get { storage.fields.children }
        _modify { yield &unique.children }
        set { unique.children = newValue }
    }

    public init(code: String, name: String, rawName: String? = nil, level: Int, path: [String] = [],
                statedWeight: Double? = nil, statedWeightUnit: WeightUnit? = nil,
                weight: Double? = nil, score: Double? = nil,
                explanation: String? = nil, criteria: String? = nil, source: String? = nil,
                cell: Location? = nil, weightCell: CellRef? = nil, scoreCell: CellRef? = nil,
                children: [Indicator] = []) {
        storage = Storage(Fields(code: code, name: name, rawName: rawName ?? name, level: level,
                                 pathPrefix: Array(path.dropLast()), pathLast: path.last,
                                 statedWeight: statedWeight, statedWeightUnit: statedWeightUnit, weight: weight,
                                 score: score, explanation: explanation, criteria: criteria, source: source,
                                 target: nil, actual: nil, note: nil, cell: cell, weightCell: weightCell,
                                 scoreCell: scoreCell, children: children))
    }

    /// An indicator with these fields, made in one step (the normaliser).
    init(fields: Fields) { storage = Storage(fields) }

    public static func == (a: Indicator, b: Indicator) -> Bool { a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

    @inlinable public var isLeaf: Bool { storage.fields.children.isEmpty }

    /// Every leaf below (or self), in table order.
    public var leaves: [Indicator] {
        var out: [Indicator] = []
        appendLeaves(to: &out)
        return out
    }

    /// Every node below and including self, depth-first, parents before children.
    public var allNodes: [Indicator] {
        var out: [Indicator] = []
        appendNodes(to: &out)
        return out
    }

    /// Appends the leaves in table order (one array for the whole walk, not one per node).
    func appendLeaves(to out: inout [Indicator]) {
        if isLeaf { out.append(self); return }
        for c in children { c.appendLeaves(to: &out) }
    }

    /// Appends self and every node below, depth-first, parents before children.
    func appendNodes(to out: inout [Indicator]) {
        out.append(self)
        for c in children { c.appendNodes(to: &out) }
    }
}

extension Indicator: CustomReflectable {
    /// The fields, so that `print`, `dump` and test failures show an indicator as they did when it was a plain
    /// struct (`Indicator(code: "A1", name: …)`), not its storage box.
    public var customMirror: Mirror {
        let f = storage.fields
        return Mirror(self, children: [
            ("code", f.code as Any),
            ("name", f.name as Any),
            ("rawName", f.rawName as Any),
            ("level", f.level as Any),
            ("path", f.path as Any),
            ("statedWeight", f.statedWeight as Any),
            ("statedWeightUnit", f.statedWeightUnit as Any),
            ("weight", f.weight as Any),
            ("score", f.score as Any),
            ("explanation", f.explanation as Any),
            ("criteria", f.criteria as Any),
            ("source", f.source as Any),
            ("target", f.target as Any),
            ("actual", f.actual as Any),
            ("note", f.note as Any),
            ("cell", f.cell as Any),
            ("weightCell", f.weightCell as Any),
            ("scoreCell", f.scoreCell as Any),
            ("children", f.children as Any)
        ], displayStyle: .struct)
    }
}

extension Indicator.Fields {
    /// The names from level 1 down to this node (see `pathPrefix`).
    var path: [String] {
        get {
            guard let last = pathLast else { return pathPrefix }
            var p: [String] = []
            p.reserveCapacity(pathPrefix.count + 1)
            p.append(contentsOf: pathPrefix)
            p.append(last)
            return p
        }
        set {
            // One form for one path (equality compares the two parts).
            pathPrefix = Array(newValue.dropLast())
            pathLast = newValue.last
        }
    }
}

/// The stated totals from the 合计 row.
public struct Totals: Sendable, Hashable {
    public var weight: Double?
    public var score: Double?
    public var statedWeight: Double?
    public var statedScore: Double?
    /// Where the 合计 row's weight and score cells are.
    public var statedWeightCell: CellRef?
    public var statedScoreCell: CellRef?
    public var row: UInt32?

    public init(weight: Double? = nil, score: Double? = nil, statedWeight: Double? = nil, statedScore: Double? = nil,
                statedWeightCell: CellRef? = nil, statedScoreCell: CellRef? = nil, row: UInt32? = nil) {
        self.weight = weight
        self.score = score
        self.statedWeight = statedWeight
        self.statedScore = statedScore
        self.statedWeightCell = statedWeightCell
        self.statedScoreCell = statedScoreCell
        self.row = row
    }
}

/// A problem found in a table, the way a reviewer at the finance bureau would write it down.
public struct Finding: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case error, warning, info
        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (l: Severity, r: Severity) -> Bool { l.rank < r.rank }
    }

    public var severity: Severity
    /// Short stable rule id, e.g. `weight-sum`, `score-above-weight`.
    public var rule: String
    /// The indicator's code, when the finding concerns one.
    public var code: String?
    public var location: Location?
    public var message: String

    public init(_ severity: Severity, rule: String, code: String? = nil, at location: Location? = nil, _ message: String) {
        self.severity = severity
        self.rule = rule
        self.code = code
        self.location = location
        self.message = message
    }
}

/// Which column of the sheet holds what (0-based), as found from the header.
public struct ColumnMap: Sendable, Hashable {
    /// Columns of the level names, level 1 first.
    public var levels: [UInt16] = []
    public var weight: UInt16?
    public var score: UInt16?
    public var explanation: UInt16?
    public var criteria: UInt16?
    public var source: UInt16?
    /// 自评表 columns: 年度指标值, 实际完成值, 偏差原因分析及改进措施.
    public var target: UInt16?
    public var actual: UInt16?
    public var note: UInt16?
    /// A two-row header (`一级指标` over `名称 | 分值`): the column of each level's own 分值, level 1 first (nil
    /// for a level without one; empty for a one-row header). The deepest level's 分值 is `weight`.
    public var levelWeights: [UInt16?] = []
    public init() {}

    /// The column of a level's own 分值 (`level` 1-based), when the header has one.
    public func levelWeight(_ level: Int) -> UInt16? {
        level >= 1 && level <= levelWeights.count ? levelWeights[level - 1] : nil
    }
}

/// A whole indicator table (绩效评价指标体系框架) normalised from a grid.
public struct Framework: Sendable, Hashable {
    public var file: String
    public var sheet: String
    /// The title row text, e.g. `附件2：项目支出绩效评价共性指标体系框架`.
    public var title: String?
    /// The organisation, when written (e.g. glued in front of a level-1 name).
    public var organisation: String?
    /// 3 or 4.
    public var levels: Int
    public var roots: [Indicator] {
        didSet {
            // A cache no other copy shares is emptied in place; a shared one is left to the copies.
            if isKnownUniquelyReferenced(&walks) { walks.reset() } else { walks = TreeWalks() }
        }
    }
    public var totals: Totals
    public var columns: ColumnMap
    /// Header row (0-based).
    public var headerRow: UInt32?
    /// What the normaliser noticed while reading the grid (cells that should be numbers but are not, rows it
    /// could not place); the validator reports these with its own findings.
    public var diagnostics: [Finding] = []

    public init(file: String, sheet: String, title: String? = nil, organisation: String? = nil, levels: Int,
                roots: [Indicator], totals: Totals = Totals(), columns: ColumnMap = ColumnMap(), headerRow: UInt32? = nil) {
        self.file = file
        self.sheet = sheet
        self.title = title
        self.organisation = organisation
        self.levels = levels
        self.roots = roots
        self.totals = totals
        self.columns = columns
        self.headerRow = headerRow
    }

    /// Every leaf, in table order. Computed once per value of `roots` (the walk is cached), so calling it in
    /// a loop costs a lock and a retain.
    public var leaves: [Indicator] { walks.get(roots).leaves }
    /// Every node, depth-first, parents before children (cached like `leaves`).
    public var allNodes: [Indicator] { walks.get(roots).allNodes }
    /// Every node that has children, depth-first (cached like `leaves`).
    public var parents: [Indicator] { walks.get(roots).parents }

    /// The cached walks of `roots`; replaced whenever `roots` is set or mutated, so a copy of the framework that
    /// changes its tree never sees the walks of the old one (and copies that do not change it share them).
    private var walks = TreeWalks()

    public static func == (a: Framework, b: Framework) -> Bool {
        a.file == b.file && a.sheet == b.sheet && a.title == b.title && a.organisation == b.organisation
            && a.levels == b.levels && a.roots == b.roots && a.totals == b.totals && a.columns == b.columns
            && a.headerRow == b.headerRow && a.diagnostics == b.diagnostics
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(sheet)
        hasher.combine(title)
        hasher.combine(organisation)
        hasher.combine(levels)
        hasher.combine(roots)
        hasher.combine(totals)
        hasher.combine(columns)
        hasher.combine(headerRow)
        hasher.combine(diagnostics)
    }
}

extension Framework: CustomReflectable {
    /// The stored fields without the walk cache, so that `print`, `dump` and test failures show a framework as
    /// they did before the cache.
    public var customMirror: Mirror {
        Mirror(self, children: [
            ("file", file as Any),
            ("sheet", sheet as Any),
            ("title", title as Any),
            ("organisation", organisation as Any),
            ("levels", levels as Any),
            ("roots", roots as Any),
            ("totals", totals as Any),
            ("columns", columns as Any),
            ("headerRow", headerRow as Any),
            ("diagnostics", diagnostics as Any)
        ], displayStyle: .struct)
    }
}

/// The leaves, nodes and parents of one tree, computed on first use (thread-safe: a framework is `Sendable`).
final class TreeWalks: @unchecked Sendable {
    struct Lists {
        var leaves: [Indicator] = []
        var allNodes: [Indicator] = []
        var parents: [Indicator] = []
    }

    private var lists: Lists?
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    /// Forgets the walks (the caller holds the only reference).
    func reset() { lists = nil }

    /// The walks of `roots` (which must be the roots this cache was made for).
    func get(_ roots: [Indicator]) -> Lists {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let lists { return lists }
        var l = Lists()
        // Counted first, so that each list is made at its size (no regrowing, each copy retaining every node).
        var total = 0, leafCount = 0
        func count(_ nodes: [Indicator]) {
            for n in nodes {
                total += 1
                let children = n.storage.fields.children
                if children.isEmpty { leafCount += 1 } else { count(children) }
            }
        }
        count(roots)
        l.allNodes.reserveCapacity(total)
        l.leaves.reserveCapacity(leafCount)
        l.parents.reserveCapacity(total - leafCount)
        for r in roots { r.appendNodes(to: &l.allNodes) }
        for n in l.allNodes { if n.isLeaf { l.leaves.append(n) } else { l.parents.append(n) } }
        lists = l
        return l
    }
}
