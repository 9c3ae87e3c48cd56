/// One piece of text on its way through the pipeline: its scalars, and for every scalar the range
/// of *original* scalars it came from.
///
/// This is HF `tokenizers`' `NormalizedString` with alignments counted in Unicode scalars instead
/// of bytes. A token's offsets are the start of its first scalar's origin and the end of its last
/// one, so an inserted scalar (the SentencePiece "▁" prefix) carries the origin of the scalar it was
/// inserted before, and every byte-level character of "é" carries the origin of the whole "é" —
/// which is what HF reports once its byte offsets are converted to character offsets.
///
/// Example: `NormalizedText(original: ["a", "b"], range: 0..<2)` has `origins == [0..<1, 1..<2]`.
///
/// Contract: `scalars.count == origins.count`; origins never decrease. This is per-call state:
/// it is created and consumed inside one `Tokenizer.encode` call.
struct NormalizedText: Sendable {
    private(set) var scalars: [Unicode.Scalar]
    private(set) var origins: [Range<Int>]
    /// The range of the original text this piece stands for (kept even when `scalars` is empty).
    let originalRange: Range<Int>

    /// The identity piece over `original[range]`.
    init(original: [Unicode.Scalar], range: Range<Int>) {
        scalars = Array(original[range])
        origins = range.map { $0..<($0 + 1) }
        originalRange = range
    }

    init(scalars: [Unicode.Scalar], origins: [Range<Int>], originalRange: Range<Int>) {
        self.scalars = scalars
        self.origins = origins
        self.originalRange = originalRange
    }

    var isEmpty: Bool { scalars.isEmpty }

    /// `scalars[range]` as its own piece, alignments kept. An empty range gives an empty piece
    /// positioned where the range starts.
    func slice(_ range: Range<Int>) -> NormalizedText {
        let start: Int
        let end: Int
        if range.isEmpty {
            start = range.lowerBound < origins.count ? origins[range.lowerBound].lowerBound : originalRange.upperBound
            end = start
        } else {
            start = origins[range.lowerBound].lowerBound
            end = origins[range.upperBound - 1].upperBound
        }
        return NormalizedText(scalars: Array(scalars[range]), origins: Array(origins[range]), originalRange: start..<end)
    }

    /// Inserts `prefix` in front; the new scalars take the origin of the current first scalar
    /// (HF `NormalizedString::prepend`). Does nothing to an empty piece.
    mutating func prepend(_ prefix: [Unicode.Scalar]) {
        guard let first = origins.first else { return }
        scalars.insert(contentsOf: prefix, at: 0)
        origins.insert(contentsOf: repeatElement(first, count: prefix.count), at: 0)
    }

    /// Replaces every non-overlapping occurrence of `pattern` (scanned left to right) with
    /// `replacement`; each new scalar takes the union of the origins it replaces.
    mutating func replace(_ pattern: [Unicode.Scalar], with replacement: [Unicode.Scalar]) {
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return }
        var newScalars: [Unicode.Scalar] = []
        var newOrigins: [Range<Int>] = []
        newScalars.reserveCapacity(scalars.count)
        newOrigins.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if index + pattern.count <= scalars.count, scalars[index] == pattern[0],
               scalars[index..<(index + pattern.count)].elementsEqual(pattern) {
                let origin = origins[index].lowerBound..<origins[index + pattern.count - 1].upperBound
                newScalars.append(contentsOf: replacement)
                newOrigins.append(contentsOf: repeatElement(origin, count: replacement.count))
                index += pattern.count
            } else {
                newScalars.append(scalars[index])
                newOrigins.append(origins[index])
                index += 1
            }
        }
        scalars = newScalars
        origins = newOrigins
    }
}

/// A token produced by the model stage: its id and the original scalar range it covers.
struct Token: Sendable, Equatable {
    var id: Int
    var origin: Range<Int>
}
