import ArgumentParser
import DRGKit

/// `drgcoder drg search WORDS...`: DRGs whose titles match, best first (typos and shorthand such as
/// "w", "mv", "chf", "copd" are understood; see DRGKit's `DRGSearch`).
struct DRGSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search MS-DRG titles.")

    @Argument(help: "Words to look for, e.g. hart failure mcc.")
    var words: [String]

    @Option(name: .long, help: "Show at most this many DRGs.")
    var limit: Int = 10

    @OptionGroup var options: DRGTableOptions

    func validate() throws {
        guard !words.isEmpty else { throw ValidationError("Give at least one word to search for.") }
        guard limit > 0 else { throw ValidationError("--limit must be a positive number.") }
    }

    func run() throws { print(try output()) }

    /// What `run` prints; no match is an error (exit status 1).
    func output() throws -> String {
        let table = try options.table()
        let query = words.joined(separator: " ")
        let results = table.search(query, limit: limit)
        guard !results.isEmpty else {
            throw CLIError("no MS-DRG v\(table.version.rawValue) title matches '\(query)'")
        }
        if options.json {
            return try DRGOutput.json(DRGSearchOutput(
                query: query, version: table.version.rawValue,
                results: results.map { DRGSearchOutput.Hit(record: DRGRecord($0.entry, in: table), score: $0.score) }))
        }
        return results.map { DRGOutput.line(DRGRecord($0.entry, in: table)) }.joined(separator: "\n")
    }
}

struct DRGSearchOutput: Encodable {
    struct Hit: Encodable {
        var record: DRGRecord
        var score: Double
        func encode(to encoder: Encoder) throws {
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: ScoreKey.self)
            try container.encode((score * 1000).rounded() / 1000, forKey: .score)
        }
        enum ScoreKey: String, CodingKey { case score }
    }
    var query: String
    var version: String
    var results: [Hit]
}
