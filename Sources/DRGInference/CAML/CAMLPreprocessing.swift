import Foundation

/// The text → tokens step of JHLiu7/EarlyDRGPrediction (`preprocessing.preprocess_mimic`, adapted
/// there from the BioWordVec repository), then `save2id` and `DrgTextDataset.read_text`:
///
/// 1. `clean_text`: each `[**…**]` de-identification bracket becomes as many spaces (one line, shortest
///    match), `_` becomes a space, and everything from the report's end is blanked: the earliest of
///    `BY ELECTRONICALLY SIGNING THIS REPORT`, a newline + 3 spaces + `DR`+any, ` RADLINE `, the START
///    of the line holding `electronically signed on`, `M[0KM[0KM` (case-insensitive but the last).
///    The length never changes, so offsets into the cleaned text are offsets into the note.
/// 2. `split_heading`: the text is cut before and after each section title (`HISTORY:`, `FINDINGS:`,
///    `IMPRESSION:`, … and `FINAL REPORT`), each piece stripped.
/// 3. NLTK `sent_tokenize`, then `word_tokenize` on each sentence, then lower case.
/// 4. Ids: `<unk>` for unknown words; the first `max_seq_length` ids, zero-padded.
///
/// **Approximated** (docs/CAML.md): step 3's sentence splitter. The repository ran NLTK's trained
/// English Punkt model (nltk_data, not redistributable here); this implements Punkt's decision with
/// no trained parameters, as `PunktSentenceTokenizer()` makes it (the fixtures' reference): a `.`, `?`
/// or `!` ending a word and followed by white space ends a sentence, except after an ellipsis (`..`),
/// and after an initial (`A.`) or a number (`2.`) when the next word starts in lower case or is
/// punctuation, or after an initial when it starts in upper case. The trained model also knows
/// abbreviations (`dr.`, `mg.`, …) and keeps them whole: with it `Dr. Smith` stays one sentence and
/// `dr.` one token; here it is `dr` `.` — as in the fixtures, not as in the paper's runs.
/// The word tokenizer is NLTK 3.9's `NLTKWordTokenizer` rule for rule (the repository pinned 3.6.5,
/// whose rules are the same but for two quote rules), on `NSRegularExpression` (ICU), whose `\w`, `\s`
/// and `\b` are Unicode-aware like Python's; lower case is Swift's `lowercased()` (Python's
/// `str.lower()` differs for a few characters such as `İ`).
public enum CAMLPreprocessing {
    /// A token and where it came from: Unicode-scalar offsets into the note (nil when the token is
    /// not a piece of the text, which NLTK's quote rewriting can make: `"` becomes `` `` `` or `''`).
    public struct Token: Sendable, Equatable {
        public var text: String
        public var start: Int?
        public var end: Int?
    }

    /// Steps 1–3.
    public static func tokenize(_ note: String) -> [Token] {
        let cleaned = cleanText(note)
        let scalars = Array(cleaned.unicodeScalars)
        var aligner = Aligner(scalars: scalars)
        var tokens: [Token] = []
        for section in splitHeading(cleaned) {
            for sentence in sentences(section) {
                for word in wordTokenize(sentence) {
                    let span = aligner.locate(word)
                    tokens.append(Token(text: word.lowercased(), start: span?.lowerBound, end: span?.upperBound))
                }
            }
        }
        return tokens
    }

    /// Step 4: `save2id` and `read_text`'s padding (ids beyond `length` dropped, zeros after).
    public static func ids(_ tokens: [Token], vocabulary: CAMLVocabulary, length: Int) -> (ids: [Int], truncated: Bool) {
        var ids = tokens.prefix(length).map { vocabulary.id($0.text) }
        let truncated = tokens.count > length
        ids += [Int](repeating: CAMLVocabulary.padID, count: length - ids.count)
        return (ids, truncated)
    }

    // MARK: clean_text

    static func cleanText(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        let space: Unicode.Scalar = " "
        var i = 0
        while i + 2 < scalars.count {
            if scalars[i] == "[", scalars[i + 1] == "*", scalars[i + 2] == "*" {
                var j = i + 3
                var close: Int?
                while j + 2 < scalars.count, scalars[j] != "\n" {
                    if scalars[j] == "*", scalars[j + 1] == "*", scalars[j + 2] == "]" { close = j + 3; break }
                    j += 1
                }
                if let close {
                    for k in i..<close { scalars[k] = space }
                    i = close
                    continue
                }
            }
            i += 1
        }
        for k in scalars.indices where scalars[k] == "_" { scalars[k] = space }
        var cleaned = String(String.UnicodeScalarView(scalars))
        let end = findEnd(cleaned)
        if end < scalars.count {
            for k in end..<scalars.count { scalars[k] = space }
            cleaned = String(String.UnicodeScalarView(scalars))
        }
        return cleaned
    }

