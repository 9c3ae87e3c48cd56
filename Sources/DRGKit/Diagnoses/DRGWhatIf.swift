import Foundation

/// The member of a DRG's family that a set of secondary diagnoses selects (MS-DRG v43).
///
///     let whatIf = DRGWhatIf()
///     let r = try whatIf.evaluate(principal: "J189", secondaries: ["J9601", "E119"], drg: "195")
///     r.drg.code             // "193": J96.01 is an MCC that J18.9 does not exclude
///     r.decisive?.code       // "J9601"
///
/// It takes the family (the base DRG) as given, applies the CC/MCC lists with the three Table 6K
/// exclusions (``DiagnosisSeverityTable/assess(secondary:principal:drg:dischargedAlive:)``), and picks
/// the member for the highest level that counts. One family switch is made: acute myocardial infarction
/// "discharged alive" (280-282) and "expired" (283-285) follow `dischargedAlive`.
///
/// It is not a grouper: it never moves a case to another family. Where CMS chooses the family or the member
/// with more than CC/MCC (procedures, ventilation hours, discharge status, particular secondary diagnoses),
/// ``WhatIfResult/dependsOn`` says so and the DRG assumes none of those apply.
public struct DRGWhatIf: Sendable {
    public let table: DRGTable
    public let severity: DiagnosisSeverityTable

    public init(table: DRGTable = .table(for: .v43), severity: DiagnosisSeverityTable = .v43) {
        self.table = table
        self.severity = severity
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownDRG(String)
        case code(ICD10CodeError)

        public var description: String {
            switch self {
            case .unknownDRG(let code): return "'\(code)' is not an MS-DRG v43 code"
            case .code(let error): return error.description
            }
        }
    }

    /// Validates the codes (FY 2026 ICD-10-CM, billable), then selects the member of `drg`'s family.
    public func evaluate(principal: String, secondaries: [String], drg: String,
                         dischargedAlive: Bool = true) throws -> WhatIfResult {
        guard let anchor = table.entry(drg), var family = table.base(of: anchor.code) else {
            throw Failure.unknownDRG(drg)
        }
        let pdx: String
        var codes: [String] = []
        do {
            pdx = try ICD10.validateDiagnosis(principal)
            for code in secondaries { codes.append(try ICD10.validateDiagnosis(code)) }
        } catch let error as ICD10CodeError {
            throw Failure.code(error)
        }
        family = dischargeStatusFamily(family, dischargedAlive: dischargedAlive)
        let assessments = codes.map {
            severity.assess(secondary: $0, principal: pdx, drg: family.codes.first, dischargedAlive: dischargedAlive)
        }
        let decisive = assessments.first { $0.counting == .mcc } ?? assessments.first { $0.counting == .cc }
        let wanted: CCMCCClass = switch decisive?.counting {
        case .mcc: .withMCC
        case .cc: .withCC
        case nil: .withoutCCMCC
        }
        guard let member = table.drg(base: family.index, ccMcc: wanted) else { throw Failure.unknownDRG(drg) }
        return WhatIfResult(drg: member, family: family, principal: pdx, secondaries: assessments,
                            decisive: decisive, dependsOn: dependencies(of: family))
    }

    /// 280-282 ⇄ 283-285: the AMI family that matches the discharge status.
    func dischargeStatusFamily(_ family: BaseDRG, dischargedAlive: Bool) -> BaseDRG {
        let (from, to) = dischargedAlive ? ("EXPIRED", "DISCHARGED ALIVE") : ("DISCHARGED ALIVE", "EXPIRED")
        guard family.name.hasSuffix(from),
              let other = table.base(named: String(family.name.dropLast(from.count)) + to) else { return family }
        return other
    }

    /// What else CMS reads to choose this family or its member, from the family's titles and type.
    func dependencies(of family: BaseDRG) -> [String] {
        let members = family.codes.compactMap(table.entry)
        let titles = members.map(\.description).joined(separator: " | ")
        var found: [String] = []
        func note(_ what: String, _ words: [String]) {
            if words.contains(where: titles.contains), !found.contains(what) { found.append(what) }
        }
        if members.contains(where: { $0.type == "SURG" }) { found.append("procedures") }
        note("procedures", ["THROMBOLYTIC", "TPA", "O.R. PROCEDURE", "REHABILITATION THERAPY", "SKIN GRAFT",
                            "STERILIZATION", "HIGH DOSE CHEMOTHERAPY", "DIALYSIS"])
        note("mechanical ventilation hours", ["MV ", "MV>", "VENTILATOR"])
        note("discharge status", ["LEFT AMA", "DIED OR TRANSFERRED", "TRANSFERRED"])
        note("secondary diagnoses beyond the CC/MCC lists", ["AS SECONDARY DIAGNOSIS", "RELATED CONDITION",
             "COR PULMONALE", "MULTIPLE SIGNIFICANT TRAUMA", "MAJOR PROBLEMS", "INHALATION INJURY"])
        return found
    }
}

/// The answer of ``DRGWhatIf/evaluate(principal:secondaries:drg:dischargedAlive:)``.
public struct WhatIfResult: Sendable, Hashable {
    /// The selected member of the family.
    public var drg: DRGEntry
    public var family: BaseDRG
    /// Normalized principal diagnosis.
    public var principal: String
    /// One per secondary, in the order given.
    public var secondaries: [SecondaryAssessment]
    /// The secondary that makes the stay "with MCC" / "with CC" (the first of the highest level); nil without one.
    public var decisive: SecondaryAssessment?
    /// What CMS also reads for this family ("procedures", "mechanical ventilation hours", ...); empty when
    /// the member depends on the CC/MCC status alone.
    public var dependsOn: [String]

    /// "MCC because of J96.01 Acute respiratory failure with hypoxia", "no CC or MCC counts".
    public var because: String {
        guard let decisive, let level = decisive.counting else { return "no CC or MCC counts" }
        let title = ICD10.cm.entry(decisive.code)?.title ?? ""
        return "\(level.rawValue) because of \(ICD10.dotted(decisive.code)) \(title)"
    }
}
