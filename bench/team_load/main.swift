// team-load: the load test of issue 14 (team mode). Simulated coders (claim → think → decide, with
// crashes that abandon a claim until its lease expires) and scoring workers (reserve → save a
// prediction) on one store, SQLite file or PostgreSQL, each on its own thread, until a number of
// decisions is recorded. Then it checks the invariants and prints one JSON line:
//   held_by_two: claims handed out while another coder's lease on that case was running (must be 0)
//   decided_twice: cases with more than one decision (the bench never re-codes: must be 0)
//   lost: decisions a coder was told were recorded but the log does not have (must be 0)
//   verify_ok: audit verify on the whole store; claim latency p50/p99 (ms); decisions per second.
// Usage: team-load --db PATH|URL --coders N --scorers N --decisions N [--think-min S --think-max S]
//        [--crash P] [--lease S]      (the store must be empty; cases are generated)
import CodingStore
import DRGKit
import Foundation
import PostgresStore

struct Options {
    var db = ""
    var coders = 8, scorers = 0, decisions = 1000
    var thinkMin = 0.1, thinkMax = 2.0, crash = 0.02, lease = 3.0

    init(_ args: [String]) {
        var i = 0
        func value() -> String { i += 1; return args[i] }
        while i < args.count {
            switch args[i] {
            case "--db": db = value()
            case "--coders": coders = Int(value())!
            case "--scorers": scorers = Int(value())!
            case "--decisions": decisions = Int(value())!
            case "--think-min": thinkMin = Double(value())!
            case "--think-max": thinkMax = Double(value())!
            case "--crash": crash = Double(value())!
            case "--lease": lease = Double(value())!
            default: fatalError("unknown option \(args[i])")
            }
            i += 1
        }
    }
}

/// What every thread adds to, under one lock.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    var claimLatencies: [Double] = []
    /// Every claim handed out: (case, coder, when, lease end).
    var claims: [(caseID: Int64, user: String, at: Double, until: Double)] = []
    var recorded: [String] = []          // hashes the store returned
    var crashes = 0, refused = 0, scored = 0, errors: [String] = []
    var finished = false
    func with<T>(_ body: (Tally) -> T) -> T { lock.withLock { body(self) } }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let store: any StoreBackend = PostgresLocation.isURL(options.db)
    ? try PostgresAppDatabase.open(try PostgresLocation(url: options.db), maximumConnections: options.coders + options.scorers + 2)
    : try AppDatabase.openFile(at: URL(fileURLWithPath: options.db))

// Cases: enough for every decision plus the ones crashed coders leave behind, imported once.
let caseCount = options.decisions + options.decisions / 10 + 100
let scratch = try AppDatabase.inMemory()
let jsonl = FileManager.default.temporaryDirectory.appendingPathComponent("team-load-\(getpid()).jsonl")
try (1...caseCount).map { i in
    "{\"id\":\"load-\(i)\",\"text\":\"Brief Hospital Course:\\nsimulated note \(i)\\n\",\"final_drg\":\"\(291 + i % 3)\"}"
}.joined(separator: "\n").write(to: jsonl, atomically: true, encoding: .utf8)
_ = try scratch.importCases(from: try makeCaseSource(format: .jsonl, url: jsonl), fileName: "load.jsonl", skipBadRows: false)
try? FileManager.default.removeItem(at: jsonl)
let added = try store.appendCases(from: try scratch.snapshot())
FileHandle.standardError.write(Data("team-load: \(added) cases in \(store.location)\n".utf8))

let identity = ModelIdentity(path: "/bench/model", weightsSHA256: String(repeating: "b", count: 64), adapterSHA256: nil,
                             labelSpace: "drg-llama-single")
func prediction(_ drg: String) -> DRGPrediction {
    DRGPrediction(ranked: [RankedDRG(drg: drg, description: "DRG \(drg)", probability: 0.7),
                           RankedDRG(drg: "470", description: "DRG 470", probability: 0.3)],
                  baseDRGs: [Marginal(label: "BASE", probability: 1)], ccMcc: [Marginal(label: "none", probability: 1)])
}

let tally = Tally()
func isFinished() -> Bool { tally.with { $0.finished } }
func recordedCount() -> Int { tally.with { $0.recorded.count } }

