import ArgumentParser
import DRGKit

/// `drgcoder drg families`: how many base DRGs each CC/MCC split family has.
struct DRGFamiliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "families", abstract: "Count base DRGs per CC/MCC split family.")

    @OptionGroup var options: DRGTableOptions

    func run() throws { print(try output()) }

    func output() throws -> String {
        let table = try options.table()
        let counts = table.familyCounts
        let families = SplitFamily.allCases.filter { $0 != .irregular || counts[$0] != nil }
        if options.json {
            return try DRGOutput.json(DRGFamiliesOutput(
                version: table.version.rawValue, drgs: table.entries.count, bases: table.bases.count,
                families: families.map { .init(family: $0.rawValue, classes: DRGOutput.classes(of: $0), bases: counts[$0] ?? 0) }))
        }
        var lines = ["\(table.version.title): \(table.entries.count) DRGs in \(table.bases.count) base DRGs"]
        for family in families {
            lines.append(DRGOutput.pad(family.rawValue, 16) + DRGOutput.pad(String(counts[family] ?? 0), 5, left: true)
                         + "  " + DRGOutput.classes(of: family))
        }
        return lines.joined(separator: "\n")
    }
}

struct DRGFamiliesOutput: Encodable {
    struct Family: Encodable { var family: String; var classes: String; var bases: Int }
    var version: String
    var drgs: Int
    var bases: Int
    var families: [Family]
}
