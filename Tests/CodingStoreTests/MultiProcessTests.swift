import Foundation
import TestSupport
import GRDB
import Testing
@testable import CodingStore

/// Proof with real processes on one database file, through the `store-stress` helper executable.
@Suite("Multiple processes", .serialized)
struct MultiProcessTests {
    /// Launches store-stress with `arguments`, stdout captured.
    static func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try BuiltProduct.url("store-stress")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return (process, pipe)
    }

    /// 200 times: a child records decisions as fast as it can and is SIGKILLed after a random 1–60 ms.
    /// Every decision it reported as committed must be in the file, with the same hash; the chain
    /// must verify and SQLite's integrity check must pass.
    @Test func decisionsWhoseCommitReturnedSurviveSIGKILL() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("crash.sqlite")
        let setup = try AppDatabase.openFile(at: url)
        try addCases(setup, count: 40)
        var committed: [Int64: String] = [:]
        var killedMidRun = 0
        for round in 0..<200 {
            let (child, pipe) = try Self.launch(["record", "--db", url.path, "--cases", "40"])
            // Wait for the child's first commit before the random delay: on a loaded machine the
            // start-up alone can take longer than 60 ms, and a child killed before it writes proves nothing.
            let first = pipe.fileHandleForReading.availableData
            usleep(UInt32.random(in: 1_000...60_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            if child.terminationReason == .uncaughtSignal { killedMidRun += 1 }
            let output = String(decoding: first + pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(!output.contains("error"), "round \(round): \(output.suffix(200))")
            // Only whole lines: a line cut by the kill was not known to be committed.
            for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let seq = Int64(parts[0]) else { continue }
                committed[seq] = String(parts[1])
            }
        }
        print("crash test: 200 SIGKILLs, \(committed.count) decisions reported committed")
        #expect(killedMidRun == 200)
        #expect(committed.count >= 200, "the children committed too little to prove anything")
        let store = try AppDatabase.openFile(at: url)
        let stored = Dictionary(uniqueKeysWithValues: try store.allDecisions().map { ($0.seq, $0.hash) })
        let missing = committed.filter { stored[$0.key] != $0.value }
        #expect(missing.isEmpty, "\(missing.count) committed decisions missing or changed")
        let verification = try store.verifyChain()
        #expect(verification.ok, "\(String(describing: verification.firstBad))")
        #expect(verification.count >= committed.count)
        let integrity = try store.writer.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }

    /// 8 processes each claim and decide 500 cases of a 4,000-case queue at the same time.
    @Test func eightProcessesNeverShareACase() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("concurrent.sqlite")
        let setup = try AppDatabase.openFile(at: url)
        let ids = try addCases(setup, count: 4000)
        for id in ids {   // accept needs a prediction
            try setup.savePrediction(caseID: id, identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 1)
        }
        let children = try (0..<8).map { i in try Self.launch(["claim-decide", "--db", url.path, "--user", "coder-\(i)", "--count", "500"]) }
        var claimedBy: [Int64: [String]] = [:]
        var decided = 0
        for (i, (child, pipe)) in children.enumerated() {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            #expect(child.terminationStatus == 0, "coder-\(i): \(output.suffix(300))")
            #expect(!output.contains("error"), "coder-\(i) saw an error: \(output.suffix(300))")
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.first == "claimed", let id = Int64(parts[1]) { claimedBy[id, default: []].append("coder-\(i)") }
                if parts.first == "decided" { decided += 1 }
            }
        }
        #expect(claimedBy.count == 4000)
        #expect(claimedBy.values.allSatisfy { $0.count == 1 }, "some case was claimed twice")
        #expect(decided == 4000)
        let store = try AppDatabase.openFile(at: url)
        let rows = try store.allDecisions()
        #expect(rows.count == 4000)
        #expect(Set(rows.map(\.caseID)).count == 4000)
        #expect(try store.verifyChain().ok)
        #expect(try store.queueEntries().allSatisfy { $0.status != .queued && $0.status != .inProgress })
    }
}
