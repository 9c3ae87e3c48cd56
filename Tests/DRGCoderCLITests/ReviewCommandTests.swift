import ArgumentParser
import Foundation
import ReviewApp
import Testing
import TestSupport
@testable import DRGCoderCLI

/// Parsing and the one-line errors of `drgcoder review` and `drgcoder demo`.
@Suite struct ReviewCommandTests {
    @Test func parsesEveryOption() throws {
        let c = try ReviewCommand.parse(["--db", "q.sqlite", "--model", "m", "--adapter", "a", "--labels", "drg-llama-two",
                                         "--user", "ann", "--theme", "dark", "--view", "audit", "--threads", "2"])
        #expect(c.db == "q.sqlite")
        #expect(c.model == "m")
        #expect(c.modelOptions.adapter == "a")
        #expect(c.modelOptions.labels == "drg-llama-two")
        #expect(c.user == "ann")
        #expect(c.theme == "dark")
        #expect(c.view == .audit)
        #expect(c.modelOptions.threads == 2)
    }

    @Test func validationErrorsAreSentences() {
        #expect(ReviewCommand.message(for: ValidationError("x")) == "x")
        do { _ = try ReviewCommand.parse(["--db", "q", "--view", "coder"]); Issue.record("accepted --view coder") } catch {
            #expect(ReviewCommand.message(for: error) == "The value 'coder' is invalid for '--view <view>'. Please provide one of 'code', 'audit' or 'train'.")
        }
        do { _ = try ReviewCommand.parse([]); Issue.record("accepted no --db") } catch {
            #expect(ReviewCommand.message(for: error) == "--db is required: the queue database to open.")
        }
        #expect(throws: Never.self) { _ = try ReviewCommand.parse(["--print-keybindings"]) }
    }


    @Test(.enabled(if: TmuxSession.binary != nil)) func demoWithoutTheModelSaysSoInOneLine() throws {
        let r = try drgcoder(["demo"], environment: ["DRGCODER_DEMO_MODEL": "/nonexistent/models/demo"])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("the demo model is missing"))
    }

    @Test(.enabled(if: TmuxSession.binary != nil)) func reviewErrorsAreOneLine() throws {
        let missing = try drgcoder(["review", "--db", "/nonexistent/q.sqlite"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error: no database at /nonexistent/q.sqlite (create one with drgcoder import)\n")
        let keys = try drgcoder(["review", "--print-keybindings"])
        #expect(keys.status == 0)
        let doc = try String(contentsOf: SharedReference.projectRoot.appendingPathComponent("docs/KEYBINDINGS.md"), encoding: .utf8)
        #expect(keys.stdout == doc)
    }

    @Test(.enabled(if: TmuxSession.binary != nil)) func reviewWithoutATerminalRefusesClearly() throws {
        let temp = try TemporaryDirectory(prefix: "review-notty"); defer { temp.cleanUp() }
        let dir = temp.url
        let cases = dir.appendingPathComponent("c.jsonl")
        try #"{"id": "X-1", "text": "Brief Hospital Course: chest pain, ruled out."}"#.appending("\n").write(to: cases, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("q.sqlite").path
        #expect(try drgcoder(["import", "--db", db, "--format", "jsonl", cases.path]).status == 0)
        let r = try drgcoder(["review", "--db", db, "--theme", "no-such-theme"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("Error: unknown theme \"no-such-theme\""))
        let t = try drgcoder(["review", "--db", db])
        #expect(t.status == 1)
        #expect(t.stderr == "Error: drgcoder review needs a terminal (use drgcoder queue and drgcoder decide in scripts)\n")
    }
}

#if canImport(Glibc)
import Glibc
#endif
