import DRGKit
import Foundation
import TestSupport
import Testing
@testable import DRGInference
@testable import LlamaInference

/// The MDC target and the principal-diagnosis / procedure split of a surgical DRG's base evidence.
@Suite struct EvidenceMDCTests {
    // 417/418/419: LAPAROSCOPIC CHOLECYSTECTOMY (MDC 07, surgical); 441/442: DISORDERS OF LIVER
    // (MDC 07, medical); 291: HEART FAILURE AND SHOCK (MDC 05).
    static let codes = ["417", "418", "419", "441", "442", "291"]
    static let logits: [Float] = [2.1, 0.4, -0.3, 0.9, -1.2, 0.6]

    static func single() throws -> LabelSpace { try LabelSpace(singleLabels: codes, version: .v43, name: "mdc-single") }

    static func two() throws -> (LabelSpace, [Float]) {
        let table = DRGTable.table(for: .v43)
        let bases = ["417", "441", "291"].compactMap { table.base(of: $0)?.name }
        return (try LabelSpace(twoLabelBases: bases, version: .v43, name: "mdc-two"), [1.3, 0.2, -0.4, 0.5, 0.1, 0.8, -0.2, 0.3])
    }

    @Test func theMDCMarginalIsTheSumOverTheMDCsLabels() throws {
        let space = try Self.single()
        let p = space.predict(logits: Self.logits).ranked
        let mdc07 = p.filter { ["417", "418", "419", "441", "442"].contains($0.drg) }.map(\.probability).reduce(0, +)
        for code in ["417", "441"] {
            #expect(abs(exp(try EvidenceTarget.mdc(of: code).objective(logits: Self.logits, in: space).logProbability) - mdc07) < 1e-9)
        }
        let (two, logits) = try Self.two()
        let bases = two.predict(logits: logits).baseDRGs
        let table = DRGTable.table(for: .v43)
        let names = ["417", "441"].compactMap { table.entry($0)?.baseDRG }
        let pBases = bases.filter { names.contains($0.label) }.map(\.probability).reduce(0, +)
        #expect(abs(exp(try EvidenceTarget.mdc(of: "418").objective(logits: logits, in: two).logProbability) - pBases) < 1e-6)
    }

    @Test func mdcGradientsMatchFiniteDifferences() throws {
        let (two, twoLogits) = try Self.two()
        for (space, logits) in [(try Self.single(), Self.logits), (two, twoLogits)] {
            let objective = try EvidenceTarget.mdc(of: "417").objective(logits: logits, in: space)
            for i in logits.indices {
                var up = logits, down = logits
                up[i] += 1e-2; down[i] -= 1e-2
                let numeric = (try EvidenceTarget.mdc(of: "417").objective(logits: up, in: space).logProbability
                               - EvidenceTarget.mdc(of: "417").objective(logits: down, in: space).logProbability) / 2e-2
                #expect(abs(numeric - Double(objective.gradient[i])) < 1e-3, "\(space.name) logit \(i)")
            }
        }
    }

    @Test func theUniformMDCDirectionIsTheMDCsMeanLogitAgainstTheRest() throws {
        let direction = try EvidenceTarget.mdc(of: "417").attributionDirection(logits: Self.logits, in: Self.single())
        #expect(direction.gradient.map { ($0 * 5).rounded() } == [1, 1, 1, 1, 1, -5])
    }

    @Test func onlySurgicalDRGsOfAnMDCWithOtherBasesGetTheMDCTarget() throws {
        let space = try Self.single()
        #expect(DRGEvidence.targets(for: "417", in: space) == [.mdc(of: "417"), .base(of: "417"), .ccMcc(of: "417")])
        #expect(DRGEvidence.targets(for: "441", in: space) == [.base(of: "441"), .ccMcc(of: "441")])
        #expect(DRGEvidence.targets(for: "291", in: space) == [.base(of: "291"), .ccMcc(of: "291")])
        // Alone in its MDC, the surgical base is the MDC: no separate target.
        let alone = try LabelSpace(singleLabels: ["417", "418", "419", "291"], version: .v43, name: "alone")
        #expect(DRGEvidence.targets(for: "417", in: alone) == [.base(of: "417"), .ccMcc(of: "417")])
        let (two, _) = try Self.two()
        #expect(DRGEvidence.targets(for: "417", in: two).first == .mdc(of: "417"))
    }

