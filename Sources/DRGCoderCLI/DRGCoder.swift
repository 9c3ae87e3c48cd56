import ArgumentParser
import Foundation

/// The `drgcoder` command tree. Each subcommand lives in its own file under `Commands/`;
/// the contract they follow is the command-line section of ../shared/DESIGN.md.
public struct DRGCoder: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drgcoder",
        abstract: "Assign MS-DRGs to discharge summaries with an on-device DRG-LLaMA.",
        discussion: "Nothing leaves this machine: notes, predictions and decisions stay in the local SQLite file.",
        subcommands: [
            DemoCommand.self, ReviewCommand.self,
            ImportCommand.self, ScoreCommand.self, QueueCommand.self, DecideCommand.self,
            PredictCommand.self, TokenizeCommand.self, DRGCommand.self,
            ExportCommand.self, AuditCommand.self, EvalCommand.self, BenchCommand.self, ModelCommand.self,
        ]
    )

    public init() {}
}

extension DRGCoder {
    /// Runs the command line and exits. Every bad input ends the same way (DESIGN.md): one line
    /// `Error: …` on stderr and exit status 1, whether argument-parser rejected it while parsing
    /// (a bad value, a missing option, a failed `validate()`: argument-parser's own status is 64 and
    /// it adds the usage) or the command did. `--help` prints the help on stdout with status 0; a
    /// command's own `ExitCode` (130 after Ctrl-C) is kept.
    public static func runCommandLine(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        do {
            var command = try parseAsRoot(attachingNegativeNumbers(arguments))
            try command.run()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = oneLine(message(for: error))
            if !message.isEmpty { FileHandle.standardError.write(Data("Error: \(message)\n".utf8)) }
            Foundation.exit(code == .validationFailure ? ExitCode.failure.rawValue : code.rawValue)
        }
    }

    /// `--threads -1` as `--threads=-1`: argument-parser takes a word that starts with "-" for an
    /// option, so a negative number after an option was reported as "Missing value"; attached, it
    /// reaches the command's `validate()`, which says what the value must be. The same for any word
    /// that starts with "-" and a digit (`--anchor -3:ab…`, `--note "-5 mg"`): no option is named
    /// with a digit. Stops at `--`.
    static func attachingNegativeNumbers(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word == "--" { out += arguments[i...]; break }
            if word.hasPrefix("--"), !word.contains("="), i + 1 < arguments.count, isNegativeNumber(arguments[i + 1]) {
                out.append("\(word)=\(arguments[i + 1])")
                i += 2
            } else {
                out.append(word)
                i += 1
            }
        }
        return out
    }

    /// "-2", "-1.5", ".5" after the minus, "-3:ab…": a value, never an option name.
    static func isNegativeNumber(_ word: String) -> Bool {
        let rest = word.utf8.dropFirst()
        guard word.utf8.first == UInt8(ascii: "-"), let first = rest.first else { return false }
        let digit = { (c: UInt8) in (48...57).contains(c) }
        return digit(first) || (first == UInt8(ascii: ".") && rest.dropFirst().first.map(digit) == true)
    }

    /// The message on one line: argument-parser's own messages may span several.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
