import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import DRGCoderCLI

/// The command line as a whole: `--help` of every command, byte for byte against the golden text in
/// `Help/` (record again with `DRGCODER_RECORD_HELP=1` after changing an option on purpose, then read
/// the diff; a recording run fails so it can never pass by itself), and every bad input ending the
/// same way: exit status 1, one line `Error: …` on stderr, nothing on stdout.
@Suite("Command-line contract", .serialized)
struct CommandLineContractTests {
    static let helpDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")

    /// Every command of the tree, root first, with its path ("drgcoder audit verify").
    static func commands(_ root: ParsableCommand.Type = DRGCoder.self, path: [String] = []) -> [(name: String, type: ParsableCommand.Type)] {
        let name = root._commandName
        let here = path + [name]
        return [(here.joined(separator: " "), root)]
            + root.configuration.subcommands.flatMap { commands($0, path: here) }
    }

    struct Command: CustomTestStringConvertible, Sendable {
        var name: String
        var testDescription: String { name }
    }

    @Test(arguments: commands().map { Command(name: $0.name) })
    func helpMatchesTheGoldenText(_ command: Command) throws {
        let type = try #require(Self.commands().first { $0.name == command.name }?.type)
        let help = DRGCoder.helpMessage(for: type, columns: 100) + "\n"
        let file = Self.helpDirectory.appendingPathComponent(command.name.replacingOccurrences(of: " ", with: "-") + ".txt")
        if ProcessInfo.processInfo.environment["DRGCODER_RECORD_HELP"] == "1" {
            try FileManager.default.createDirectory(at: Self.helpDirectory, withIntermediateDirectories: true)
            try help.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("recorded \(file.lastPathComponent); run again without DRGCODER_RECORD_HELP to compare")
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(help == golden, "`\(command.name) --help` differs from Help/\(file.lastPathComponent)")
    }

    @Test func everyGoldenFileBelongsToACommand() throws {
        let names = Set(Self.commands().map { $0.name.replacingOccurrences(of: " ", with: "-") + ".txt" })
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.helpDirectory.path))
        #expect(files == names)
    }

    @Test func developerFlagsAreHidden() {
        let review = DRGCoder.helpMessage(for: ReviewCommand.self, columns: 1000)
        #expect(!review.contains("--benchmark-keys"))
        #expect(review.contains("(values: code, audit, train; default: code)"))
        #expect(throws: Never.self) { _ = try ReviewCommand.parse(["--db", "q", "--benchmark-keys", "10"]) }   // still works
    }

    /// Bad values, missing options, failed `validate()`s and command errors all end alike.
    @Test(arguments: [
        (["review", "--db", "q.sqlite", "--view", "coder"], "The value 'coder' is invalid for '--view <view>'. Please provide one of 'code', 'audit' or 'train'."),
        (["demo", "--view", "trainer"], "The value 'trainer' is invalid for '--view <view>'. Please provide one of 'code', 'audit' or 'train'."),
        (["import", "--db", "/nonexistent/q.sqlite", "--format", "xml", "a.xml"], "The value 'xml' is invalid for '--format <format>'. Please provide one of 'mimic-iv', 'jsonl', 'csv' or 'text-dir'."),
        (["eval", "--db", "/nonexistent/q.sqlite", "--against", "gold"], "The value 'gold' is invalid for '--against <against>'. Please provide one of 'final' and 'coded'."),
        (["eval", "--db", "/nonexistent/q.sqlite", "--version", "35"], "The value '35' is invalid for '--version <version>'. Please provide one of '34' and '43'."),
        (["decide", "--db", "/nonexistent/q.sqlite", "--case", "1", "--flag", "--user", "a", "--role", "boss"], "The value 'boss' is invalid for '--role <role>'. Please provide one of 'coder', 'auditor' or 'trainer'."),
        (["drg", "list", "--version", "35"], "The value '35' is invalid for '--version <version>'. Please provide one of '34' and '43'."),
        (["score", "--db", "/nonexistent/q.sqlite", "--model", "/nonexistent", "--threads", "-2"], "--threads must be at least 1."),
        (["score", "--db", "/nonexistent/q.sqlite", "--model", "/nonexistent", "--limit", "-1"], "--limit must be at least 1."),
        (["decide", "--db", "/nonexistent/q.sqlite", "--case", "1", "--flag", "--user", "a", "--time-spent-ms", "-5"], "--time-spent-ms cannot be negative."),
        (["decide", "--db", "/nonexistent/q.sqlite", "--case", "1", "--flag", "--user", "a", "--time-spent-ms", "x"], "The value 'x' is invalid for '--time-spent-ms <time-spent-ms>'"),
        (["audit", "verify", "--db", "/nonexistent/q.sqlite", "--anchor", "-3:abc"], "--anchor must be SEQ:HASH (a row number, a colon and 64 hex digits), as audit verify prints it."),
        (["score", "--db", "/nonexistent/q.sqlite", "--model", "/nonexistent", "--limit", "x"], "The value 'x' is invalid for '--limit <limit>'"),
        (["score", "--db", "/nonexistent/q.sqlite", "--model", "/nonexistent", "--limit", "-1.5"], "The value '-1.5' is invalid for '--limit <limit>'"),
        (["drg", "search", "heart", "--limit", "-1"], "--limit must be a positive number."),
        (["drg", "search", "heart", "--limit", "x"], "The value 'x' is invalid for '--limit <limit>'"),
        (["predict", "--model", "/nonexistent", "--top", "-3"], "--top must be at least 1."),
        (["eval", "--db", "/nonexistent/q.sqlite", "--resamples", "-1"], "--resamples must be at least 2."),
        (["bench", "--model", "/nonexistent", "--tokens", "-1"], "--tokens must be a positive number of tokens."),
        (["queue", "--db", "/nonexistent/q.sqlite", "--limit", "-1"], "Unknown option '--limit'"),
        (["review"], "--db is required: the queue database to open."),
        (["queue"], "Missing expected argument '--db <db>'"),
        (["queue", "--db", "/nonexistent/q.sqlite", "--colour"], "Unknown option '--colour'"),
        (["queue", "--db", "/nonexistent/q.sqlite"], "no database at /nonexistent/q.sqlite (create one with drgcoder import)"),
    ])
    func badInputIsOneLineAndStatusOne(_ arguments: [String], _ message: String) throws {
        let run = try drgcoder(arguments)
        #expect(run.status == 1)
        #expect(run.stderr == "Error: \(message)\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func helpGoesToStdoutWithStatusZero() throws {
        let run = try drgcoder(["queue", "--help"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("OVERVIEW: List the cases of a queue with status and scores."))
    }

    @Test func negativeNumbersAreAttachedToTheirOption() {
        #expect(DRGCoder.attachingNegativeNumbers(["score", "--threads", "-2", "--limit", "3"]) == ["score", "--threads=-2", "--limit", "3"])
        #expect(DRGCoder.attachingNegativeNumbers(["--top", "-1.5", "-", "--", "--x", "-3"]) == ["--top=-1.5", "-", "--", "--x", "-3"])
        #expect(DRGCoder.attachingNegativeNumbers(["--json", "-"]) == ["--json", "-"])
        #expect(DRGCoder.attachingNegativeNumbers(["--anchor", "-3:ab", "--note", "-.5 mg", "--x", "-v", "--y", "-."])
                == ["--anchor=-3:ab", "--note=-.5 mg", "--x", "-v", "--y", "-."])
    }
}
