import LlamaInference
/// A clinical note cut into words, phrases and sentences, every piece a range of Unicode-scalar
/// offsets into the original text (the offsets `EvidenceSpan` and the tokenizer's `Encoding.offsets`
/// use).
///
///     let note = NoteSegmentation(text: "Brief Hospital Course:\nPt. had Na 124. Dr. ___ saw her.")
///     note.sentences.map { note.text($0.range) }
///     // ["Brief Hospital Course:", "Pt. had Na 124.", "Dr. ___ saw her."]
///     note.sentences[0].isHeader                      // true
///
/// Rules (written for MIMIC-style discharge summaries, not general prose):
/// - **Lines** always end a sentence: a "# Problem: ..." line, a "- item", a header line.
/// - Inside a line, `.`, `!` or `?` ends a sentence when whitespace follows and the next character
///   is an upper-case letter, a digit, `#` or an opening quote/bracket — *unless* the word before is a
///   known abbreviation ("Dr.", "Mr.", "Ms.", "pt.", "e.g.", "approx.", …, any single letter), or is
///   a list marker ("1." at the start of a line or after `:`). A lower-case or "___" continuation
///   ("pt. was", "Ms. ___ is") never splits. "7.4" is one word (no whitespace after the point).
/// - A **header** is a whole line ending in `:` ("Brief Hospital Course:"), or a line-initial run of
///   two to five Title-Case words ending in `:` ("Hospital Course: He was…"); it is its own sentence
///   with `isHeader == true`. Lines starting with `#` are problems, never headers.
/// - **Phrases** split a sentence at `,` `;` `:` `(` `)` and at " - " dashes.
/// - **Words** are runs of letters and digits, joined across `.` `-` `/` `'` `+` when a letter or
///   digit follows ("7.4", "h/o", "COVID-19", "patient's"); other punctuation is not a word.
///
/// Every range is trimmed of surrounding whitespace and non-empty. Thread safety: an immutable value.
/// It does not detect sections other than headers, negation or abbreviations outside its list.
public struct NoteSegmentation: Sendable, Equatable {
    /// A sentence (or header, or problem line) and the phrases inside it.
    public struct Sentence: Sendable, Equatable {
        public var range: Range<Int>
        public var isHeader: Bool
        /// Sub-ranges of `range`, in order, non-overlapping.
        public var phrases: [Range<Int>]
    }

    /// The note as Unicode scalars: `scalars[i]` is offset `i`.
    public let scalars: [Unicode.Scalar]
    /// Every word, in order.
    public let words: [Range<Int>]
    /// Every sentence, in order, covering every word.
    public let sentences: [Sentence]

    public init(text: String) {
        let scalars = Array(text.unicodeScalars)
        self.scalars = scalars
        words = Self.findWords(scalars)
        var sentences: [Sentence] = []
        for line in Self.lines(scalars) {
            for (range, isHeader) in Self.sentences(in: line, scalars) {
                sentences.append(Sentence(range: range, isHeader: isHeader, phrases: Self.phrases(in: range, scalars)))
            }
        }
        self.sentences = sentences
    }

    /// The text of `range` (clamped to the note).
    public func text(_ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<scalars.count)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[clamped])
        return String(result)
    }

    /// The index of the sentence whose range contains `offset`, if any.
    public func sentenceIndex(containing offset: Int) -> Int? {
        var low = 0, high = sentences.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = sentences[mid].range
            if offset < range.lowerBound { high = mid - 1 } else if offset >= range.upperBound { low = mid + 1 } else { return mid }
        }
        return nil
    }

    /// Words whose range lies inside `range`, as indices into ``words``.
    public func wordIndices(inside range: Range<Int>) -> Range<Int> {
        let first = words.firstIndex { $0.lowerBound >= range.lowerBound } ?? words.count
        var last = first
        while last < words.count, words[last].upperBound <= range.upperBound { last += 1 }
        return first..<last
    }
}

// MARK: - The rules

