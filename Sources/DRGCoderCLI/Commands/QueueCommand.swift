import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder queue --db F [--json] [--claim|--release --user U]`: every case, in queue order, with
/// status, latest score, claim holder and lease expiry; or, with `--claim`, the next case claimed
/// for U (the same call as the screen's `n`), or with `--release`, U's claims given back.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "List the cases of a queue with status and scores.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print a JSON array (one object per case) instead of a table.")
    var json = false
    @Flag(help: "Claim the next case for --user and print it.") var claim = false
    @Flag(help: "Release every claim --user holds.") var release = false
    @Option(help: "Who claims or releases.") var user: String?

    func validate() throws {
        guard !(claim && release) else { throw ValidationError("Give --claim or --release, not both.") }
        if claim || release {
            guard let user, (try? StoreInput.userName(user)) != nil else {
                throw ValidationError("--claim and --release need --user, one line of printable text.")
            }
        }
    }

    func run() throws {
        if let user, claim || release {
            let text = try StoreCommandSupport.run { () -> String in
                try store.withDatabase { database in
                    if release {
                        let held = try database.queueEntries().filter { $0.claimHolder == user }
                        for e in held { try database.releaseClaim(caseID: e.id, user: user) }
                        return "released \(held.count) case\(held.count == 1 ? "" : "s")"
                    }
                    guard let claimed = try database.claimNextCase(user: user, lease: AppDatabase.defaultLease, excluding: nil, now: Date()) else { throw CLIError("nothing left to claim") }
                    let entry = QueueEntry.claim(of: claimed)
                    return json ? try StoreCommandSupport.json(entry)
                        : "claimed \(claimed.externalID) for \(user) until \(entry.leaseExpiresAt ?? "-")"
                }
            }
            print(text)
            return
        }
        let entries = try StoreCommandSupport.run { try store.withDatabase { try $0.queueEntries() } }
        if json {
            print(try StoreCommandSupport.json(entries))
            return
        }
        print(Self.table(entries))
    }

    /// Columns: id, status, priority, top DRG (probability), coded DRG, final DRG, holder, section.
    static func table(_ entries: [QueueEntry]) -> String {
        var lines = ["CASE                 STATUS       PRI  MODEL        CODED  FINAL  HOLDER      SECTION"]
        for e in entries {
            let model = e.topDRG.map { drg in "\(drg) \(String(format: "%3.0f%%", (e.topProbability ?? 0) * 100))" } ?? "-"
            lines.append([
                pad(e.externalID, 20), pad(e.status.rawValue, 12), pad(String(e.priority), 4), pad(model, 12),
                pad(e.codedDRG ?? "-", 6), pad(e.finalDRG ?? "-", 6), pad(e.claimHolder ?? "-", 11), e.sectionSource.rawValue,
            ].joined(separator: " ") + (Self.stayMarker(e).map { "  " + $0 } ?? ""))
        }
        lines.append("\(entries.count) cases: " + CaseStatus.allCases.map { status in
            "\(entries.filter { $0.status == status }.count) \(status.rawValue)"
        }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// "in hospital · working DRG 291 (24 h)" for a patient still in hospital (early prediction, issue 19);
    /// "· stale" when a note arrived in its window since; nil for a discharged stay.
    static func stayMarker(_ e: QueueEntry) -> String? {
        guard e.inHospital else { return nil }
        guard let w = e.working else { return "in hospital · no working DRG yet (drgcoder score --cutoff)" }
        return "in hospital · working DRG \(w.drg) (\(w.cutoff.label))" + (w.stale ? " · stale" : "")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
