import ArgumentParser
import CodingStore
import Foundation

/// `drgcoder queue --db F [--json]`: every case, in queue order, with status and latest score.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "List the cases of a queue with status and scores.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print a JSON array (one object per case) instead of a table.")
    var json = false

    func run() throws {
        let entries = try StoreCommandSupport.run { try store.open().queueEntries() }
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
            ].joined(separator: " "))
        }
        lines.append("\(entries.count) cases: " + CaseStatus.allCases.map { status in
            "\(entries.filter { $0.status == status }.count) \(status.rawValue)"
        }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
