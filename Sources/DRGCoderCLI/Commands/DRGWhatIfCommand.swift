import ArgumentParser
import DRGKit
import Foundation

/// `drgcoder drg whatif`: the member of a DRG's family that a principal and secondary diagnoses select,
/// with each secondary's CC/MCC level and why it does (not) count. The logic is ``DRGWhatIf`` (DRGKit).
///
///     drgcoder drg whatif --pdx J18.9 --sdx J96.01 --sdx E11.9 --drg 195 --json
///     drgcoder drg whatif --batch cases.jsonl     one {"pdx","sdx","expired","drg"} a line → one answer a line
struct DRGWhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Which DRG of a family the secondary diagnoses select (MS-DRG v43).",
        discussion: """
            Applies the FY 2026 CC/MCC lists and the CMS Table 6K exclusions (principal's PDX collection, \
            MCC/CC only if discharged alive, DRG-specific exclusions). It never changes the family; \
            "depends_on" names what else CMS reads there (procedures, ventilation hours, ...), assumed absent.
            """)

    @Option(name: .long, help: "MS-DRG version (only 43).")
    var version: String = DRGVersion.v43.rawValue

    @Option(name: .long, help: "Principal diagnosis (ICD-10-CM, e.g. J18.9).")
    var pdx: String?

    @Option(name: .long, help: "A secondary diagnosis; repeat for more.")
    var sdx: [String] = []

    @Flag(name: .long, help: "The patient died (codes that count only if discharged alive do not count).")
    var expired = false

    @Option(name: .long, help: "Any DRG of the family to choose in, e.g. 291.")
    var drg: String?

    @Option(name: .long, help: "A JSONL file (- for stdin) of {\"pdx\", \"sdx\", \"expired\", \"drg\"}; one JSON answer a line.")
    var batch: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard DRGVersion(argument: version) == .v43 else {
            throw ValidationError("What-if needs MS-DRG version 43 (the FY 2026 CC/MCC lists); '\(version)' is not it.")
        }
        if batch == nil && (pdx == nil || drg == nil) {
            throw ValidationError("Give --pdx and --drg, or --batch FILE.")
        }
    }

    func run() throws {
        if let batch { try runBatch(batch); return }
        print(try output())
    }

    /// What a single what-if prints.
    func output() throws -> String {
        let result = try evaluate(pdx: pdx ?? "", sdx: sdx, expired: expired, drg: drg ?? "")
        return json ? try DRGOutput.json(WhatIfRecord(result)) : WhatIfRecord(result).text
    }

    func evaluate(pdx: String, sdx: [String], expired: Bool, drg: String) throws -> WhatIfResult {
        do {
            return try DRGWhatIf().evaluate(principal: pdx, secondaries: sdx, drg: drg, dischargedAlive: !expired)
        } catch let failure as DRGWhatIf.Failure {
            throw CLIError(failure.description)
        }
    }

    struct BatchCase: Decodable {
        var pdx: String
        var sdx: [String]?
        var expired: Bool?
        var drg: String
    }

    /// One answer a line; a bad line is `{"line": N, "error": "..."}` so that a batch never stops half-way.
    func runBatch(_ path: String) throws {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                               : try Data(contentsOf: URL(fileURLWithPath: path))
        let engine = DRGWhatIf()
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            do {
                let item = try JSONDecoder().decode(BatchCase.self, from: Data(line.utf8))
                let result = try engine.evaluate(principal: item.pdx, secondaries: item.sdx ?? [], drg: item.drg,
                                                 dischargedAlive: !(item.expired ?? false))
                print(try DRGOutput.json(WhatIfRecord(result)))
            } catch {
                print(try DRGOutput.json(["line": "\(index + 1)", "error": "\(error)"]))
            }
        }
    }
}

/// The `whatif` answer: `{"drg", "weight", "secondary": [{"code", "level", "counts", "reason"}], ...}`.
struct WhatIfRecord: Encodable {
    struct Secondary: Encodable {
        var code: String
        var title: String?
        /// "MCC", "CC" or "none": the level on the lists before exclusions.
        var level: String
        var counts: Bool
        var reason: String?
    }
    var drg: String
    var description: String
    var weight: Double?
    /// weight × base rate ($6,000 unless a hospital passes its own; DRGKit `Payment`).
    var payment: Double?
    /// Against the DRG of `--drg`: its code and the weight and payment differences (selected − given).
    var givenDRG: String
    var weightDifference: Double?
    var paymentDifference: Double?
    var family: [String]
    var principal: String
    var principalTitle: String?
    var because: String
    var dependsOn: [String]
    var familyChange: String?
    var secondary: [Secondary]

    enum CodingKeys: String, CodingKey {
        case drg, description, weight, payment, givenDRG = "given_drg", weightDifference = "weight_difference"
        case paymentDifference = "payment_difference", family, principal, principalTitle = "principal_title", because
        case dependsOn = "depends_on", familyChange = "family_change", secondary
    }

    init(_ r: WhatIfResult) {
        drg = r.drg.code; description = r.drg.description; weight = r.drg.weight; family = r.family.codes
        let money = Payment()
        func cents(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        payment = money.amount(for: r.drg).map(cents)
        givenDRG = r.given.code
        if let selected = r.drg.weight, let given = r.given.weight {
            weightDifference = ((selected - given) * 10_000).rounded() / 10_000
            paymentDifference = cents(money.amount(weight: selected) - money.amount(weight: given))
        }
        principal = ICD10.dotted(r.principal); principalTitle = ICD10.cm.entry(r.principal)?.title
        because = r.because; dependsOn = r.dependsOn; familyChange = r.familyChange
        secondary = r.secondaries.map {
            Secondary(code: ICD10.dotted($0.code), title: ICD10.cm.entry($0.code)?.title,
                      level: $0.level?.rawValue ?? "none", counts: $0.counts, reason: $0.reason?.description)
        }
    }

    var text: String {
        var lines = ["DRG \(drg)  \(description)" + (weight.map { "  weight \($0)" } ?? "")
                     + (paymentDifference.map { "  \($0 >= 0 ? "+" : "−")$\(String(format: "%.2f", abs($0))) against DRG \(givenDRG)" } ?? ""),
                     "  \(because)  (family \(family.joined(separator: ", ")))",
                     "  principal \(principal) \(principalTitle ?? "")"]
        for s in secondary {
            let status = s.counts ? "counts" : "does not count: \(s.reason ?? "")"
            lines.append("  \(s.code.padding(toLength: 9, withPad: " ", startingAt: 0)) \(s.level.padding(toLength: 4, withPad: " ", startingAt: 0)) \(status)  \(s.title ?? "")")
        }
        if let familyChange { lines.append("  family changed: \(familyChange)") }
        if !dependsOn.isEmpty {
            lines.append("  caution: this family also depends on \(dependsOn.joined(separator: ", ")); assumed absent")
        }
        return lines.joined(separator: "\n")
    }
}
