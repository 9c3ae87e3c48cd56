import Foundation

/// One search hit: a DRG and how well its title (or code) matches the query.
public struct DRGSearchResult: Sendable, Equatable {
    public var entry: DRGEntry
    /// Larger is better; comparable only within one search.
    public var score: Double
}

/// Ranked, typo- and shorthand-tolerant search over one table's DRG titles.
///
///     let search = DRGSearch(table: .table(for: .v43))
///     search.search("hart failure mcc").first?.entry.code   // "291"
///     search.search("sepsis w mv").first?.entry.code        // "870"
///
/// How a title scores against a query:
/// 1. the query is split into words; each word becomes a *concept* whose alternatives are the word
///    itself and its ``Abbreviations`` expansions ("w" → with, "chf" → heart failure);
/// 2. a query word matches a title word exactly (1.0), as a prefix of it, ≥ 3 letters (0.9, "infect"
///    → INFECTIONS), or within a small edit distance (0.7: one edit from 4 letters, two from 8,
///    transpositions counted once: "hart" → HEART, "pnuemonia" → PNEUMONIA, "faliure" → FAILURE);
/// 3. a title earns each concept's best alternative (all of a phrase's words must match), plus 0.3
///    for each pair of consecutive concepts matched side by side in the title ("w mv" = WITH MV),
///    plus up to 0.2 for the share of the title the query covers (shorter, tighter titles first);
/// 4. a word that is a DRG code of the table ("291", "70") adds 10 to that DRG.
///
/// Nothing is indexed beyond the title vocabulary, so building one is cheap (~800 titles); it is an
/// immutable value. It does not search ICD-10 codes or descriptions (``DiagnosisSeverityTable`` does).
public struct DRGSearch: Sendable {
    public let table: DRGTable
    private let titles: [[String]]
    private let vocabulary: Set<String>

    public init(table: DRGTable) {
        self.table = table
        titles = table.entries.map { DRGSearch.words($0.description) }
        vocabulary = Set(titles.joined())
    }

    /// The best `limit` DRGs for `query`, best first (ties by code); empty for a query with no words
    /// or no match.
    public func search(_ query: String, limit: Int = 20) -> [DRGSearchResult] {
        var words = DRGSearch.words(query)
        let content = words.filter { !Abbreviations.stopWords.contains($0) }
        if !content.isEmpty { words = content }
        guard !words.isEmpty else { return [] }
        let concepts: [[[String]]] = words.map { word in
            [[word]] + (Abbreviations.table[word] ?? []).map(DRGSearch.words)
        }
        var similarity: [String: [String: Double]] = [:]  // query word -> title word -> score
        for word in Set(concepts.joined().joined()) { similarity[word] = matches(word) }

        var results: [DRGSearchResult] = []
        for (entry, title) in zip(table.entries, titles) {
            var score = 0.0
            var spans: [Range<Int>?] = []
            var covered = Set<Int>()
            for concept in concepts {
                var best: (score: Double, span: Range<Int>, positions: [Int])? = nil
                for phrase in concept {
                    guard let found = DRGSearch.match(phrase, in: title, similarity: similarity) else { continue }
                    if found.score > (best?.score ?? -1) { best = found }
                }
                if let best { score += best.score; covered.formUnion(best.positions) }
                spans.append(best?.span)
            }
            for (a, b) in zip(spans, spans.dropFirst()) {
                if let a, let b, b.lowerBound == a.upperBound { score += 0.3 }
            }
            if score > 0 { score += 0.2 * Double(covered.count) / Double(max(title.count, 1)) }
            if words.contains(where: { DRGTable.normalizedCode($0) == entry.code }) { score += 10 }
            if score > 0 { results.append(DRGSearchResult(entry: entry, score: score)) }
        }
        return Array(results.sorted { $0.score != $1.score ? $0.score > $1.score : $0.entry.code < $1.entry.code }
            .prefix(max(limit, 0)))
    }

    /// The title words `word` matches, with the match score (exact 1, prefix 0.9, near 0.7).
    private func matches(_ word: String) -> [String: Double] {
        var result: [String: Double] = [:]
        for candidate in vocabulary {
            if candidate == word { result[candidate] = 1 }
            else if word.count >= 3, candidate.hasPrefix(word) { result[candidate] = 0.9 }
            else if word.count >= 4, let d = DRGSearch.editDistance(word, candidate, limit: word.count >= 8 ? 2 : 1),
                    d <= (word.count >= 8 ? 2 : 1) { result[candidate] = 0.7 }
        }
        return result
    }

    /// Where every word of `phrase` matches a distinct title word: mean word score, the span from
    /// the first to the last matched position, and the positions.
    private static func match(_ phrase: [String], in title: [String],
                              similarity: [String: [String: Double]]) -> (score: Double, span: Range<Int>, positions: [Int])? {
        var total = 0.0
        var positions: [Int] = []
        for word in phrase {
            var best: (Double, Int)? = nil
            for (i, candidate) in title.enumerated() where !positions.contains(i) {
                if let s = similarity[word]?[candidate], s > (best?.0 ?? -1) { best = (s, i) }
            }
            guard let (s, i) = best else { return nil }
            total += s; positions.append(i)
        }
        guard let low = positions.min(), let high = positions.max() else { return nil }
        return (total / Double(phrase.count), low..<(high + 1), positions)
    }

    /// Lower-case words of a title or query: split on white space and , ; ( ) and quotes;
    /// "/", "." and "-" stay inside words ("cc/mcc", "w/o", "o.r.", "non-extensive").
    static func words(_ text: String) -> [String] {
        text.lowercased()
            .split { $0.isWhitespace || ",;()\"".contains($0) }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ":")) }
            .filter { !$0.isEmpty }
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or nil once it
    /// must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int? {
        let a = Array(a), b = Array(b)
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [Int](repeating: 0, count: b.count + 1)
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return nil }
            previous2 = previous; previous = current
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}

extension DRGTable {
    /// ``DRGSearch`` over this table: `table.search("copd w mcc")`.
    public func search(_ query: String, limit: Int = 20) -> [DRGSearchResult] {
        DRGSearch(table: self).search(query, limit: limit)
    }
}
