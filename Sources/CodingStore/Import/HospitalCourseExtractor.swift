/// Finds the "brief hospital course" of a discharge summary exactly as DRG-LLaMA's preprocessing
/// did (`data/MIMIC_Preprocessing.py`, `extract_HC`, in github.com/hanyin88/DRG-LLaMA), so the model
/// reads the text it was trained on.
///
/// The four Python regular expressions, tried in order, most conservative first:
///
///     1  Brief Hospital Course.*\n*((?:\n.*)+?)(Medications on Admission|___  on Admission|___ on Admission)   → group 1
///     2  Brief Hospital Course.*\n*((?:\n.*)+?)Discharge Medications                                           → group 1
///     3  (Brief Hospital Course|rief Hospital Course|HOSPITAL COURSE).*\n*((?:\n.*)+?)
///        (Medications on Admission|Discharge Medications|DISCHARGE MEDICATIONS|DISCHARGE DIAGNOSIS|
///         Discharge Disposition|___ Disposition|CONDITION ON DISCHARGE|DISCHARGE INSTRUCTIONS)               → group 2
///     4  (Mg-[12].|LACTATE-[12].|Epi-|Gap-|COUNT-|TRF-)___(.*\n*((?:\n.*)+?))(Medications on Admission)        → group 2
///
/// Pattern 3 is broken as published: the Python source continues the string literal over three
/// lines with a backslash, which keeps each continuation line's 24 leading spaces inside the
/// pattern, so it demands 24 spaces after the heading and before the end marker and practically
/// never matches. We implement what it evidently meant, without those spaces (docs/STORE.md).
///
/// Rather than a regex engine (ICU's `.` also stops at `\r` and U+2028, Python's only at `\n`), this
/// is a direct scanner with the same result as Python's `re.search` for these patterns:
/// - the heading is its leftmost occurrence (if that one has no end marker after it, no later one has);
/// - `.*` runs to the end of the heading's line, `\n*` takes the newlines that follow and gives the
///   last one back, so the captured text starts with one `\n`;
/// - the lazy `(?:\n.*)+?` stops at the first following line holding an end marker, and the greedy
///   `.*` before it makes the capture end at the *last* end marker on that line;
/// - for pattern 4 the capture starts right after `___` and includes the rest of that line.
/// Lines end at `\n` only, as in Python. Tests compare it with Python's `re` on fixture notes.
///
/// It deliberately does not drop short or duplicated sections (DRG-LLaMA's later filtering): a
/// coding queue keeps every note.
public enum HospitalCourseExtractor {
    /// The section and which pattern found it; `(whole note, .wholeNote)` when none matched.
    public static func extract(_ note: String) -> (text: String, source: SectionSource) {
        let bytes = Array(note.utf8)
        for (pattern, source) in [(pattern1, SectionSource.pattern1), (pattern2, .pattern2), (pattern3, .pattern3), (pattern4, .pattern4)] {
            if let range = pattern.capture(in: bytes) {
                return (String(decoding: bytes[range], as: UTF8.self), source)
            }
        }
        return (note, .wholeNote)
    }

    static let pattern1 = SectionPattern(
        headings: ["Brief Hospital Course"], captureStartsAtHeadingEnd: false,
        endMarkers: ["Medications on Admission", "___  on Admission", "___ on Admission"])
    static let pattern2 = SectionPattern(
        headings: ["Brief Hospital Course"], captureStartsAtHeadingEnd: false, endMarkers: ["Discharge Medications"])
    static let pattern3 = SectionPattern(
        headings: ["Brief Hospital Course", "rief Hospital Course", "HOSPITAL COURSE"], captureStartsAtHeadingEnd: false,
        endMarkers: ["Medications on Admission", "Discharge Medications", "DISCHARGE MEDICATIONS", "DISCHARGE DIAGNOSIS",
                     "Discharge Disposition", "___ Disposition", "CONDITION ON DISCHARGE", "DISCHARGE INSTRUCTIONS"])
    /// `Mg-[12].` and `LACTATE-[12].`: the `.` is written `?` here and matches one character other than `\n`.
    static let pattern4 = SectionPattern(
        headings: ["Mg-1?___", "Mg-2?___", "LACTATE-1?___", "LACTATE-2?___", "Epi-___", "Gap-___", "COUNT-___", "TRF-___"],
        captureStartsAtHeadingEnd: true, endMarkers: ["Medications on Admission"])
}

/// One of the four patterns: heading alternatives, end-marker alternatives, and where the capture starts.
struct SectionPattern {
    let headings: [[UInt8]]
    let captureStartsAtHeadingEnd: Bool
    let endMarkers: [[UInt8]]

    init(headings: [String], captureStartsAtHeadingEnd: Bool, endMarkers: [String]) {
        self.headings = headings.map { Array($0.utf8) }
        self.captureStartsAtHeadingEnd = captureStartsAtHeadingEnd
        self.endMarkers = endMarkers.map { Array($0.utf8) }
    }

    private static let newline = UInt8(ascii: "\n"), wildcard = UInt8(ascii: "?")

    /// The byte range Python's capture group would return, or nil when the pattern does not match.
    func capture(in text: [UInt8]) -> Range<Int>? {
        guard let heading = leftmostHeading(in: text) else { return nil }
        guard var lineEnd = text[heading.upperBound...].firstIndex(of: Self.newline) else { return nil }
        while lineEnd + 1 < text.count && text[lineEnd + 1] == Self.newline { lineEnd += 1 }
        let captureStart = captureStartsAtHeadingEnd ? heading.upperBound : lineEnd
        var lineStart = lineEnd + 1
        while lineStart <= text.count {
            let end = text[lineStart...].firstIndex(of: Self.newline) ?? text.count
            if let marker = lastEndMarker(in: text, from: lineStart, to: end) { return captureStart..<marker }
            lineStart = end + 1
        }
        return nil
    }

    private func leftmostHeading(in text: [UInt8]) -> Range<Int>? {
        let firstBytes = Set(headings.compactMap(\.first))
        for start in text.indices where firstBytes.contains(text[start]) {
            for heading in headings {
                if let end = match(heading, in: text, at: start) { return start..<end }
            }
        }
        return nil
    }

    private func lastEndMarker(in text: [UInt8], from lineStart: Int, to lineEnd: Int) -> Int? {
        let firstBytes = Set(endMarkers.compactMap(\.first))
        var position = lineEnd
        while position > lineStart {
            position -= 1
            guard firstBytes.contains(text[position]) else { continue }
            for marker in endMarkers where position + marker.count <= lineEnd {
                if match(marker, in: text, at: position) != nil { return position }
            }
        }
        return nil
    }

    /// Matches a literal (with `?` = any one UTF-8 character except `\n`) at `start`; returns the end.
    private func match(_ literal: [UInt8], in text: [UInt8], at start: Int) -> Int? {
        var i = start
        for byte in literal {
            guard i < text.count else { return nil }
            if byte == Self.wildcard {
                guard text[i] != Self.newline else { return nil }
                i += 1
                while i < text.count && text[i] & 0xC0 == 0x80 { i += 1 }  // the rest of a multi-byte character
            } else {
                guard text[i] == byte else { return nil }
                i += 1
            }
        }
        return i
    }
}
