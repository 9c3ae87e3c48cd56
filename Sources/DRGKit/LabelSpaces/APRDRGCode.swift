/// APR-DRG codes as drgcoder writes them (3M's All Patient Refined DRGs): a three-digit base, a dash,
/// the severity of illness 1–4 — `194-4` is heart failure at severity 4 (extreme). Not an MS-DRG:
/// a bare `291` is never read as an APR-DRG.
///
///     APRDRGCode.normalized("194 4")   // "194-4"
///     APRDRGCode.normalized("5-1")     // "005-1"
///     APRDRGCode.normalized("1944")    // nil (the rules files' DRG_CODE; ambiguous without a separator)
public enum APRDRGCode {
    public static func normalized(_ raw: String) -> String? {
        let parts = raw.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "-" || $0 == " " })
        guard parts.count == 2, let base = DRGTable.normalizedCode(String(parts[0])), base != "000", parts[1].count == 1,
              let severity = Int(parts[1]), (1...4).contains(severity) else { return nil }
        return "\(base)-\(severity)"
    }
}
