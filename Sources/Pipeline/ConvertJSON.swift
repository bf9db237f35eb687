import Foundation
import IndicatorModel
import SheetCore

/// Reads the object `jixiao check --json` prints back into a `Framework`, so that a checked (or hand-edited)
/// table can be turned into a workbook again: `jixiao convert table.json 附件.xlsx`.
///
/// The tree is rebuilt from each indicator's `path` (level-1 name first, as written); the parents' stated
/// weights, weights and scores come from `parents`, the totals from `total`.
public enum FrameworkJSON {
    /// - Throws: `JixiaoError.invalidValue` naming the file when the text is not JSON or not the check object.
    public static func read(path: String) throws -> Framework {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw JixiaoError(.io, "cannot read the file / 无法读取文件", at: Location(file: path),
                              underlying: "\(error.localizedDescription)")
        }
        return try read(data: data, name: path)
    }

    public static func read(data: Data, name: String) throws -> Framework {
        let loc = Location(file: name)
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let root = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
            throw JixiaoError(.invalidValue, "not a JSON object / 不是有效的 JSON 对象", at: loc)
        }
        guard let indicators = root["indicators"] as? [[String: Any]], !indicators.isEmpty else {
            throw JixiaoError(.noTable, "no \"indicators\" list: expected the object of jixiao check --json / 缺少 indicators",
                              at: loc)
        }
        func str(_ o: [String: Any], _ k: String) -> String? { o[k] as? String }
        func num(_ o: [String: Any], _ k: String) -> Double? { (o[k] as? NSNumber)?.doubleValue }

        var parentInfo: [[String]: [String: Any]] = [:]
        for p in root["parents"] as? [[String: Any]] ?? [] {
            if let path = p["path"] as? [String] { parentInfo[path] = p }
        }

        var roots: [Indicator] = []
        var depth = 1
        for (i, leaf) in indicators.enumerated() {
            guard let path = leaf["path"] as? [String], !path.isEmpty else {
                throw JixiaoError(.invalidValue, "indicator \(i + 1) has no \"path\" / 第\(i + 1)个指标缺少 path", at: loc)
            }
            depth = max(depth, path.count)
            var node = Indicator(code: str(leaf, "code") ?? "", name: path.last!, rawName: path.last!,
                                 level: path.count, path: path, weight: num(leaf, "weight"), score: num(leaf, "score"),
                                 explanation: str(leaf, "explanation"), criteria: str(leaf, "criteria"),
                                 source: str(leaf, "source"))
            node.target = str(leaf, "target")
            node.actual = str(leaf, "actual")
            node.note = str(leaf, "note")
            insert(node, into: &roots, path: path[...], parents: parentInfo)
        }
        var totals = Totals()
        if let t = root["total"] as? [String: Any] {
            totals = Totals(weight: num(t, "weight"), score: num(t, "score"), statedWeight: num(t, "stated_weight"),
                            statedScore: num(t, "stated_score"))
        }
        let levels = max(Int(num(root, "levels") ?? 0), depth)
        return Framework(file: str(root, "file") ?? name, sheet: str(root, "sheet") ?? "", title: str(root, "title"),
                         organisation: str(root, "organisation"), levels: levels, roots: roots, totals: totals)
    }

    /// Adds a leaf under the parents its path names, creating them in table order (a parent continues when the
    /// last child at its level has the same name).
    private static func insert(_ leaf: Indicator, into list: inout [Indicator], path: ArraySlice<String>,
                               parents: [[String]: [String: Any]]) {
        if path.count == 1 {
            list.append(leaf)
            return
        }
        let name = path.first!
        let fullPath = Array(leaf.path[..<(leaf.path.count - path.count + 1)])
        if let last = list.last, last.rawName == name, !last.isLeaf {
            insert(leaf, into: &list[list.count - 1].children, path: path.dropFirst(), parents: parents)
            return
        }
        let info = parents[fullPath] ?? [:]
        var parent = Indicator(code: info["code"] as? String ?? "", name: name, rawName: name, level: fullPath.count,
                               path: fullPath, statedWeight: (info["stated_weight"] as? NSNumber)?.doubleValue,
                               statedWeightUnit: info["stated_weight"] is NSNumber ? .points : nil,
                               weight: (info["weight"] as? NSNumber)?.doubleValue,
                               score: (info["score"] as? NSNumber)?.doubleValue)
        insert(leaf, into: &parent.children, path: path.dropFirst(), parents: parents)
        list.append(parent)
    }
}
