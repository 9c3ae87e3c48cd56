/// A hand-written scanner for GPT-2's split regex, which HF's `ByteLevel` pre-tokenizer applies
/// when `use_regex` is true:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// Same reading rules as `LlamaThreeSplitPattern`. Example: "I'm  ok" → ["I", "'m", " ", " ok"].
struct GPT2SplitPattern: ScannedSplitPattern {
    static let regex = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    func matchEnd(at i: Int, scalars: [Unicode.Scalar], classes: [ScalarClass]) -> Int {
        let n = scalars.count
        if let end = Contractions.matchEnd(at: i, in: scalars, caseInsensitive: false) { return end }
        let j = scalars[i] == " " ? i + 1 : i
        if j < n, classes[j] == .letter || classes[j] == .number || classes[j] == .other {
            let wanted = classes[j]
            var end = j + 1
            while end < n, classes[end] == wanted { end += 1 }
            return end
        }
        guard classes[i].isWhitespace else { return i + 1 }  // unreachable: every class is covered above
        var runEnd = i + 1
        while runEnd < n, classes[runEnd].isWhitespace { runEnd += 1 }
        if runEnd == n { return runEnd }
        if runEnd - 1 > i { return runEnd - 1 }
        return runEnd
    }
}
