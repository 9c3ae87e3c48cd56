/// One entry of tokenizer.json's `added_tokens`: a string matched whole in the input before any
/// other stage runs (HF `AddedToken`).
struct AddedToken: Sendable {
    let id: Int
    let content: [Unicode.Scalar]
    /// Special tokens (BOS, EOS, ...) are left out by `decode(skipSpecialTokens: true)`.
    let special: Bool
    /// Only match when not inside a word.
    let singleWord: Bool
    /// Also swallow the whitespace to the left / right of the match.
    let leftStrip: Bool
    let rightStrip: Bool
}

/// Stage 0: cuts the original text into added-token matches and the plain text between them
/// (HF `AddedVocabulary::split_with_indices`, which uses a leftmost-longest Aho-Corasick search).
///
/// Example (LLaMA-2): "<s>hi</s> there" → [token 1 at 0..<3, text 3..<5, token 2 at 5..<9, text 9..<15].
/// Matching compares scalars exactly, on the original text.
/// Not supported: tokens with `normalized: true` are also matched on the original text (HF matches
/// those after normalization); the LLaMA files have none. TODO(tokenizers): match them after
/// normalization if a checkpoint needs it.
struct AddedTokenSplitter: Sendable {
    enum Segment: Equatable {
        case token(id: Int, origin: Range<Int>)
        case text(Range<Int>)
    }

    /// Candidates by first scalar, longest first (so the first that matches is the longest).
    private let candidatesByFirstScalar: [UInt32: [AddedToken]]

    init(tokens: [AddedToken]) {
        var table: [UInt32: [AddedToken]] = [:]
        for token in tokens {
            guard let first = token.content.first else { continue }
            table[first.value, default: []].append(token)
        }
        candidatesByFirstScalar = table.mapValues { $0.sorted { $0.content.count > $1.content.count } }
    }

    func split(_ scalars: [Unicode.Scalar]) -> [Segment] {
        guard !candidatesByFirstScalar.isEmpty else { return scalars.isEmpty ? [] : [.text(0..<scalars.count)] }
        var segments: [Segment] = []
        var textStart = 0
        var index = 0
        while index < scalars.count {
            guard let match = longestMatch(at: index, in: scalars) else { index += 1; continue }
            var start = index
            var end = index + match.content.count
            if match.leftStrip { while start > textStart, scalars[start - 1].properties.isWhitespace { start -= 1 } }
            if match.rightStrip { while end < scalars.count, scalars[end].properties.isWhitespace { end += 1 } }
            if start > textStart { segments.append(.text(textStart..<start)) }
            segments.append(.token(id: match.id, origin: start..<end))
            textStart = end
            index = end
        }
        if textStart < scalars.count { segments.append(.text(textStart..<scalars.count)) }
        return segments
    }

    private func longestMatch(at index: Int, in scalars: [Unicode.Scalar]) -> AddedToken? {
        guard let candidates = candidatesByFirstScalar[scalars[index].value] else { return nil }
        for token in candidates {
            let end = index + token.content.count
            guard end <= scalars.count, scalars[index..<end].elementsEqual(token.content) else { continue }
            if token.singleWord, !Self.isWordBoundary(scalars, before: index, after: end) { continue }
            return token
        }
        return nil
    }

    private static func isWordBoundary(_ scalars: [Unicode.Scalar], before start: Int, after end: Int) -> Bool {
        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
        }
        let leftOK = start == 0 || !isWordScalar(scalars[start - 1])
        let rightOK = end == scalars.count || !isWordScalar(scalars[end])
        return leftOK && rightOK
    }
}
