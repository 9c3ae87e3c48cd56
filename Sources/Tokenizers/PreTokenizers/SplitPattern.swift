/// Something that finds the matches of a `Split` pre-tokenizer's pattern in a piece of text.
///
/// Returns non-overlapping, increasing scalar ranges; what lies between them is "not a match".
protocol SplitPattern: Sendable {
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>]
}

/// A pattern whose matches partition the text (the GPT-2 and LLaMA-3 regex scanners): it only says
/// where the match starting at `i` ends; the shared `matches(in:)` walks the text with it.
/// Contract: `matchEnd` returns an index in `i + 1 ... scalars.count`.
protocol ScannedSplitPattern: SplitPattern {
    func matchEnd(at i: Int, scalars: [Unicode.Scalar], classes: [ScalarClass]) -> Int
}

extension ScannedSplitPattern {
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let classes = scalars.map(ScalarClass.init)
        var result: [Range<Int>] = []
        result.reserveCapacity(scalars.count / 3)
        var start = 0
        while start < scalars.count {
            let end = matchEnd(at: start, scalars: scalars, classes: classes)
            result.append(start..<end)
            start = end
        }
        return result
    }
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
