/// Something that finds the matches of a `Split` pre-tokenizer's pattern in a piece of text.
///
/// Returns non-overlapping, increasing scalar ranges; what lies between them is "not a match".
protocol SplitPattern: Sendable {
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>]
}

/// A literal string pattern (HF `Split` with `{"String": ...}`), matched left to right.
struct LiteralSplitPattern: SplitPattern {
    let literal: [Unicode.Scalar]

    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        guard !literal.isEmpty else { return [] }
        var result: [Range<Int>] = []
        var index = 0
        while index + literal.count <= scalars.count {
            if scalars[index..<(index + literal.count)].elementsEqual(literal) {
                result.append(index..<(index + literal.count))
                index += literal.count
            } else {
                index += 1
            }
        }
        return result
    }
}
