/// Fills in the codes a table leaves out.
///
/// A node without a code takes the code its children's codes point to (`A1`, `A2` → `A`; `A11`, `A12` → `A1`);
/// what is still missing is numbered from the parent (`A` + 1, 2, …) or, at level 1, lettered A, B, C.
enum CodeInference {
    static func apply(_ roots: inout [Indicator]) {
        // Most tables write every code: a read-only look first, no write through the copy-on-write tree.
        guard roots.contains(where: missesCode) else { return }
        for i in roots.indices { fromChildren(&roots[i]) }
        let used = Set(roots.map(\.code).filter { !$0.isEmpty })
        var letter: UInt32 = 65
        for i in roots.indices where roots[i].code.isEmpty {
            while used.contains(String(Character(Unicode.Scalar(letter)!))) && letter < 90 { letter += 1 }
            roots[i].code = String(Character(Unicode.Scalar(letter)!))
            letter += 1
        }
        for i in roots.indices { fromParent(&roots[i]) }
    }

    /// Whether the node or one below it has no code.
    static func missesCode(_ node: Indicator) -> Bool {
        node.code.isEmpty || node.children.contains(where: missesCode)
    }

    /// Bottom-up: a parent code from the children's codes.
    private static func fromChildren(_ node: inout Indicator) {
        for i in node.children.indices where !node.children[i].isLeaf { fromChildren(&node.children[i]) }
        guard node.code.isEmpty, !node.children.isEmpty else { return }
        let stems = Set(node.children.compactMap { c -> String? in
            c.code.count >= 2 ? String(c.code.dropLast()) : nil
        })
        if stems.count == 1, let s = stems.first, node.children.allSatisfy({ $0.code.count >= 2 }) { node.code = s }
    }

    /// Top-down: a child without a code is numbered under its parent.
    private static func fromParent(_ node: inout Indicator) {
        // Most tables write every code: nothing to number here, only the subtrees to visit.
        guard node.children.contains(where: { $0.code.isEmpty }) else {
            for i in node.children.indices where !node.children[i].isLeaf { fromParent(&node.children[i]) }
            return
        }
        let used = Set(node.children.map(\.code))
        var n = 1
        for i in node.children.indices where node.children[i].code.isEmpty {
            while used.contains(node.code + String(n)) { n += 1 }
            node.children[i].code = node.code + String(n)
            n += 1
        }
        for i in node.children.indices { fromParent(&node.children[i]) }
    }
}
