import LlamaInference
import DRGKit

/// Turns per-token attribution scores into the few readable spans a coder reads: whole words,
/// merged into phrases (or whole sentences), at most ``Options/limit``, never overlapping.
///
///     let note = NoteSegmentation(text: text)
///     let words = EvidenceSpans.wordScores(tokenOffsets: encoding.offsets, tokenScores: scores, in: note)
///     let spans = EvidenceSpans.select(wordScores: words, in: note, options: .init())
///     spans.map { $0.evidence(in: note, supports: "291", aspect: .base) }   // [EvidenceSpan]
///
/// Contract:
/// - Token → word: a token's score is shared among the words it overlaps, in proportion to the
///   scalars it shares with each (a SentencePiece "▁heart" token overlaps only "heart"). Tokens that
///   overlap no word — BOS (empty range), punctuation, newlines — are dropped: they are not readable
///   evidence, and the BOS "attention sink" would otherwise dominate.
/// - Word → span (``Granularity/phrase``): inside each phrase of ``NoteSegmentation``, runs of
///   *salient* words (score ≥ `salience` (0.1) × the best content word's score) are joined, bridging at most
///   `bridge` weaker words between two salient ones; a span's score is the sum of its words' scores.
///   ``Granularity/clause``: every clause outside headers, scored by the signed sum of its words'
///   scores. ``Granularity/sentence``: every sentence holding a phrase span, scored by its best one
///   (what `DRGClassifier.predict` reports: whole sentences are what a coder reads, and deleting
///   them is what the faithfulness test measures; docs/EVIDENCE.md).
/// - Selection: best score first, positive scores only, non-overlapping, at most `limit`; spans made
///   only of function words ("the", "with", "was", …) or only of digits are dropped.
///
/// It does not decide what a score means (that is the attribution method's job) and does not look
/// at the note's clinical content.
public enum EvidenceSpans {
    public enum Granularity: String, Sendable, Codable, CaseIterable {
        /// Runs of salient words inside a clause ("acute on chronic systolic heart failure").
        case phrase
        /// Whole clauses: the sentence pieces between `,` `;` `:` `(` `)` (NoteSegmentation's phrases).
        case clause
        /// Whole sentences (or problem lines), each scored by the best phrase inside it.
        case sentence
        /// Whole sentences, each scored by the sum of its words' scores: the sentence's whole
        /// first-order contribution (direct logit attribution is additive over tokens).
        case sentenceTotal = "sentence-total"
    }

    public struct Options: Sendable, Equatable {
        public var granularity: Granularity
        /// At most this many spans.
        public var limit: Int
        /// A word is salient when its score is at least this fraction of the best word's score.
        public var salience: Double
        /// Weaker words a phrase span may bridge between two salient words.
        public var bridge: Int

        public init(granularity: Granularity = .phrase, limit: Int = 12, salience: Double = 0.1, bridge: Int = 2) {
            self.granularity = granularity; self.limit = limit; self.salience = salience; self.bridge = bridge
        }
    }

    /// A selected span: a range of the note and its score.
    public struct Scored: Sendable, Equatable {
        public var range: Range<Int>
        public var score: Double

        public init(range: Range<Int>, score: Double) { self.range = range; self.score = score }

        /// The shared contract type, with the text of the note's range.
        public func evidence(in note: NoteSegmentation, supports: String, aspect: EvidenceAspect) -> EvidenceSpan {
            EvidenceSpan(start: range.lowerBound, end: range.upperBound, text: note.text(range),
                         supports: supports, aspect: aspect.rawValue, score: score)
        }
    }

    /// One score per word of `note` (same order as `note.words`).
    /// `tokenOffsets[i]` is token i's scalar range (the tokenizer's `Encoding.offsets`);
    /// missing scores count as 0, extra scores are ignored.
    public static func wordScores(tokenOffsets: [Range<Int>], tokenScores: [Float], in note: NoteSegmentation) -> [Double] {
        var scores = [Double](repeating: 0, count: note.words.count)
        let words = note.words
        for (token, range) in tokenOffsets.enumerated() where token < tokenScores.count && !range.isEmpty {
            // First word that ends after the token starts (words are sorted and disjoint).
            var low = 0, high = words.count
            while low < high {
                let mid = (low + high) / 2
                if words[mid].upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
            }
            var overlaps: [(word: Int, scalars: Int)] = []
            var w = low
            while w < words.count, words[w].lowerBound < range.upperBound {
                let shared = words[w].clamped(to: range).count
                if shared > 0 { overlaps.append((w, shared)) }
                w += 1
            }
            let total = overlaps.reduce(0) { $0 + $1.scalars }
            guard total > 0 else { continue }
            for (word, shared) in overlaps {
                scores[word] += Double(tokenScores[token]) * Double(shared) / Double(total)
            }
        }
        return scores
    }