extension NoteSegmentation {
    /// Abbreviations whose trailing period does not end a sentence (compared lower-cased, without
    /// the final period). Single letters ("J. Smith") are handled separately.
    static let abbreviations: Set<String> = [
        "dr", "mr", "mrs", "ms", "pt", "pts", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "approx",
        "appt", "apt", "dept", "hx", "h/o", "s/p", "no", "nos", "fig", "min", "max", "mg", "mcg", "ml",
        "q", "qd", "bid", "tid", "qid", "qhs", "prn", "po", "iv", "sq", "im", "pr", "inc", "wk", "wks",
        "yr", "yrs", "mo", "mos", "hr", "hrs", "sec", "temp", "resp", "est", "cont", "neg", "pos",
    ]

    /// Letters, digits and combining marks ("e\u{301}" stays one word).
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isAlphabetic || s.properties.numericType != nil { return true }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    static func isNewline(_ s: Unicode.Scalar) -> Bool {
        s == "\n" || s == "\r" || s == "\u{2028}" || s == "\u{2029}" || s == "\u{0B}" || s == "\u{0C}" || s == "\u{85}"
    }

    static func findWords(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var i = 0
        while i < s.count {
            guard isWordScalar(s[i]) else { i += 1; continue }
            let start = i
            i += 1
            while i < s.count {
                if isWordScalar(s[i]) { i += 1; continue }
                let joiner: Set<Unicode.Scalar> = [".", "-", "/", "'", "\u{2019}", "+"]
                if joiner.contains(s[i]), i + 1 < s.count, isWordScalar(s[i + 1]) { i += 2; continue }
                break
            }
            words.append(start..<i)
        }
        return words
    }

    /// Lines, without their line breaks, trimmed; blank lines are skipped.
    static func lines(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        for i in 0...s.count where i == s.count || isNewline(s[i]) {
            if let trimmed = trim(start..<i, s) { lines.append(trimmed) }
            start = i + 1
        }
        return lines
    }

    static func trim(_ range: Range<Int>, _ s: [Unicode.Scalar]) -> Range<Int>? {
        var low = range.lowerBound, high = range.upperBound
        while low < high, isSpace(s[low]) { low += 1 }
        while high > low, isSpace(s[high - 1]) { high -= 1 }
        return low < high ? low..<high : nil
    }

    /// The sentences of one line, each flagged when it is a header.
    static func sentences(in line: Range<Int>, _ s: [Unicode.Scalar]) -> [(Range<Int>, Bool)] {
        var result: [(Range<Int>, Bool)] = []
        var start = line.lowerBound
        if let header = headerPrefix(of: line, s) {
            result.append((header, true))
            guard let rest = trim(header.upperBound..<line.upperBound, s) else { return result }
            start = rest.lowerBound
        }
        var i = start
        while i < line.upperBound {
            let c = s[i]
            if c == "." || c == "!" || c == "?" {
                var end = i + 1
                while end < line.upperBound, [".", "!", "?", "\"", ")", "\u{201D}"].contains(s[end]) { end += 1 }
                if endsSentence(period: i, after: end, sentenceStart: start, line: line, s) {
                    if let sentence = trim(start..<end, s) { result.append((sentence, false)) }
                    start = end
                }
                i = end
            } else {
                i += 1
            }
        }
        if let last = trim(start..<line.upperBound, s) { result.append((last, false)) }
        return result
    }

