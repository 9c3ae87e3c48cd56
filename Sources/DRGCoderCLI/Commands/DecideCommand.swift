import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder decide --db F --case ID (--accept|--override DRG|--defer|--flag|--undo|--claim|--release) --user U [--reason R] [--note T] [--recode]`
///
/// A coded case takes a new accept, override or defer only with `--recode --reason R`. `--claim`
/// takes the case for the user (a 15-minute lease, refused while someone else holds it) and
/// `--release` gives it back; neither records a decision.
/// Records one decision through `AppDatabase.recordDecision`, the same call the TUI makes, so the
/// row and its place in the hash chain are exactly what the TUI would write. Prints the row's
/// sequence number and hash (or the row as JSON with --json).
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decide", abstract: "Record one coding decision.")

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("case"), help: "The case's id as imported (note_id, JSONL/CSV id, file name).")
    var caseID: String
    @Option(help: "The source of the case, when several sources share the id.")
    var source: ImportFormat?

    @Flag(help: "Accept the model's top DRG.") var accept = false
    @Option(help: "Choose this DRG instead of the model's.") var override: String?
    @Flag(name: .customLong("defer"), help: "Put the case aside for later.") var deferCase = false
    @Flag(help: "Flag the case for review.") var flag = false
    @Flag(help: "Reverse the case's latest decision with a compensating row.") var undo = false
    @Flag(help: "Claim the case for --user (no decision is recorded).") var claim = false
    @Flag(help: "Release --user's claim on the case (no decision is recorded).") var release = false
    @Flag(help: "Re-code a coded case (needs --reason).") var recode = false

    @Option(help: "Who decides.") var user: String
    @Option(help: "Who decides, by role.") var role: DecisionRole = .coder
    @Option(help: "A reason code (e.g. a query or documentation code).") var reason: String?
    @Option(help: "A free-text note kept in the log.") var note: String?
    @Option(help: "Time spent on the case, in milliseconds.") var timeSpentMs: Int64 = 0
    @Flag(help: "Print the recorded row as JSON.") var json = false
    @Option(help: "The principal diagnosis the coder confirmed (ICD-10-CM); hashed into the log.") var pdx: String?
    @Option(help: "A secondary diagnosis the coder confirmed; repeat for more.") var sdx: [String] = []
    @Option(help: "A procedure (ICD-10-PCS) the coder confirmed; repeat for more.") var pcs: [String] = []

    func validate() throws {
        let chosen = [accept, override != nil, deferCase, flag, undo, claim, release].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("Give exactly one of --accept, --override DRG, --defer, --flag, --undo, --claim or --release.")
        }
        guard !user.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--user must name who decides.") }
        guard (try? StoreInput.userName(user)) != nil else { throw ValidationError("--user must be one line of printable text.") }
        if recode && (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--recode needs --reason: say why the coded case is coded again.")
        }
        if let override, DRGCode.normalized(override) == nil {
            throw ValidationError("--override needs a DRG code such as 291.")
        }
        guard timeSpentMs >= 0 else { throw ValidationError("--time-spent-ms cannot be negative.") }
    }

    var action: DecisionAction {
        if accept { return .accept }
        if override != nil { return .override }
        if deferCase { return .defer }
        if flag { return .flag }
        return .undo
    }

    func run() throws {
        if claim || release {
            let text = try StoreCommandSupport.run { () -> String in
                try store.withDatabase { database in
                    let record = try StoreCommandSupport.resolveCase(caseID, source: source?.rawValue, in: database)
                    if release {
                        try database.releaseClaim(caseID: record.id, user: user)
                        return "released \(record.externalID)"
                    }
                    let claimed = try database.claim(caseID: record.id, user: user, lease: AppDatabase.defaultLease, recode: recode, now: Date())
                    return json ? try StoreCommandSupport.json(QueueEntry.claim(of: claimed))
                        : "claimed \(claimed.externalID) for \(user) until \(QueueEntry.claim(of: claimed).leaseExpiresAt ?? "-")"
                }
            }
            print(text)
            return
        }
        let row = try StoreCommandSupport.run { () -> DecisionRecord in
            try store.withDatabase { database in
                let record = try StoreCommandSupport.resolveCase(caseID, source: source?.rawValue, in: database)
                var request = DecisionRequest(
                    caseID: record.id, user: user, role: role, action: action,
                    overrideDRG: override.flatMap(DRGCode.normalized), reasonCode: reason, note: note,
                    timeSpentMilliseconds: timeSpentMs, recode: recode)
                request.confirmedCodes = try confirmedCodes()
                return try database.recordDecision(request, now: nil)
            }
        }
        if json {
            print(try StoreCommandSupport.json(row))
        } else {
            print("recorded #\(row.seq) \(row.action.rawValue) \(row.chosenDRG ?? "") for \(row.caseExternalID) by \(row.user): \(row.hash)")
        }
    }

    /// `--pdx`, `--sdx`, `--pcs` as checked ICD-10 codes (a bad one is a one-line error).
    func confirmedCodes() throws -> [CaseCode] {
        try (pdx.map { [try CaseCode.checked($0, kind: .pdx, icdVersion: 10, seq: 1)] } ?? [])
            + sdx.enumerated().map { try CaseCode.checked($1, kind: .sdx, icdVersion: 10, seq: $0 + 1) }
            + pcs.enumerated().map { try CaseCode.checked($1, kind: .pcs, icdVersion: 10, seq: $0 + 1) }
    }
}