let started = Date()
var threads: [Thread] = []
for w in 0..<options.scorers {
    threads.append(Thread {
        while !isFinished() {
            do {
                guard let next = try store.claimCaseToScore(modelKey: identity.key, worker: "scorer\(w)", lease: 30,
                                                            excluding: [], now: Date()) else { Thread.sleep(forTimeInterval: 0.05); continue }
                try store.savePrediction(caseID: next.id, identity: identity, prediction: prediction(String(291 + Int(next.id % 3))),
                                         elapsedMilliseconds: 1, tokenCount: 10, truncated: false, now: Date())
                tally.with { $0.scored += 1 }
            } catch { tally.with { $0.errors.append("scorer: \(error)") } }
        }
    })
}
for c in 0..<options.coders {
    threads.append(Thread {
        var random = SystemRandomNumberGenerator()
        let user = "coder\(c)"
        while !isFinished() {
            do {
                let t0 = Date()   // also the claim's "now": leases are judged by it
                guard let claimed = try store.claimNextCase(user: user, lease: options.lease, excluding: nil, now: t0) else {
                    Thread.sleep(forTimeInterval: 0.05); continue
                }
                let latency = Date().timeIntervalSince(t0) * 1000
                tally.with {
                    $0.claimLatencies.append(latency)
                    $0.claims.append((claimed.id, user, t0.timeIntervalSince1970, claimed.leaseExpiresAt ?? 0))
                }
                Thread.sleep(forTimeInterval: options.thinkMin + Double.random(in: 0..<1, using: &random) * (options.thinkMax - options.thinkMin))
                if Double.random(in: 0..<1, using: &random) < options.crash {   // the session dies: the claim is left to expire
                    tally.with { $0.crashes += 1 }
                    continue
                }
                let shown = try store.latestPrediction(caseID: claimed.id)
                let action: DecisionAction = shown == nil || Double.random(in: 0..<1, using: &random) < 0.2 ? .override : .accept
                let drg = shown?.topDRG == "470" ? "193" : "470"
                let row = try store.recordDecision(DecisionRequest(caseID: claimed.id, user: user, action: action,
                                                                   overrideDRG: action == .override ? drg : nil), now: nil)
                tally.with { $0.recorded.append(row.hash) }
                if recordedCount() >= options.decisions { tally.with { $0.finished = true } }
            } catch let error as StoreError {
                tally.with { $0.refused += 1; if $0.refused <= 5 { $0.errors.append("\(user): \(error)") } }
            } catch {
                tally.with { $0.errors.append("\(user): \(error)") }
            }
        }
    })
}
threads.forEach { $0.start() }
while !isFinished() {
    Thread.sleep(forTimeInterval: 1)
    if Date().timeIntervalSince(started) > 3600 { tally.with { $0.finished = true } }
}
let seconds = Date().timeIntervalSince(started)
Thread.sleep(forTimeInterval: options.thinkMax + 1)   // let the threads finish their last step

let log = try store.allDecisions()
let returned = tally.with { Set($0.recorded) }
let inLog = Set(log.map(\.hash))
var perCase: [Int64: Int] = [:]
for row in log { perCase[row.caseID, default: 0] += 1 }
let latencies = tally.with { $0.claimLatencies }.sorted()
func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
let verification = try store.verifyChain(expectedHead: nil, anchors: [], after: nil)
// Held by two: a claim handed to a coder while another coder's lease on the same case was still
// running (claims asked for before the other's lease ended, by a different user).
var heldByTwo = 0
var heldExamples: [String] = []
for (_, claims) in Dictionary(grouping: tally.with { $0.claims }, by: \.caseID) where claims.count > 1 {
    let ordered = claims.sorted { $0.at < $1.at }
    for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier.user != later.user && later.at < earlier.until {
        heldByTwo += 1
        if heldByTwo <= 3 { heldExamples.append("case \(earlier.caseID) \(earlier.user)@\(earlier.at) until \(earlier.until), \(later.user)@\(later.at)") }
    }
}
let decidedTwice = perCase.values.filter { $0 > 1 }.count
let report: [String: Any] = [
    "backend": PostgresLocation.isURL(options.db) ? "postgresql" : "sqlite", "coders": options.coders,
    "scorers": options.scorers, "decisions": log.count, "seconds": (seconds * 10).rounded() / 10,
    "decisions_per_second": (Double(returned.count) / seconds * 10).rounded() / 10,
    "claim_ms_p50": (percentile(0.5) * 10).rounded() / 10, "claim_ms_p99": (percentile(0.99) * 10).rounded() / 10,
    "claims": latencies.count, "crashes": tally.with { $0.crashes }, "refused": tally.with { $0.refused },
    "predictions": tally.with { $0.scored }, "decided_twice": decidedTwice, "held_by_two": heldByTwo,
    "held_examples": heldExamples, "lost": returned.subtracting(inLog).count, "unreturned_in_log": inLog.subtracting(returned).count,
    "verify_ok": verification.ok, "errors": tally.with { Array($0.errors.prefix(5)) },
    "think_s": [options.thinkMin, options.thinkMax], "lease_s": options.lease,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
store.close()
exit(0)