    /// The best spans of `note` for the given word scores, best first.
    public static func select(wordScores: [Double], in note: NoteSegmentation, options: Options = Options()) -> [Scored] {
        let candidates: [Scored]
        switch options.granularity {
        case .phrase: candidates = phraseCandidates(wordScores, note, options)
        case .clause: candidates = unitCandidates(wordScores, note, note.sentences.filter { !$0.isHeader }.flatMap(\.phrases))
        case .sentenceTotal: candidates = unitCandidates(wordScores, note, note.sentences.filter { !$0.isHeader }.map(\.range))
        case .sentence:
            var best: [Int: Scored] = [:]
            for phrase in phraseCandidates(wordScores, note, options) {
                guard let index = note.sentenceIndex(containing: phrase.range.lowerBound) else { continue }
                if phrase.score > best[index]?.score ?? -.infinity {
                    best[index] = Scored(range: note.sentences[index].range, score: phrase.score)
                }
            }
            candidates = Array(best.values)
        }
        var chosen: [Scored] = []
        for candidate in candidates.sorted(by: { $0.score != $1.score ? $0.score > $1.score : $0.range.lowerBound < $1.range.lowerBound }) {
            guard chosen.count < options.limit else { break }
            guard candidate.score > 0, isReadable(candidate.range, note) else { continue }
            guard !chosen.contains(where: { $0.range.overlaps(candidate.range) }) else { continue }
            chosen.append(candidate)
        }
        return chosen
    }

    static func phraseCandidates(_ scores: [Double], _ note: NoteSegmentation, _ options: Options) -> [Scored] {
        // Salience is relative to the best *content* word, so a high-scoring "with" or "the" does
        // not hide the words around it.
        let content = note.words.indices.filter { isContentWord(note.text(note.words[$0]).lowercased()) }
        guard let best = content.map({ scores[$0] }).max(), best > 0 else { return [] }
        let threshold = best * options.salience
        var candidates: [Scored] = []
        for sentence in note.sentences where !sentence.isHeader {
            for phrase in sentence.phrases {
                let indices = Array(note.wordIndices(inside: phrase))
                var k = 0
                while k < indices.count {
                    guard scores[indices[k]] >= threshold else { k += 1; continue }
                    var last = k          // last salient word of the run
                    var probe = k + 1
                    while probe < indices.count, probe - last - 1 <= options.bridge {
                        if scores[indices[probe]] >= threshold { last = probe }
                        probe += 1
                    }
                    let run = indices[k...last]
                    let range = note.words[indices[k]].lowerBound..<note.words[indices[last]].upperBound
                    candidates.append(Scored(range: range, score: run.reduce(0) { $0 + scores[$1] }))
                    k = last + 1
                }
            }
        }
        return candidates
    }

    /// Every unit (clause) scored by the signed sum of its words' scores: what deleting it removes,
    /// to first order.
    static func unitCandidates(_ scores: [Double], _ note: NoteSegmentation, _ units: [Range<Int>]) -> [Scored] {
        units.map { unit in
            Scored(range: unit, score: note.wordIndices(inside: unit).reduce(0) { $0 + scores[$1] })
        }
    }

    /// False for spans made only of function words or only of digits.
    static func isReadable(_ range: Range<Int>, _ note: NoteSegmentation) -> Bool {
        let words = note.wordIndices(inside: range).map { note.text(note.words[$0]).lowercased() }
        guard !words.isEmpty else { return false }
        return words.contains(where: isContentWord)
    }

    /// Neither a function word nor a bare number.
    static func isContentWord(_ lowercased: String) -> Bool {
        !functionWords.contains(lowercased) && !lowercased.allSatisfy { $0.isNumber || $0 == "." || $0 == "," }
    }

    /// English function words and note boilerplate that are never evidence alone.
    static let functionWords: Set<String> = [
        "a", "an", "the", "of", "and", "or", "but", "to", "in", "on", "at", "for", "with", "without", "by",
        "as", "from", "into", "onto", "over", "after", "before", "during", "was", "were", "is", "are", "be",
        "been", "being", "has", "had", "have", "that", "this", "these", "those", "which", "who", "whom",
        "it", "its", "he", "she", "her", "his", "him", "they", "them", "their", "patient", "pt", "also",
        "then", "there", "here", "so", "not", "no", "per", "via", "while", "when", "on", "up", "out", "did",
        "do", "does", "if", "than", "mr", "ms", "mrs", "dr", "year", "old", "y/o",
    ]
}

/// Which part of a DRG a span supports: the base DRG (principal diagnosis or procedure) or the
/// CC/MCC split (secondary diagnoses). The raw values are `EvidenceSpan.aspect`'s.
public enum EvidenceAspect: String, Sendable, Codable, CaseIterable {
    case base
    case ccMcc = "cc_mcc"
}
