/// Byte-pair encoding of one word (HF `models.BPE`), covering both LLaMA flavours:
/// SentencePiece-style BPE with byte fallback (LLaMA-1/2) and byte-level BPE (LLaMA-3).
///
/// Algorithm, step for step as HF `BPE::merge_word` and `Word::merge_all`:
/// 1. Every scalar of the word becomes one symbol: its vocabulary id; otherwise (byte fallback)
///    one `<0xNN>` token per UTF-8 byte; otherwise the unknown token (consecutive unknowns fused
///    into one when `fuseUnknown`); with no unknown token the scalar is dropped.
/// 2. All adjacent pairs with a merge rule go into a `MergeQueue`. The best one (lowest rank, then
///    leftmost) is merged; stale entries (the symbols changed since they were queued and the pair
///    no longer yields the queued id) are skipped; the new neighbours' pairs are queued.
///    Note HF checks staleness by merged id only, so a stale entry whose *new* pair happens to
///    merge to the same id is applied with its old rank; this port keeps that quirk on purpose.
/// 3. With `ignoreMerges` (LLaMA-3) a word that is itself in the vocabulary is one token.
///
/// Offsets: a symbol covers the origins of the scalars it was built from; a byte-fallback token
/// covers its whole scalar (HF reports the same once its byte offsets become char offsets).
/// Example (LLaMA-2): "▁😀" → [▁ 29871, <0xF0>, <0x9F>, <0x98>, <0x80>], the last four all at 0..<1.
/// Not supported: dropout, `continuing_subword_prefix`, `end_of_word_suffix` (rejected at load).
struct BPEModel: TokenizationModel {
    let vocabulary: Vocabulary
    let merges: MergeTable
    let unknownID: Int?
    let fuseUnknown: Bool
    /// `byteFallbackIDs[b]` is the id of `<0xBB>`; nil when byte fallback is off.
    let byteFallbackIDs: [Int?]?
    let ignoreMerges: Bool

    private struct Symbol {
        var id: Int
        var start: Int   // origin start (original scalar offset)
        var end: Int     // origin end
        var previous: Int
        var next: Int
        var removed = false
    }

    func tokenize(_ word: NormalizedText) -> [Token] {
        guard !word.isEmpty else { return [] }
        if ignoreMerges, let id = vocabulary.id(of: word.scalars) {
            return [Token(id: id, origin: word.origins[0].lowerBound..<word.origins[word.origins.count - 1].upperBound)]
        }
        var symbols = initialSymbols(word)
        mergeAll(&symbols)
        return symbols.filter { !$0.removed }.map { Token(id: $0.id, origin: $0.start..<$0.end) }
    }

    private func initialSymbols(_ word: NormalizedText) -> [Symbol] {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(word.scalars.count)
        var pendingUnknown: (start: Int, end: Int)?
        func append(_ id: Int, _ start: Int, _ end: Int) {
            symbols.append(Symbol(id: id, start: start, end: end, previous: symbols.count - 1, next: symbols.count + 1))
        }
        func flushUnknown() {
            if let unknown = pendingUnknown, let unknownID { append(unknownID, unknown.start, unknown.end) }
            pendingUnknown = nil
        }
        for (scalar, origin) in zip(word.scalars, word.origins) {
            if let id = vocabulary.id(of: scalar) {
                flushUnknown()
                append(id, origin.lowerBound, origin.upperBound)
                continue
            }
            if let byteIDs = byteFallbackIDs {
                let ids = String(scalar).utf8.map { byteIDs[Int($0)] }
                if ids.allSatisfy({ $0 != nil }) {
                    // HF appends byte tokens without flushing a pending unknown first; same here.
                    for id in ids { if let id { append(id, origin.lowerBound, origin.upperBound) } }
                    continue
                }
            }
            guard unknownID != nil else { continue }
            if let unknown = pendingUnknown, fuseUnknown {
                pendingUnknown = (unknown.start, origin.upperBound)
            } else {
                flushUnknown()
                pendingUnknown = (origin.lowerBound, origin.upperBound)
            }
        }
        flushUnknown()
        if !symbols.isEmpty { symbols[symbols.count - 1].next = -1 }
        return symbols
    }

    private func mergeAll(_ symbols: inout [Symbol]) {
        guard symbols.count > 1 else { return }
        var queue = MergeQueue(capacity: symbols.count)
        for index in 0..<(symbols.count - 1) {
            if let rule = merges.rule(symbols[index].id, symbols[index + 1].id) {
                queue.push(.init(rank: rule.rank, position: Int32(index), mergedID: rule.mergedID))
            }
        }
        while let top = queue.pop() {
            let position = Int(top.position)
            guard !symbols[position].removed, symbols[position].next >= 0 else { continue }
            let nextPosition = symbols[position].next
            let right = symbols[nextPosition]
            guard let current = merges.rule(symbols[position].id, right.id), current.mergedID == top.mergedID else { continue }
            // Merge `right` into the symbol at `position`.
            symbols[position].id = Int(top.mergedID)
            symbols[position].end = right.end
            symbols[position].next = right.next
            symbols[nextPosition].removed = true
            if right.next >= 0 { symbols[right.next].previous = position }
            let previous = symbols[position].previous
            if previous >= 0, let rule = merges.rule(symbols[previous].id, symbols[position].id) {
                queue.push(.init(rank: rule.rank, position: Int32(previous), mergedID: rule.mergedID))
            }
            let next = symbols[position].next
            if next >= 0, let rule = merges.rule(symbols[position].id, symbols[next].id) {
                queue.push(.init(rank: rule.rank, position: Int32(position), mergedID: rule.mergedID))
            }
        }
    }
}