    /// One token per word, BOS first, as a tokenizer's offsets would give them.
    static func wordTokens(_ text: String) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        var offsets: [Range<Int>] = [0..<0], start: Int?
        for i in 0...scalars.count {
            let isWord = i < scalars.count && !scalars[i].properties.isWhitespace && scalars[i] != "."
            if isWord { if start == nil { start = i } } else if let s = start { offsets.append(s..<i); start = nil }
        }
        return offsets
    }

    @Test func surgicalBaseSpansLeadWithTheMDCsBestSentenceApartFromTheProcedure() throws {
        let space = try Self.single()
        let text = "Admitted with acute cholecystitis. He underwent lap chole. Course complicated by sepsis."
        let offsets = Self.wordTokens(text)     // BOS, Admitted with acute cholecystitis He underwent lap chole Course complicated by sepsis
        #expect(offsets.count == 13)
        let mdc: [Float] = [5, 0, 0, 2, 3, 0, 0, 1, 1, 0, 0, 0, 0]      // the diagnosis
        let base: [Float] = [5, 0, 0, 0.5, 0.5, 0, 1, 4, 4, 0, 0, 0, 0]  // mostly the procedure
        let split: [Float] = [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]     // sepsis
        let targets = DRGEvidence.targets(for: "417", in: space)
        let spans = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: [mdc, base, split], targets: targets, space: space)
        #expect(spans.map(\.text) == ["Admitted with acute cholecystitis.", "He underwent lap chole.", "Course complicated by sepsis."])
        #expect(spans.map(\.aspect) == ["base", "base", "cc_mcc"])
        #expect(spans[0].supports == "LAPAROSCOPIC CHOLECYSTECTOMY WITHOUT C.D.E." && spans[1].supports == spans[0].supports)
        #expect(spans[0].score == 5)   // the MDC target's score of its sentence
        // The procedure also tops the MDC target (it raises the MDC's surgical DRGs a lot): the
        // MDC's best sentence apart from the base's best one still leads.
        let procedureHeavy: [Float] = [5, 0, 0, 1, 2, 0, 1, 3, 3, 0, 0, 0, 0]
        let second = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: [procedureHeavy, base, split], targets: targets, space: space)
        #expect(second.filter { $0.aspect == "base" }.map(\.text) == ["Admitted with acute cholecystitis.", "He underwent lap chole."])
        // A medical DRG's base spans come from the base target alone, best first.
        let medical = DRGEvidence.spans(text: text, tokenOffsets: offsets, tokenScores: [base, split],
                                        targets: DRGEvidence.targets(for: "441", in: space), space: space)
        #expect(medical.filter { $0.aspect == "base" }.map(\.text) == ["He underwent lap chole.", "Admitted with acute cholecystitis."])
    }
}

@Suite struct SentenceTotalGranularityTests {
    @Test func aSentenceTotalAddsItsWordsWhereTheDefaultTakesTheBestPhrase() {
        let text = "Fever, cough, hypoxia, infiltrate. Sepsis noted."
        let note = NoteSegmentation(text: text)
        // Words: Fever cough hypoxia infiltrate Sepsis noted — four clauses of 1 against one word of 2.5.
        let words: [Double] = [1, 1, 1, 1, 2.5, 0]
        let best = EvidenceSpans.select(wordScores: words, in: note, options: .init(granularity: .sentence, limit: 1))
        let total = EvidenceSpans.select(wordScores: words, in: note, options: .init(granularity: .sentenceTotal, limit: 1))
        #expect(best.map { note.text($0.range) } == ["Sepsis noted."])
        #expect(total.map { note.text($0.range) } == ["Fever, cough, hypoxia, infiltrate."])
        #expect(total.first?.score == 4)
    }
}
