/// The BPE merge rules: for a pair of adjacent token ids, the rank of the rule and the id of the
/// merged token (HF `BPE.merges`, a `HashMap<(u32, u32), (u32, u32)>`).
///
/// Rank 0 is applied first. In a `tokenizer.json` the rank is the rule's line in `merges`;
/// for a SentencePiece `tokenizer.model` it is the merged piece's score order (see
/// `SentencePieceModel`). If a pair is listed twice the later line wins, as in HF (its map is
/// collected from the list in order, so the last insert of a key stays).
struct MergeTable: Sendable {
    struct Rule: Sendable { let rank: Int32; let mergedID: Int32 }

    private let rules: [UInt64: Rule]

    init(rules: [(left: Int, right: Int, rank: Int, merged: Int)]) {
        var table: [UInt64: Rule] = [:]
        table.reserveCapacity(rules.count)
        for rule in rules {
            let key = MergeTable.key(rule.left, rule.right)
            table[key] = Rule(rank: Int32(rule.rank), mergedID: Int32(rule.merged))
        }
        self.rules = table
    }

    var count: Int { rules.count }

    func rule(_ left: Int, _ right: Int) -> Rule? { rules[MergeTable.key(left, right)] }

    private static func key(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }
}
