import ArgumentParser
import DRGKit

/// `drgcoder drg codes WORDS...`: FY 2026 ICD-10-CM codes whose titles or inclusion terms match the words
/// (typo-tolerant), or that start with a code prefix; the suggestions a coder confirms (``ICD10Search``).
///
///     drgcoder drg codes acute kidney injury
///     drgcoder drg codes j96.0 --json
struct DRGCodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes", abstract: "Suggest ICD-10-CM codes for words or a code prefix (FY 2026).")

    @Argument(help: "Words (e.g. from an evidence span) or a code prefix.")
    var words: [String]

    @Option(name: .long, help: "How many codes to list.")
    var limit = 10

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    struct Record: Encodable {
        var code: String
        var title: String
        var score: Double
        var inclusionTerm: String?
        enum CodingKeys: String, CodingKey { case code, title, score, inclusionTerm = "inclusion_term" }
    }

    func run() throws { print(try output()) }

    func output() throws -> String {
        let hits = ICD10Search.shared.search(words.joined(separator: " "), limit: limit)
        guard !hits.isEmpty else { throw CLIError("no ICD-10-CM code matches '\(words.joined(separator: " "))'") }
        let records = hits.map {
            Record(code: $0.entry.dotted, title: $0.entry.title, score: ($0.score * 1000).rounded() / 1000, inclusionTerm: $0.matchedTerm)
        }
        if json { return try DRGOutput.json(records) }
        return records.map { r in
            r.code.padding(toLength: 9, withPad: " ", startingAt: 0) + r.title + (r.inclusionTerm.map { "  (includes: \($0))" } ?? "")
        }.joined(separator: "\n")
    }
}
