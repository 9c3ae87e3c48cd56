import CodingStore
import Foundation
import Testing
import TestSupport

/// `drgcoder demo` in a real terminal (tmux): claim a case, see the ranking and the CC/MCC
/// breakdown, accept, override through the picker, undo, quit; then the decisions are in the
/// database and the terminal is back in cooked mode. Also: Ctrl-C and SIGTERM restore the terminal.
/// Needs tmux, the built binary and models/demo; otherwise the tests are reported as skipped.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil && TmuxSession.binary != nil && TmuxSession.demoAvailable,
                             "needs tmux, .build/…/drgcoder and models/demo"))
struct EndToEndDemoTests {
    /// The shell line tmux runs: the program in the foreground of the pane's terminal, then the
    /// terminal's modes as it left them, then the exit status (written last, so the test waits on it).
    func command(_ session: TmuxSession, _ arguments: String) throws -> String {
        let binary = try #require(TmuxSession.binary)
        let dir = session.directory.path
        return "trap \"\" INT; cd \(shellQuote(SharedReference.projectRoot.path)) && export TERM=xterm-256color XDG_DATA_HOME=\(shellQuote(dir + "/data")) XDG_CONFIG_HOME=\(shellQuote(dir + "/config")); "
            + "sh -c 'echo $$ > \(dir)/pid; exec \"$0\" \"$@\"' \(shellQuote(binary.path)) \(arguments); status=$?; "
            + "stty -a > \(dir)/stty 2>&1; echo $status > \(dir)/exit; sleep 600"
    }

    func expectCookedTerminal(_ session: TmuxSession) throws {
        let stty = try String(contentsOf: session.directory.appendingPathComponent("stty"), encoding: .utf8)
        let flags = Set(stty.split { $0 == " " || $0 == "\n" || $0 == ";" }.map(String.init))
        #expect(flags.contains("icanon"), "terminal left in raw mode: \(stty)")
        #expect(flags.contains("echo"), "terminal left without echo: \(stty)")
        #expect(!flags.contains("-icanon") && !flags.contains("-echo"))
    }

    /// The first three-digit code after the ranking's cursor: "▸ 1 291 …".
    func topDRG(_ pane: String) -> String? {
        for line in pane.split(separator: "\n") where line.contains("▸ 1 ") {
            let after = line.components(separatedBy: "▸ 1 ").last ?? ""
            let code = String(after.prefix(3))
            if code.count == 3, code.allSatisfy(\.isNumber) { return code }
        }
        return nil
    }

    @Test func coderAcceptsOverridesUndoesAndQuits() throws {
        let session = try TmuxSession()
        try session.start(try command(session, "demo --user e2e"))
        try session.waitFor("the queue") { $0.contains("Queue") && $0.contains("Summary") }
        try session.send("n")
        let ranked = try session.waitFor("a ranked list with a CC/MCC breakdown") {
            $0.contains("Ranked DRGs") && $0.contains("CC/MCC breakdown") && $0.contains("Base DRG") && topDRG($0) != nil
        }
        let top = try #require(topDRG(ranked))
        try session.send("a")
        try session.waitFor("the accept") { $0.contains("Accepted DRG \(top)") }

        try session.send("o")
        try session.waitFor("the picker") { $0.contains("Override · MS-DRG") }
        try session.type("hip knee replacemnt")                           // a typo on purpose
        var picker = try session.waitFor("picker matches") { $0.contains("matches") && $0.contains("▸4") }
        func pickedCode(_ pane: String) -> String? {
            pane.split(separator: "\n").compactMap { line -> String? in
                guard let r = line.range(of: "│▸") else { return nil }
                let code = String(line[r.upperBound...].prefix(3))
                return code.allSatisfy(\.isNumber) ? code : nil
            }.first
        }
        if pickedCode(picker) == top {
            try session.send("Down")
            picker = try session.waitFor("the next match") { pickedCode($0) != top }
        }
        let chosen = try #require(pickedCode(picker))
        try session.send("Enter")
        // The case is coded (the accept above): overriding it now is a re-code, which needs the reason given below.
        try session.waitFor("the re-code reason form") { $0.contains("Re-code to DRG \(chosen)") }
        try session.send("1")
        try session.send("Tab")
        try session.type("e2e note")
        try session.send("Enter")
        try session.waitFor("the override") { $0.contains("Overrode to DRG \(chosen)") }

        try session.send("u")
        try session.waitFor("the undo") { $0.contains("Undid decision") }
        try session.send("q")
        let exit = try session.waitFor(file: session.directory.appendingPathComponent("exit"))
        #expect(exit.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        try expectCookedTerminal(session)

        let database = try AppDatabase.openFile(at: session.directory.appendingPathComponent("data/drgcoder/demo.sqlite"))
        let log = try database.allDecisions().filter { $0.user == "e2e" }
        #expect(log.map(\.action) == [.accept, .override, .undo])
        #expect(log.first?.chosenDRG == top)
        #expect(log.dropFirst().first?.chosenDRG == chosen)
        #expect(log.dropFirst().first?.reasonCode == "PDX")
        #expect(log.dropFirst().first?.note == "e2e note")
        #expect(log.last?.reversesSeq == log.dropFirst().first?.seq)
        #expect(try database.verifyChain().ok)
    }
}

#if canImport(Glibc)
import Glibc
#endif
