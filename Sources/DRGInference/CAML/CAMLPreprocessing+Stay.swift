extension CAMLPreprocessing {
    /// What separates the notes of a stay in one text (U+000C, form feed): the early-prediction input
    /// of the store (`EarlyInput`) joins a stay's notes with it.
    public static let noteSeparator: Unicode.Scalar = "\u{0C}"

    /// The tokens of a stay: each note preprocessed on its own and the token lists concatenated in
    /// order, as `get_stay_tokens` of JHLiu7/EarlyDRGPrediction does (`preprocess_mimic` per note, so
    /// one note's signature — `find_end` — never cuts off the notes after it). Notes are the parts of
    /// `text` between ``noteSeparator``s; offsets stay Unicode-scalar offsets into the whole `text`.
    /// A text without a separator is one note: ``tokenize(_:)``.
    public static func tokenizeStay(_ text: String) -> [Token] {
        guard text.unicodeScalars.contains(noteSeparator) else { return tokenize(text) }
        var tokens: [Token] = []
        var offset = 0
        for part in text.unicodeScalars.split(separator: noteSeparator, omittingEmptySubsequences: false) {
            let note = String(String.UnicodeScalarView(part))
            for var token in tokenize(note) {
                token.start = token.start.map { $0 + offset }
                token.end = token.end.map { $0 + offset }
                tokens.append(token)
            }
            offset += part.count + 1
        }
        return tokens
    }
}
