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
/// the member for the highest level that counts. Two family switches are made: acute myocardial infarction
/// "discharged alive" (280-282) and "expired" (283-285) follow `dischargedAlive`; a medical case whose
/// diagnoses make it multiple significant trauma (``SignificantTrauma``) moves to MDC 24, DRGs 963-965.
///
/// It is not a grouper: it makes no other family move. Where CMS chooses the family or the member
/// with more than CC/MCC (procedures, ventilation hours, discharge status, particular secondary diagnoses),
/// ``WhatIfResult/dependsOn`` says so and the DRG assumes none of those apply.
public struct DRGWhatIf: Sendable {
    public let table: DRGTable
    public let severity: DiagnosisSeverityTable
    public let trauma: SignificantTrauma

    public init(table: DRGTable = .table(for: .v43), severity: DiagnosisSeverityTable = .v43,
                trauma: SignificantTrauma = .v43) {
        self.table = table
        self.severity = severity
        self.trauma = trauma
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
        var familyChange: String?
        if anchor.type == "MED", anchor.mdc != "24", trauma.isMultiple(principal: pdx, secondaries: codes),
           let mst = table.base(of: "963") {
            family = mst
            familyChange = "multiple significant trauma (MDC 24): the diagnoses cover two or more significant-trauma sites"
        }
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
        return WhatIfResult(drg: member, given: anchor, family: family, principal: pdx, secondaries: assessments,
                            decisive: decisive, dependsOn: dependencies(of: family), familyChange: familyChange)
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
        if members.contains(where: { $0.mdc == "15" }) { found.append("neonate problem diagnoses (not the CC/MCC lists)") }
        if members.contains(where: { $0.mdc == "22" }) { found.append("burn depth and extent diagnoses (not the CC/MCC lists)") }
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
    /// The DRG the question named (`--drg`), to compare weights and payments with.
    public var given: DRGEntry
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
    /// Why the family is not the given DRG's (multiple significant trauma); nil when it is.
    public var familyChange: String?

    /// "MCC because of J96.01 Acute respiratory failure with hypoxia", "no CC or MCC counts".
    public var because: String {
        guard let decisive, let level = decisive.counting else { return "no CC or MCC counts" }
        let title = ICD10.cm.entry(decisive.code)?.title ?? ""
        return "\(level.rawValue) because of \(ICD10.dotted(decisive.code)) \(title)"
    }
}
