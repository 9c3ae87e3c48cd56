// store-stress: the child process of CodingStore's crash and concurrency tests.
//
//   store-stress record --db F --cases N [--seed S]
//       Records decisions on random cases (1…N) forever, printing "<seq> <hash>" after each
//       recordDecision returns (i.e. after its COMMIT). The crash test SIGKILLs it at random moments.
//   store-stress claim-decide --db F --user U --count K
//       Claims the next case and decides it, K times, printing "claimed <case id>" and
//       "decided <case id> <seq>". Any error is printed as "error: …" with exit status 2.
//
// It prints no note text. Not shipped to users (a test helper, like a fixture).
import CodingStore
import Foundation

/// One line straight to the stdout file descriptor (unbuffered: a line is out before the next decision).
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func fail(_ message: String) -> Never {
    emit("error: \(message)")
    exit(2)
}

guard CommandLine.arguments.count > 1, let db = option("--db") else { fail("usage: store-stress record|claim-decide --db F …") }

do {
    let store = try AppDatabase.openFile(at: URL(fileURLWithPath: db))
    switch CommandLine.arguments[1] {
    case "record":
        let cases = Int64(option("--cases") ?? "") ?? 10
        var generator = SystemRandomNumberGenerator()
        while true {
            let caseID = Int64.random(in: 1...cases, using: &generator)
            let action: DecisionAction = [.override, .defer, .flag, .undo].randomElement(using: &generator) ?? .defer
            // Some rows by an auditor: only an auditor resolves another round's flag.
            let role: DecisionRole = Bool.random(using: &generator) ? .coder : .auditor
            let request = DecisionRequest(caseID: caseID, user: "crash-\(getpid())", role: role, action: action,
                                          overrideDRG: String(format: "%03d", Int.random(in: 1...999, using: &generator)),
                                          reasonCode: "R\(Int.random(in: 0...9))", note: "stress \u{00E9} line\nnext",
                                          timeSpentMilliseconds: Int64.random(in: 0...60_000), recode: true)
            do {
                let row = try store.recordDecision(request)
                emit("\(row.seq) \(row.hash)")
            } catch StoreError.invalid {
                continue  // e.g. nothing to undo on this case
            } catch StoreError.conflict {
                continue  // e.g. a flagged case waits for an auditor
            }
        }
    case "claim-decide":
        guard let user = option("--user"), let count = Int(option("--count") ?? "") else { fail("claim-decide needs --user and --count") }
        for i in 0..<count {
            guard let claimed = try store.claimNextCase(user: user) else { fail("queue empty after \(i) claims") }
            emit("claimed \(claimed.id)")
            let action: DecisionAction = i % 3 == 0 ? .accept : (i % 3 == 1 ? .override : .defer)
            let row = try store.recordDecision(DecisionRequest(caseID: claimed.id, user: user, action: action,
                                                               overrideDRG: "999", timeSpentMilliseconds: Int64(i)))
            emit("decided \(claimed.id) \(row.seq)")
        }
    default:
        fail("unknown mode \(CommandLine.arguments[1])")
    }
} catch {
    fail("\(error)")
}