    /// Whether the mark at `period` (with closing marks up to `after`) ends a sentence.
    static func endsSentence(period: Int, after: Int, sentenceStart: Int, line: Range<Int>, _ s: [Unicode.Scalar]) -> Bool {
        guard after < line.upperBound, isSpace(s[after]) else { return false }
        var next = after
        while next < line.upperBound, isSpace(s[next]) { next += 1 }
        guard next < line.upperBound else { return false }
        let n = s[next]
        let startsSentence = n.properties.isUppercase || n.properties.numericType != nil
            || ["#", "\"", "(", "[", "\u{201C}", "-", "*", "\u{2022}"].contains(n)
        guard startsSentence else { return false }
        guard s[period] == "." else { return true }
        // The word just before the period.
        var wordStart = period
        while wordStart > line.lowerBound, !isSpace(s[wordStart - 1]), !["(", "\"", ",", ";", ":"].contains(s[wordStart - 1]) {
            wordStart -= 1
        }
        let word = String(String.UnicodeScalarView(s[wordStart..<period])).lowercased()
        if word.count == 1, let only = word.unicodeScalars.first, only.properties.isAlphabetic { return false }
        if abbreviations.contains(word) { return false }
        if !word.isEmpty, word.count <= 2, word.allSatisfy(\.isNumber), isListMarkerPosition(wordStart, sentenceStart, line, s) {
            return false
        }
        return true
    }

    /// A number followed by "." is a list marker at the start of a line or sentence, or after ":".
    static func isListMarkerPosition(_ wordStart: Int, _ sentenceStart: Int, _ line: Range<Int>, _ s: [Unicode.Scalar]) -> Bool {
        var before = wordStart
        while before > line.lowerBound, isSpace(s[before - 1]) { before -= 1 }
        return before == line.lowerBound || before == sentenceStart || s[before - 1] == ":"
    }

    /// "Brief Hospital Course:" as a whole line, or two to five Title-Case words ending in ":" at
    /// the start of a line not beginning with "#".
    static func headerPrefix(of line: Range<Int>, _ s: [Unicode.Scalar]) -> Range<Int>? {
        guard s[line.lowerBound] != "#", let colon = s[line].firstIndex(of: ":") else { return nil }
        let header = line.lowerBound..<(colon + 1)
        let words = findWords(Array(s[line.lowerBound..<colon]))
        let wholeLine = colon + 1 == line.upperBound
        guard !words.isEmpty, words.count <= 5 else { return nil }
        // Only letters, spaces and "/" or "&" before the colon.
        guard s[line.lowerBound..<colon].allSatisfy({ $0.properties.isAlphabetic || isSpace($0) || $0 == "/" || $0 == "&" }) else { return nil }
        if wholeLine { return header }
        let titleCase = words.allSatisfy { s[line.lowerBound + $0.lowerBound].properties.isUppercase }
        return words.count >= 2 && titleCase ? header : nil
    }

    static func phrases(in sentence: Range<Int>, _ s: [Unicode.Scalar]) -> [Range<Int>] {
        var phrases: [Range<Int>] = []
        var start = sentence.lowerBound
        var i = sentence.lowerBound
        while i < sentence.upperBound {
            let c = s[i]
            var cut = [",", ";", ":", "(", ")", "[", "]"].contains(c)
            // A spaced dash " - " (not "non-ST").
            if (c == "-" || c == "\u{2013}" || c == "\u{2014}"), i > sentence.lowerBound, i + 1 < sentence.upperBound,
               isSpace(s[i - 1]), isSpace(s[i + 1]) { cut = true }
            // "," between digits ("1,200") is not a cut.
            if c == ",", i > sentence.lowerBound, i + 1 < sentence.upperBound,
               s[i - 1].properties.numericType != nil, s[i + 1].properties.numericType != nil { cut = false }
            if cut {
                if let phrase = trimPunctuation(start..<i, s) { phrases.append(phrase) }
                start = i + 1
            }
            i += 1
        }
        if let phrase = trimPunctuation(start..<sentence.upperBound, s) { phrases.append(phrase) }
        return phrases
    }

    /// Trims whitespace, and a trailing sentence mark; nil when nothing wordlike is left.
    static func trimPunctuation(_ range: Range<Int>, _ s: [Unicode.Scalar]) -> Range<Int>? {
        guard var r = trim(range, s) else { return nil }
        while r.upperBound > r.lowerBound, [".", "!", "?"].contains(s[r.upperBound - 1]) {
            r = r.lowerBound..<(r.upperBound - 1)
        }
        guard let t = trim(r, s), s[t].contains(where: isWordScalar) else { return nil }
        return t
    }
}
