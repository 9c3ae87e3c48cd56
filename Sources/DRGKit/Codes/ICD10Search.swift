import Foundation

/// One suggested ICD-10-CM code and how well its words match the text.
public struct ICD10Suggestion: Sendable, Equatable {
    public var entry: ICD10Entry
    /// Larger is better; comparable only within one search.
    public var score: Double
    /// The inclusion term that matched better than the title, if one did.
    public var matchedTerm: String?
}

/// Ranked, typo-tolerant search over the billable FY 2026 ICD-10-CM codes: their titles and the inclusion
/// terms listed under them or under their categories. Made for suggesting codes for an evidence span
/// ("acute kidney injury" → N17.9) and for a type-ahead code picker ("j96.0", "resp failure hypox").
///
///     let search = ICD10Search.shared
///     search.search("acute kidney injury").first?.entry.code   // "N179"
///
/// Scoring (the word matching is ``DRGSearch``'s: exact 1.0, prefix ≥ 3 letters 0.9, within one edit
/// from 4 letters or two from 8, 0.7): each query word earns its best match in the title, or 0.8 × its
/// best match in one inclusion term; codes that match more words rank first, then tighter titles (up to
/// 0.2 for the share of the title covered). A query word that is a code prefix ("J96", "J96.01") adds 10
/// to the codes it starts. Suggestions are what the words say, not coding advice: a coder confirms them.
/// Building the index reads the whole table (about a second in a debug build); `shared` builds it once.
public struct ICD10Search: Sendable {
    private let entries: [ICD10Entry]
    private let titles: [[String]]
    private let terms: [[(text: String, words: [String])]]
    private let postings: [String: [Int32]]

    public static var shared: ICD10Search { SharedICD10Search.value }

    public init(table: ICD10Table = ICD10.cm) {
        var entries: [ICD10Entry] = []
        var termsByHeader: [String: [(text: String, words: [String])]] = [:]  // tokenized once per code
        for entry in table.entries {
            if !entry.inclusionTerms.isEmpty {
                termsByHeader[entry.code] = entry.inclusionTerms.map { (text: $0, words: ICD10Search.words($0)) }
            }
            if entry.billable { entries.append(entry) }
        }
        var titles: [[String]] = []
        var terms: [[(text: String, words: [String])]] = []
        var postings: [String: [Int32]] = [:]
        for (i, entry) in entries.enumerated() {
            let title = ICD10Search.words(entry.title)
            // Inclusion terms of the code and of every header above it (J96.0 holds those of J96.01's family).
            let codeTerms = Array((3...entry.code.count).compactMap { termsByHeader[String(entry.code.prefix($0))] }.joined())
            titles.append(title)
            terms.append(codeTerms)
            for word in Set(title + codeTerms.flatMap(\.words)) { postings[word, default: []].append(Int32(i)) }
        }
        self.entries = entries
        self.titles = titles
        self.terms = terms
        self.postings = postings
    }

    /// The best `limit` codes for `query`, best first (ties by code); empty without a match.
    public func search(_ query: String, limit: Int = 10) -> [ICD10Suggestion] {
        var words = ICD10Search.words(query)
        let content = words.filter { !Abbreviations.stopWords.contains($0) }
        if !content.isEmpty { words = content }
        guard !words.isEmpty else { return [] }
        var similarity: [[String: Double]] = []
        var candidates = Set<Int32>()
        for word in words {
            var matches: [String: Double] = [:]
            for candidate in postings.keys {
                if candidate == word { matches[candidate] = 1 }
                else if word.count >= 3, candidate.hasPrefix(word) { matches[candidate] = 0.9 }
                else if word.count >= 4, let d = DRGSearch.editDistance(word, candidate, limit: word.count >= 8 ? 2 : 1),
                        d <= (word.count >= 8 ? 2 : 1) { matches[candidate] = 0.7 }
            }
            for candidate in matches.keys { candidates.formUnion(postings[candidate] ?? []) }
            similarity.append(matches)
        }
        let codePrefixes = words.map(ICD10.normalized).filter { $0.count >= 3 && $0.first?.isLetter == true }
        var results: [ICD10Suggestion] = []
        for index in candidates {
            let i = Int(index)
            var score = 0.0
            var covered = Set<Int>()
            var bestTerm: (score: Double, text: String)? = nil
            for matches in similarity {
                let inTitle = titles[i].enumerated().compactMap { p, w in matches[w].map { (s: $0, p: p) } }.max { $0.s < $1.s }
                var inTerm: (Double, String)? = nil
                for term in terms[i] {
                    if let s = term.words.compactMap({ matches[$0] }).max(), s > (inTerm?.0 ?? 0) { inTerm = (s, term.text) }
                }
                let titleScore = inTitle?.s ?? 0
                let termScore = 0.8 * (inTerm?.0 ?? 0)
                if titleScore >= termScore, let inTitle {
                    score += titleScore; covered.insert(inTitle.p)
                } else if let inTerm {
                    score += termScore
                    if termScore > (bestTerm?.score ?? 0) { bestTerm = (termScore, inTerm.1) }
                }
            }
            guard score > 0 else { continue }
            score += 0.2 * Double(covered.count) / Double(max(titles[i].count, 1))
            if codePrefixes.contains(where: entries[i].code.hasPrefix) { score += 10 }
            results.append(ICD10Suggestion(entry: entries[i], score: score, matchedTerm: bestTerm?.text))
        }
        for prefix in codePrefixes where !results.contains(where: { $0.entry.code.hasPrefix(prefix) }) {
            let slice = ICD10.cm.entries(withPrefix: prefix, limit: limit).filter(\.billable)
            results += slice.map { ICD10Suggestion(entry: $0, score: 10, matchedTerm: nil) }
        }
        return Array(results.sorted { $0.score != $1.score ? $0.score > $1.score : $0.entry.code < $1.entry.code }
            .prefix(max(limit, 0)))
    }
}

extension ICD10Search {
    /// ``DRGSearch``'s words (lower case; split on white space and , ; ( ) "; ":" trimmed), written over
    /// bytes because the index tokenizes about 100,000 titles and terms.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            while current.last == UInt8(ascii: ":") { current.removeLast() }
            while current.first == UInt8(ascii: ":") { current.removeFirst() }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "\""): flush()
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            default: current.append(byte)
            }
        }
        flush()
        return words
    }
}

private enum SharedICD10Search {
    static let value = ICD10Search()
}