    static let endPatterns: [NSRegularExpression] = [
        regex("BY ELECTRONICALLY SIGNING THIS REPORT", caseInsensitive: true),
        regex("\\n {3,}DR.", caseInsensitive: true),
        regex("[ ]{1,}RADLINE ", caseInsensitive: true),
        regex(".*electronically signed on", caseInsensitive: true),
        regex("M\\[0KM\\[0KM", caseInsensitive: false),
    ]

    /// Scalar offset where the report ends (`find_end`).
    static func findEnd(_ text: String) -> Int {
        let whole = NSRange(text.startIndex..., in: text)
        var end = text.unicodeScalars.count
        for pattern in endPatterns {
            if let match = pattern.firstMatch(in: text, range: whole), let range = Range(match.range, in: text) {
                end = min(end, text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound))
            }
        }
        return end
    }

    // MARK: split_heading

    static let sectionTitles = regex(
        "(ABDOMEN AND PELVIS|CLINICAL HISTORY|CLINICAL INDICATION|COMPARISON|COMPARISON STUDY DATE"
        + "|EXAM|EXAMINATION|FINDINGS|HISTORY|IMPRESSION|INDICATION"
        + "|MEDICAL CONDITION|PROCEDURE|REASON FOR EXAM|REASON FOR STUDY|REASON FOR THIS EXAMINATION"
        + "|TECHNIQUE"
        + "):|FINAL REPORT", caseInsensitive: true, multiline: true)

    /// The sections and titles, stripped (Python's `strip()`: white space at both ends), non-empty.
    static func splitHeading(_ text: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        func add(_ piece: Substring) {
            let stripped = piece.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !stripped.isEmpty, let lower = piece.firstIndex(where: { !$0.isWhitespace }),
                  let upper = piece.lastIndex(where: { !$0.isWhitespace }) else { return }
            pieces.append(text[lower...upper])
        }
        for match in sectionTitles.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            if range.lowerBound != start { add(text[start..<range.lowerBound]) }
            if range.upperBound != range.lowerBound { add(text[range]) }
            start = range.upperBound
        }
        if start < text.endIndex { add(text[start...]) }
        return pieces
    }

    // MARK: sent_tokenize (untrained Punkt; see the type's documentation)

    static func sentences(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        var sentenceStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if ".?!".contains(c), next < text.endIndex, text[next].isWhitespace,
               let wordStart = text[sentenceStart..<next].lastIndex(where: \.isWhitespace).map({ text.index(after: $0) }) ?? Optional(sentenceStart),
               let nextWordStart = text[next...].firstIndex(where: { !$0.isWhitespace }) {
                let word = text[wordStart..<next]
                let nextWord = text[nextWordStart...].prefix { !$0.isWhitespace }
                if isBreak(word: word, next: nextWord) {
                    result.append(text[sentenceStart..<next])
                    sentenceStart = nextWordStart
                    index = nextWordStart
                    continue
                }
            }
            index = next
        }
        if sentenceStart < text.endIndex {
            let rest = text[sentenceStart...]
            if rest.contains(where: { !$0.isWhitespace }) { result.append(rest) }
        }
        return result
    }

    static let number = regex("^-?[\\.,]?\\d[\\d,\\.-]*\\.?$", caseInsensitive: false)
    static let initial = regex("^[^\\W\\d]\\.$", caseInsensitive: false)

    /// Punkt's first and second pass for one candidate, with no trained abbreviations, collocations,
    /// sentence starters or orthographic statistics.
    static func isBreak(word: Substring, next: Substring) -> Bool {
        guard let last = word.last else { return false }
        if last == "?" || last == "!" { return true }
        if word.hasSuffix("..") { return false }                     // an ellipsis
        let type = String(word)
        let isInitial = matches(initial, type)
        let isNumber = matches(number, type)
        guard isInitial || isNumber else { return true }
        let nextFirst = next.first
        if let nextFirst, ";:,.!?".contains(nextFirst), next.count == 1 { return false }   // punctuation
        if let nextFirst, nextFirst.isLowercase { return false }     // not a sentence starter
        if isInitial, let nextFirst, nextFirst.isUppercase { return false }
        return true
    }

    // MARK: word_tokenize (NLTKWordTokenizer)

    typealias Rule = (NSRegularExpression, String)

    static let startingQuotes: [Rule] = [
        (regex("([«“‘„]|[`]+)"), " $1 "),
        (regex("^\""), "``"),
        (regex("(``)"), " $1 "),
        (regex("([ \\(\\[{<])(\"|'{2})"), "$1 `` "),
        (regex("(?i)(')(?!re|ve|ll|m|t|s|d|n)(\\w)\\b"), "$1 $2"),
    ]
    static let punctuation: [Rule] = [
        (regex("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$"), "$1 $2 $3 "),
        (regex("([:,])([^\\d])"), " $1 $2"),
        (regex("([:,])$"), " $1 "),
        (regex("\\.{2,}"), " $0 "),
        (regex("[;@#$%&]"), " $0 "),
        (regex("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$"), "$1 $2$3 "),
        (regex("[?!]"), " $0 "),
        (regex("([^'])' "), "$1 ' "),
        (regex("[*]"), " $0 "),
    ]
    static let parensBrackets: Rule = (regex("[\\]\\[\\(\\)\\{\\}\\<\\>]"), " $0 ")
    static let doubleDashes: Rule = (regex("--"), " -- ")
    static let endingQuotes: [Rule] = [
        (regex("([»”’])"), " $1 "),
        (regex("''"), " '' "),
        (regex("\""), " '' "),
        (regex("\\s+"), " "),
        (regex("([^' ])('[sS]|'[mM]|'[dD]|') "), "$1 $2 "),
        (regex("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), "$1 $2 "),
    ]
    static let contractions: [Rule] = [
        "(?i)\\b(can)(?#X)(not)\\b", "(?i)\\b(d)(?#X)('ye)\\b", "(?i)\\b(gim)(?#X)(me)\\b", "(?i)\\b(gon)(?#X)(na)\\b",
        "(?i)\\b(got)(?#X)(ta)\\b", "(?i)\\b(lem)(?#X)(me)\\b", "(?i)\\b(more)(?#X)('n)\\b", "(?i)\\b(wan)(?#X)(na)(?=\\s)",
        "(?i) ('t)(?#X)(is)\\b", "(?i) ('t)(?#X)(was)\\b",
    ].map { (regex($0), " $1 $2 ") }

    /// `word_tokenize(sentence)`: NLTKWordTokenizer.tokenize (parentheses not converted), then
    /// Python's `str.split()`.
    static func wordTokenize(_ sentence: Substring) -> [String] {
        var text = String(sentence)
        func apply(_ rules: [Rule]) { for (pattern, template) in rules { text = substitute(pattern, template, text) } }
        apply(startingQuotes)
        apply(punctuation)
        apply([parensBrackets, doubleDashes])
        text = " " + text + " "
        apply(endingQuotes)
        apply(contractions)
        return text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    // MARK: Helpers

    static func regex(_ pattern: String, caseInsensitive: Bool = false, multiline: Bool = false) -> NSRegularExpression {
        var options: NSRegularExpression.Options = []
        if caseInsensitive { options.insert(.caseInsensitive) }
        if multiline { options.insert(.anchorsMatchLines) }
        // The patterns are constants of this file; a typo fails every test at once.
        return try! NSRegularExpression(pattern: pattern, options: options)   // swiftlint:disable:this force_try
    }

    static func substitute(_ pattern: NSRegularExpression, _ template: String, _ text: String) -> String {
        pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Finds each token, in order, in the cleaned note's scalars (for evidence offsets).
    struct Aligner {
        let scalars: [Unicode.Scalar]
        var cursor = 0

        mutating func locate(_ token: String) -> Range<Int>? {
            let wanted = Array(token.unicodeScalars)
            while cursor < scalars.count, scalars[cursor].properties.isWhitespace { cursor += 1 }
            let window = min(scalars.count, cursor + 64 + wanted.count)
            var start = cursor
            while start + wanted.count <= window {
                if Array(scalars[start..<(start + wanted.count)]) == wanted {
                    cursor = start + wanted.count
                    return start..<cursor
                }
                if token == "``" || token == "''", scalars[start] == "\"" {
                    cursor = start + 1
                    return start..<cursor
                }
                start += 1
            }
            return nil
        }
    }
}
