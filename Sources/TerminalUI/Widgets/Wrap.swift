/// Word wrapping by display columns.
public enum TextWrap {
    /// One wrapped line: its text and where it starts in the source, as a Unicode-scalar offset
    /// (so evidence spans, which are scalar offsets into the note, map onto screen rows).
    public struct Line: Hashable, Sendable {
        public var text: String
        public var scalarOffset: Int
    }

    /// Wraps `text` at word boundaries to `width` columns; a word longer than a line is cut;
    /// newlines end a line. Each line keeps the scalar offset where it starts.
    /// `maxLines` stops early (a view that shows rows 0..<n of a long note wraps only those).
    public static func wrap(_ text: String, width: Int, maxLines: Int = .max) -> [Line] {
        guard width > 0 else { return [] }
        var lines: [Line] = []
        var offset = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if lines.count >= maxLines { break }
            let paragraphStart = offset
            var current = "", currentStart = paragraphStart, currentWidth = 0
            var position = paragraphStart
            var word = "", wordStart = paragraphStart, wordWidth = 0
            func flushWord() {
                guard !word.isEmpty else { return }
                if currentWidth + wordWidth > width && !current.isEmpty {
                    lines.append(Line(text: current, scalarOffset: currentStart))
                    current = ""; currentWidth = 0
                    // drop the spaces that ended the previous line
                    let trimmed = word.drop(while: { $0 == " " })
                    wordStart += word.unicodeScalars.count - trimmed.unicodeScalars.count
                    word = String(trimmed); wordWidth = TextWidth.columns(of: word)
                }
                if current.isEmpty { currentStart = wordStart }
                while wordWidth > width {
                    var head = "", headWidth = 0
                    for ch in word {
                        let w = TextWidth.columns(of: ch)
                        if headWidth + w > width { break }
                        head.append(ch); headWidth += w
                    }
                    if head.isEmpty { break }
                    lines.append(Line(text: head, scalarOffset: wordStart))
                    wordStart += head.unicodeScalars.count
                    word = String(word.unicodeScalars.dropFirst(head.unicodeScalars.count))
                    wordWidth = TextWidth.columns(of: word)
                    currentStart = wordStart
                }
                current += word; currentWidth += wordWidth
                word = ""; wordWidth = 0
            }
            for ch in paragraph {
                if lines.count >= maxLines { break }
                if ch == " " && !word.isEmpty && word.last != " " {
                    flushWord(); wordStart = position
                }
                if word.isEmpty { wordStart = position }
                word.append(ch); wordWidth += TextWidth.columns(of: ch)
                position += ch.unicodeScalars.count
            }
            flushWord()
            lines.append(Line(text: current, scalarOffset: current.isEmpty ? position : currentStart))
            offset = position + 1
        }
        return lines.count > maxLines ? Array(lines.prefix(maxLines)) : lines
    }
}
