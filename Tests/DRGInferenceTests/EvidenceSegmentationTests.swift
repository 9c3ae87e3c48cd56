import TestSupport
import Testing
@testable import DRGInference
@testable import LlamaInference

@Suite struct EvidenceSegmentationTests {
    private func sentences(_ text: String) -> [String] {
        let note = NoteSegmentation(text: text)
        return note.sentences.map { note.text($0.range) }
    }

    @Test func headerLineIsItsOwnSentence() {
        let note = NoteSegmentation(text: "Brief Hospital Course:\nShe was admitted for sepsis. She improved.")
        #expect(note.sentences.map { note.text($0.range) } == ["Brief Hospital Course:", "She was admitted for sepsis.", "She improved."])
        #expect(note.sentences.map(\.isHeader) == [true, false, false])
    }

    @Test func inlineTitleCaseHeaderIsSplitOff() {
        let note = NoteSegmentation(text: "Hospital Course: He was admitted. Atrial fibrillation: rate controlled.")
        #expect(note.sentences.map { note.text($0.range) } == ["Hospital Course:", "He was admitted.", "Atrial fibrillation: rate controlled."])
        #expect(note.sentences.map(\.isHeader) == [true, false, false])
    }

    @Test func abbreviationsDoNotEndSentences() {
        #expect(sentences("Pt. was seen by Dr. Smith on the floor. Mr. ___ is doing well.")
                == ["Pt. was seen by Dr. Smith on the floor.", "Mr. ___ is doing well."])
        #expect(sentences("Seen by J. Smith, e.g. Cardiology. Stable.") == ["Seen by J. Smith, e.g. Cardiology.", "Stable."])
    }

    @Test func decimalsAndLowerCaseContinuationsStayTogether() {
        #expect(sentences("pH was 7.4 and Cr 2.1. She improved. approx. 3 days later she left.")
                == ["pH was 7.4 and Cr 2.1.", "She improved. approx. 3 days later she left."])
    }

    @Test func numberedListMarkersDoNotSplit() {
        #expect(sentences("Plan: 1. Sepsis treated. 2. Diabetes controlled.\n1. Anemia: transfused.")
                == ["Plan: 1. Sepsis treated.", "2. Diabetes controlled.", "1. Anemia: transfused."])
        // A value ending a sentence does split.
        #expect(sentences("Sodium was 124. She was given saline.") == ["Sodium was 124.", "She was given saline."])
    }

    @Test func problemLinesAndBulletsAreSentences() {
        let text = "# Sepsis: presented with fever; treated with cefepime.\n# Hyponatremia: Na 124.\n- follow up PCP"
        #expect(sentences(text) == ["# Sepsis: presented with fever; treated with cefepime.", "# Hyponatremia: Na 124.", "- follow up PCP"])
        #expect(NoteSegmentation(text: text).sentences.allSatisfy { !$0.isHeader })
    }

    @Test func phrasesSplitAtClausePunctuation() {
        let note = NoteSegmentation(text: "Course was complicated by hyponatremia; sodium was 1,240 (low), treated - improved.")
        let phrases = note.sentences[0].phrases.map { note.text($0) }
        #expect(phrases == ["Course was complicated by hyponatremia", "sodium was 1,240", "low", "treated", "improved"])
    }

    @Test func wordsKeepDecimalsSlashesAndHyphens() {
        let note = NoteSegmentation(text: "h/o non-ST MI, K 3.5, COVID-19; patient's (x2).")
        #expect(note.words.map { note.text($0) } == ["h/o", "non-ST", "MI", "K", "3.5", "COVID-19", "patient's", "x2"])
    }

    @Test func offsetsAreUnicodeScalarOffsets() {
        // "é" as e + combining acute is two scalars; the emoji is one scalar.
        let text = "Fe\u{0301}ver 🙂 noted. Sepsis."
        let note = NoteSegmentation(text: text)
        let scalars = Array(text.unicodeScalars)
        #expect(note.sentences.count == 2)
        #expect(note.sentences[1].range == (scalars.count - 7)..<scalars.count)
        #expect(note.text(note.sentences[1].range) == "Sepsis.")
        #expect(note.words.first == 0..<6)
    }

    @Test func rangesAreTrimmedAndBlankInputsGiveNothing() {
        #expect(NoteSegmentation(text: "").sentences.isEmpty)
        #expect(NoteSegmentation(text: " \n\n\t ").sentences.isEmpty)
        let note = NoteSegmentation(text: "  Fever.  \r\n\n  Cough  ")
        #expect(note.sentences.map { note.text($0.range) } == ["Fever.", "Cough"])
        #expect(note.sentenceIndex(containing: 3) == 0)
        #expect(note.sentenceIndex(containing: 0) == nil)
    }

    @Test func everyWordLiesInASentence() {
        let text = "Brief Hospital Course:\nMs. ___ is a 71 y/o F with h/o CHF. She presented w/ SOB; BNP 1,200.\n# AKI: Cr 2.1."
        let note = NoteSegmentation(text: text)
        for word in note.words {
            #expect(note.sentenceIndex(containing: word.lowerBound) != nil, "\(note.text(word))")
        }
    }
}
