import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder decide --db F --case ID (--accept|--override DRG|--defer|--flag|--undo) --user U [--reason R] [--note T]`
///
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
        let chosen = [accept, override != nil, deferCase, flag, undo].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("Give exactly one of --accept, --override DRG, --defer, --flag or --undo.")
        }
        guard !user.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--user must name who decides.") }
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
        let row = try StoreCommandSupport.run { () -> DecisionRecord in
            let database = try store.open()
            let record = try StoreCommandSupport.resolveCase(caseID, source: source?.rawValue, in: database)
            var request = DecisionRequest(
                caseID: record.id, user: user, role: role, action: action,
                overrideDRG: override.flatMap(DRGCode.normalized), reasonCode: reason, note: note,
                timeSpentMilliseconds: timeSpentMs)
            request.confirmedCodes = try confirmedCodes()
            return try database.recordDecision(request)
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
