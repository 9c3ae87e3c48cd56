/// Splits a piece around the matches of a pattern (HF `pre_tokenizers.Split`).
///
/// `behavior` says what happens to a match, as in HF's `SplitDelimiterBehavior`:
/// `isolated` (own piece; LLaMA-3), `removed`, `mergedWithPrevious`, `mergedWithNext`,
/// `contiguous` (adjacent matches form one piece). Empty pieces are dropped. Consecutive matches
/// follow HF's folds in `normalizer.rs`: with `mergedWithPrevious` only the first of a run of
/// matches joins the text before it (and with `mergedWithNext` only the last joins the text after).
/// Example: pattern " " with `mergedWithNext` splits "a b" into ["a", " b"].
/// Not supported: `invert: true` (rejected at load).
struct SplitPreTokenizer: PreTokenizer {
    enum Behavior: String, Sendable {
        case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
        case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"
    }

    let pattern: any SplitPattern
    let behavior: Behavior

    func preTokenize(_ piece: NormalizedText) -> [NormalizedText] {
        let ranges = Self.pieceRanges(matches: pattern.matches(in: piece.scalars),
                                      count: piece.scalars.count, behavior: behavior)
        return ranges.map(piece.slice)
    }

    /// The ranges of the resulting pieces, given the matches in a text of `count` scalars.
    static func pieceRanges(matches: [Range<Int>], count: Int, behavior: Behavior) -> [Range<Int>] {
        // Cover the text with alternating gaps and matches.
        var segments: [(range: Range<Int>, isMatch: Bool)] = []
        var position = 0
        for match in matches where !match.isEmpty {
            if match.lowerBound > position { segments.append((position..<match.lowerBound, false)) }
            segments.append((match, true))
            position = match.upperBound
        }
        if position < count { segments.append((position..<count, false)) }

        var pieces: [Range<Int>] = []
        switch behavior {
        case .isolated:
            pieces = segments.map(\.range)
        case .removed:
            pieces = segments.filter { !$0.isMatch }.map(\.range)
        case .mergedWithPrevious:
            // A match joins the piece before it unless that piece was itself a match (HF's fold).
            var previousWasMatch = false
            for segment in segments {
                if segment.isMatch, !previousWasMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = last.lowerBound..<segment.range.upperBound
                } else {
                    pieces.append(segment.range)
                }
                previousWasMatch = segment.isMatch
            }
        case .mergedWithNext:
            var pendingStart: Int?
            for segment in segments {
                if segment.isMatch {
                    if let start = pendingStart { pieces.append(start..<segment.range.lowerBound) }
                    pendingStart = segment.range.lowerBound
                } else {
                    pieces.append((pendingStart ?? segment.range.lowerBound)..<segment.range.upperBound)
                    pendingStart = nil
                }
            }
            if let start = pendingStart { pieces.append(start..<count) }
        case .contiguous:
            var previousWasMatch = false
            for segment in segments {
                if segment.isMatch, previousWasMatch, let last = pieces.last {
                    pieces[pieces.count - 1] = last.lowerBound..<segment.range.upperBound
                } else {
                    pieces.append(segment.range)
                }
                previousWasMatch = segment.isMatch
            }
        }
        return pieces.filter { !$0.isEmpty }
    }
}
