import SheetCore

/// How a weight is written: points (`12分`, a 分值 column) or a percentage of the total (`20%`).
public enum WeightUnit: String, Sendable, Hashable, Codable {
    case points
    case percent
}

/// One node of the indicator tree (一级…四级指标). Leaves carry the 分值/得分 and the texts.
public struct Indicator: Sendable, Hashable {
    /// `A`, `A1`, `A11`, `A111`, `B232`; inferred from the children when the name has none.
    public var code: String
    /// The name without code and weight: `项目决策`.
    public var name: String
    /// The cell text as written: `A.项目决策（20%）`.
    public var rawName: String
    /// 1-based level.
    public var level: Int
    /// Raw names from level 1 down to this node, as written.
    public var path: [String]
    /// A weight written into the name (`（12分）`, `（20%）`) or in the node's own weight cell.
    public var statedWeight: Double?
    public var statedWeightUnit: WeightUnit?
    /// Leaves: the 分值 (points). Parents: the sum of the children's weights (computed by roll-up).
    public var weight: Double?
    /// Leaves: the 得分 as written (nil when blank). Parents: rolled up from the leaves.
    public var score: Double?
    public var explanation: String?
    /// 评分标准 / 评分细则 / 指标评分细则.
    public var criteria: String?
    /// 数据来源.
    public var source: String?
    /// 项目支出绩效自评表 shape: 年度指标值 (the target as written, e.g. `≥95%`, `127人`) and
    /// 实际完成值 (the measured value as written), and 偏差原因分析及改进措施.
    public var target: String?
    public var actual: String?
    public var note: String?
    /// Where the node's name is.
    public var cell: Location?
    /// Where its weight and score cells are (for writers and findings); nil where the table has none.
    public var weightCell: CellRef?
    public var scoreCell: CellRef?
    public var children: [Indicator]

    public init(code: String, name: String, rawName: String? = nil, level: Int, path: [String] = [],
                statedWeight: Double? = nil, statedWeightUnit: WeightUnit? = nil,
                weight: Double? = nil, score: Double? = nil,
                explanation: String? = nil, criteria: String? = nil, source: String? = nil,
                cell: Location? = nil, weightCell: CellRef? = nil, scoreCell: CellRef? = nil,
                children: [Indicator] = []) {
        self.code = code
        self.name = name
        self.rawName = rawName ?? name
        self.level = level
        self.path = path
        self.statedWeight = statedWeight
        self.statedWeightUnit = statedWeightUnit
        self.weight = weight
        self.score = score
        self.explanation = explanation
        self.criteria = criteria
        self.source = source
        self.cell = cell
        self.weightCell = weightCell
        self.scoreCell = scoreCell
        self.children = children
    }

    public var isLeaf: Bool { children.isEmpty }

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
    public init() {}
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
    public var roots: [Indicator]
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

    public var leaves: [Indicator] {
        var out: [Indicator] = []
        for r in roots { r.appendLeaves(to: &out) }
        return out
    }
    public var allNodes: [Indicator] {
        var out: [Indicator] = []
        for r in roots { r.appendNodes(to: &out) }
        return out
    }
    public var parents: [Indicator] { allNodes.filter { !$0.isLeaf } }
}
