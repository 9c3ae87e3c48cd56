import Foundation

/// The auditors' findings as CSV, one row per finding still in force (undone ones left out):
/// `seq,case,auditor,decided_at,finding,auditor_drg,model_top_drg,audited_seq,audited_user,audited_drg,reasons,note`.
/// The audited decision is the case's latest coding before the finding. Written atomically with mode
/// 0600 (an auditor's note may quote the chart: PHI).
public enum FindingsExport {
    public static let header = "seq,case,auditor,decided_at,finding,auditor_drg,model_top_drg,audited_seq,audited_user,audited_drg,reasons,note"

    /// Writes the file; returns the number of findings.
    @discardableResult
    public static func write(_ log: [LoggedDecision], to url: URL) throws -> Int {
        let rows = lines(log)
        let text = ([header] + rows).joined(separator: "\n") + "\n"
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
        return rows.count
    }

    static func lines(_ log: [LoggedDecision]) -> [String] {
        let gone = DecisionLog.reversed(log)
        var lastCoding: [CaseID: LoggedDecision] = [:]
        var out: [String] = []
        for d in log where d.kind != .undo && !gone.contains(d.seq) {
            if let finding = d.finding {
                let audited = lastCoding[d.caseID]
                let reasons = d.reasons.filter { $0 != ReasonCode.auditAgree && $0 != ReasonCode.auditDisagree }
                out.append([String(d.seq), d.caseExternalID, d.user, Format.minute(d.decidedAt), finding, d.chosenDRG ?? "",
                            d.modelTopDRG ?? "", audited.map { String($0.seq) } ?? "", audited?.user ?? "", audited?.chosenDRG ?? "",
                            reasons.joined(separator: ";"), d.note ?? ""].map(field).joined(separator: ","))
            }
            if d.kind == .accept || d.kind == .override { lastCoding[d.caseID] = d }
        }
        return out
    }

    /// RFC 4180 quoting where needed.
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
