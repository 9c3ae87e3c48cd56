import Foundation
import Testing
import TestSupport
@testable import DRGCoderCLI

/// `drgcoder tokenize`, run in-process against a temporary model directory holding the LLaMA-2
/// tokenizer.json of shared/reference (symlinked, never copied into the project).
struct TokenizeCommandTests {
    static func modelDirectory() throws -> URL {
        let directory = try TemporaryDirectory(prefix: "tokenize").url
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("tokenizer.json"),
            withDestinationURL: try SharedReference.url("llama-tokenizers/llama2-spm.tokenizer.json"))
        return directory
    }

    static func command(_ arguments: [String]) throws -> TokenizeCommand {
        let parsed = try DRGCoder.parseAsRoot(["tokenize"] + arguments)
        return try #require(parsed as? TokenizeCommand)
    }

    /// The one-line message of the `CLIError` that `body` throws.
    static func message(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as CLIError {
            return error.description
        } catch {
            return "not a CLIError: \(error)"
        }
    }

    @Test func helpIsStable() {
        #expect(TokenizeCommand.helpMessage(columns: 100) == """
            OVERVIEW: Tokenize a text as the model would.

            Prints the ids fed to the model (BOS included, truncated like DRG-LLaMA to --max-tokens).

            USAGE: tokenize --model <dir> [--tokenizer <tokenizer>] [--json] [--max-tokens <n>] [<file>]

            ARGUMENTS:
              <file>                  The text file to tokenize; "-" or nothing reads standard input.

            OPTIONS:
              --model <dir>           Model directory holding tokenizer.json (or tokenizer.model).
              --tokenizer <tokenizer> Tokenizer file when the model has both: json (tokenizer.json) or
                                      sentencepiece (tokenizer.model, slow LlamaTokenizer rules); default: as
                                      predict reads it. (values: json, sentencepiece)
              --json                  Print {"ids": [...]} instead of a readable table.
              --max-tokens <n>        Keep BOS and the first n-1 text tokens. (default: 512)
              -h, --help              Show help information.

            """)
    }

    @Test func jsonPrintsTheIdsWithBOS() throws {
        let model = try Self.modelDirectory()
        defer { try? FileManager.default.removeItem(at: model) }
        let command = try Self.command(["--model", model.path, "--json", "-"])
        let text = try command.readText(standardInput: { Data("Hello world".utf8) })
        #expect(try command.render(text: text) == "{\"ids\":[1,15043,3186]}\n")
    }

    @Test func readableOutputShowsPiecesAndOffsets() throws {
        let model = try Self.modelDirectory()
        defer { try? FileManager.default.removeItem(at: model) }
        let command = try Self.command(["--model", model.path])
        #expect(try command.render(text: "Hello world") == """
                0       1  "<s>"  0..<0
                1   15043  "▁Hello"  0..<5
                2    3186  "▁world"  5..<11
            3 tokens

            """)
    }

    @Test func maxTokensTruncatesAfterBOS() throws {
        let model = try Self.modelDirectory()
        defer { try? FileManager.default.removeItem(at: model) }
        let file = model.appendingPathComponent("note.txt")
        try Data("Hello world".utf8).write(to: file)
        let command = try Self.command(["--model", model.path, "--json", "--max-tokens", "2", file.path])
        #expect(try command.render(text: try command.readText(standardInput: { Data() })) == "{\"ids\":[1,15043]}\n")
        let readable = try Self.command(["--model", model.path, "--max-tokens", "2"])
        #expect(try readable.render(text: "Hello world").hasSuffix("2 tokens (truncated to --max-tokens 2)\n"))
    }

    @Test func badInputsAreOneLineErrors() throws {
        let model = try Self.modelDirectory()
        defer { try? FileManager.default.removeItem(at: model) }
        let stdin = try Self.command(["--model", model.path])
        #expect(Self.message { try stdin.readText(standardInput: { Data() }) } == "the text to tokenize is empty")
        #expect(Self.message { try stdin.readText(standardInput: { Data([0xFF, 0xFE]) }) } == "standard input is not UTF-8 text")

        let missingFile = try Self.command(["--model", model.path, "/nonexistent/note.txt"])
        #expect(Self.message { try missingFile.readText(standardInput: { Data() }) } == "cannot read /nonexistent/note.txt: no such file")

        let temp = try TemporaryDirectory(prefix: "no-tokenizer"); defer { temp.cleanUp() }
        let empty = temp.url
        let noTokenizer = try Self.command(["--model", empty.path])
        #expect(Self.message { try noTokenizer.render(text: "x") }
                == "no tokenizer found: neither tokenizer.json nor tokenizer.model in \(empty.path)")

        try Data("{\"model\": 3}".utf8).write(to: empty.appendingPathComponent("tokenizer.json"))
        #expect(Self.message { try noTokenizer.render(text: "x") } == "invalid tokenizer.json: model must be an object, found a number")

        #expect(throws: (any Error).self) { try Self.command(["--model", model.path, "--max-tokens", "0"]) }
    }
}
