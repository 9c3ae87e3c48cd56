/// A hand-written scanner equivalent to LLaMA-3's split regex (HF runs it with Oniguruma):
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// At each position the alternatives are tried in order, as a backtracking regex engine does
/// (leftmost-first, greedy). Worked out by hand:
/// - `\s*[\r\n]+` ends just after the *last* `\r`/`\n` of the whitespace run;
/// - `\s+(?!\S)` takes the whole run at the end of the text, else the run minus its last scalar
///   (which then starts the next piece, e.g. the space in " world");
/// - `(?i:'s)` also matches "'ſ" (U+017F folds to "s" in Oniguruma; checked against HF).
///
/// Example: "Hello  world\n\n" → ["Hello", " ", " world", "\n\n"].
/// Why not `NSRegularExpression`: speed (see bench/) and Linux/Darwin `\p{}` differences.
/// Contract: O(n); every scalar belongs to exactly one match.
struct LlamaThreeSplitPattern: ScannedSplitPattern {
    /// The regex string as it appears in LLaMA-3's tokenizer.json.
    static let regex = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    func matchEnd(at i: Int, scalars: [Unicode.Scalar], classes: [ScalarClass]) -> Int {
        let n = scalars.count
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if let end = Contractions.matchEnd(at: i, in: scalars, caseInsensitive: true) { return end }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if classes[i] == .letter {
            return run(of: .letter, from: i + 1, classes)
        }
        if classes[i] != .newline, classes[i] != .number, i + 1 < n, classes[i + 1] == .letter {
            return run(of: .letter, from: i + 2, classes)
        }
        // \p{N}{1,3}
        if classes[i] == .number {
            var end = i + 1
            while end < n, end < i + 3, classes[end] == .number { end += 1 }
            return end
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        let symbolStart = scalars[i] == " " ? i + 1 : i
        if symbolStart < n, classes[symbolStart] == .other {
            var end = run(of: .other, from: symbolStart + 1, classes)
            while end < n, classes[end] == .newline { end += 1 }
            return end
        }
        guard classes[i].isWhitespace else { return i + 1 }  // unreachable: every class is covered above
        var runEnd = i + 1
        while runEnd < n, classes[runEnd].isWhitespace { runEnd += 1 }
        // \s*[\r\n]+
        if let lastNewline = (i..<runEnd).last(where: { classes[$0] == .newline }) { return lastNewline + 1 }
        // \s+(?!\S)
        if runEnd == n { return runEnd }
        if runEnd - 1 > i { return runEnd - 1 }
        // \s+
        return runEnd
    }

    private func run(of wanted: ScalarClass, from start: Int, _ classes: [ScalarClass]) -> Int {
        var end = start
        while end < classes.count, classes[end] == wanted { end += 1 }
        return end
    }
}

/// The English contractions both split patterns start with: 's 't 're 've 'm 'll 'd.
enum Contractions {
    /// The end of a contraction starting at `i`, or nil.
    static func matchEnd(at i: Int, in scalars: [Unicode.Scalar], caseInsensitive: Bool) -> Int? {
        guard scalars[i] == "'", i + 1 < scalars.count else { return nil }
        func folded(_ index: Int) -> Unicode.Scalar? {
            guard index < scalars.count else { return nil }
            let scalar = scalars[index]
            guard caseInsensitive else { return scalar }
            if scalar == "\u{017F}" { return "s" }  // LATIN SMALL LETTER LONG S folds to "s"
            if scalar.value >= 65, scalar.value <= 90 { return Unicode.Scalar(scalar.value + 32) }
            return scalar
        }
        switch folded(i + 1) {
        case "s", "t", "m", "d": return i + 2
        case "r", "v": return folded(i + 2) == "e" ? i + 3 : nil
        case "l": return folded(i + 2) == "l" ? i + 3 : nil
        default: return nil
        }
    }
}
