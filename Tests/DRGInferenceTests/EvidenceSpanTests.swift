import DRGKit
import TestSupport
import Testing
@testable import DRGInference
@testable import LlamaInference

@Suite struct EvidenceSpanTests {
    /// Scalar ranges of each whitespace-separated piece, as a word-level tokenizer would give.
    private func pieces(_ text: String) -> [Range<Int>] {
        let s = Array(text.unicodeScalars)
        var ranges: [Range<Int>] = [], start: Int?
        for i in 0...s.count {
            if i < s.count, !s[i].properties.isWhitespace { if start == nil { start = i } } else if let b = start { ranges.append(b..<i); start = nil }
        }
        return ranges
    }

    private func word(_ note: NoteSegmentation, _ w: String) -> Int {
        note.words.firstIndex { note.text($0) == w } ?? -1
    }

    @Test func tokenScoresAreSharedByOverlapAndBOSIsDropped() {
        let note = NoteSegmentation(text: "acute sepsis.")
        // BOS (empty), "acu", "te sep" (2 scalars in "acute", 3 in "sepsis"), "sis", "."
        let offsets = [0..<0, 0..<3, 3..<9, 9..<12, 12..<13]
        let scores: [Float] = [100, 1, 5, 2, 50]
        let words = EvidenceSpans.wordScores(tokenOffsets: offsets, tokenScores: scores, in: note)
        #expect(words.count == 2)
        // "te sep" covers "te" (2) and "sep" (3) — the space belongs to no word.
        #expect(abs(words[0] - (1 + 5 * 2.0 / 5)) < 1e-9)
        #expect(abs(words[1] - (5 * 3.0 / 5 + 2)) < 1e-9)
    }

    @Test func salientWordsMergeIntoAPhraseSpanInsideTheirPhrase() throws {
        let text = "She was admitted with acute on chronic systolic heart failure; diuresed with furosemide."
        let note = NoteSegmentation(text: text)
        var scores = [Double](repeating: 0.01, count: note.words.count)
        for w in ["acute", "chronic", "systolic", "heart", "failure"] { scores[word(note, w)] = 1 }
        scores[word(note, "furosemide")] = 0.5
        let spans = EvidenceSpans.select(wordScores: scores, in: note)
        #expect(spans.map { note.text($0.range) } == ["acute on chronic systolic heart failure", "furosemide"])
        #expect(abs(spans[0].score - 5.01) < 1e-9)
    }

    @Test func bridgingStopsAfterTooManyWeakWords() {
        let note = NoteSegmentation(text: "sepsis a b c pneumonia")
        var scores = [Double](repeating: 0, count: 5)
        scores[0] = 1; scores[4] = 0.9
        let three = EvidenceSpans.select(wordScores: scores, in: note, options: .init(bridge: 2))
        #expect(three.map { note.text($0.range) } == ["sepsis", "pneumonia"])
        let joined = EvidenceSpans.select(wordScores: scores, in: note, options: .init(bridge: 3))
        #expect(joined.map { note.text($0.range) } == ["sepsis a b c pneumonia"])
    }

    @Test func loneFunctionWordsNumbersAndNegativeScoresAreDropped() {
        let note = NoteSegmentation(text: "with, 124, the. Sepsis. Pneumonia.")
        let scores: [Double] = [9, 8, 7, 1, -3]
        let spans = EvidenceSpans.select(wordScores: scores, in: note)
        #expect(spans.map { note.text($0.range) } == ["Sepsis"])
    }

    @Test func limitAndNonOverlapHold() {
        let text = (1...30).map { "Problem\($0) noted." }.joined(separator: " ")
        let note = NoteSegmentation(text: text)
        let scores = note.words.indices.map { Double($0 % 7 + 1) }
        let spans = EvidenceSpans.select(wordScores: scores, in: note, options: .init(limit: 12))
        #expect(spans.count == 12)
        for (i, a) in spans.enumerated() { for b in spans[(i + 1)...] { #expect(!a.range.overlaps(b.range)) } }
        #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func sentencesRankByTheirBestPhraseAndClausesBySums() {
        let text = "Brief Hospital Course:\nShe had sepsis. Course complicated by hyponatremia. Stable."
        let note = NoteSegmentation(text: text)
        var scores = [Double](repeating: 0, count: note.words.count)
        for w in ["Brief", "Hospital", "Course"] { scores[word(note, w)] = 10 }
        scores[word(note, "sepsis")] = 2
        scores[word(note, "hyponatremia")] = 3
        scores[word(note, "complicated")] = -0.5
        let spans = EvidenceSpans.select(wordScores: scores, in: note, options: .init(granularity: .sentence))
        #expect(spans.map { note.text($0.range) } == ["Course complicated by hyponatremia.", "She had sepsis."])
        #expect(spans.map(\.score) == [3, 2])
        let clauses = EvidenceSpans.select(wordScores: scores, in: note, options: .init(granularity: .clause))
        #expect(clauses.map { note.text($0.range) } == ["Course complicated by hyponatremia", "She had sepsis"])
    }

    @Test func evidenceSpanCarriesScalarOffsetsAndText() {
        let text = "Fièvre 🙂 then sepsis."
        let note = NoteSegmentation(text: text)
        let offsets = pieces(text)
        var scores = [Float](repeating: 0, count: offsets.count)
        scores[3] = 2
        let words = EvidenceSpans.wordScores(tokenOffsets: offsets, tokenScores: scores, in: note)
        let spans = EvidenceSpans.select(wordScores: words, in: note)
        let evidence = spans.map { $0.evidence(in: note, supports: "871", aspect: .base) }
        #expect(evidence == [EvidenceSpan(start: 14, end: 20, text: "sepsis", supports: "871", aspect: "base", score: 2)])
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[14..<20])) == "sepsis")
    }
}

@Suite struct DRGEvidenceTests {
    @Test func baseSpansSupportTheBaseAndSplitSpansTheDRG() throws {
        let space = try LabelSpace(singleLabels: ["291", "292", "293", "951"], version: .v43, name: "t")
        let text = "Admitted with acute systolic heart failure. Course complicated by hyponatremia."
        let scalars = Array(text.unicodeScalars)
        // One token per word-like piece, BOS first.
        var offsets: [Range<Int>] = [0..<0], start: Int?
        for i in 0...scalars.count {
            let isWord = i < scalars.count && !scalars[i].properties.isWhitespace && scalars[i] != "."
            if isWord { if start == nil { start = i } } else if let s = start { offsets.append(s..<i); start = nil }
        }
        let base: [Float] = [9, 0, 0, 1, 1, 2, 2, 0, 0, 0, 0]       // "acute systolic heart failure"
        let split: [Float] = [9, 0, 0, 0, 0, 0, 0, 0, 0.1, 0, 3]     // "hyponatremia"
        let targets = DRGEvidence.targets(for: "291", in: space)
        let spans = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: [base, split], targets: targets,
                                      space: space, granularity: .phrase)
        #expect(spans.map(\.text) == ["acute systolic heart failure", "hyponatremia"])
        // By default, whole sentences (what predict reports).
        let sentences = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: [base, split], targets: targets, space: space)
        #expect(sentences.map(\.text) == ["Admitted with acute systolic heart failure.", "Course complicated by hyponatremia."])
        #expect(sentences.map(\.score) == spans.map(\.score))
        #expect(spans.map(\.aspect) == ["base", "cc_mcc"])
        #expect(spans.map(\.supports) == ["HEART FAILURE AND SHOCK", "291"])
        #expect(spans[1].start == 66 && spans[1].end == 78)
        #expect(sentences[1].start == 44 && sentences[1].end == 79)
        // An unsplit base has a zero split gradient: zero scores give no spans.
        let none = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: [base, [Float](repeating: 0, count: 11)],
                                     targets: DRGEvidence.targets(for: "951", in: space), space: space)
        #expect(none.map(\.aspect) == ["base"])
    }
}
