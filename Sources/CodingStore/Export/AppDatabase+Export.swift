import DRGKit
import Foundation
import GRDB

/// The export formats of `drgcoder export`.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// `text,label` with the single-label index (DRG-LLaMA `llama_single.py`).
    case drgLlamaSingleCSV = "drg-llama-single-csv"
    /// `text,label` with the 345-wide one-hot (DRG-LLaMA `llama_two.py`).
    case drgLlamaTwoCSV = "drg-llama-two-csv"
    /// One decision a line with full provenance.
    case jsonl
}

/// What an export wrote.
public struct ExportSummary: Codable, Sendable, Equatable {
    public var rows = 0
    /// Coded cases left out because their DRG is not in the label space.
    public var notInLabelSpace = 0
}

extension AppDatabase {
    /// Writes an export file (mode 0600, atomically: a failed export leaves no file).
    ///
    /// The CSV formats write one row per coded case: its section text and the DRG its effective
    /// accept/override decision chose, in decision order. `correctionsOnly` keeps cases whose
    /// effective decision is an override. Text is quoted as Python's csv module (pandas `to_csv`)
    /// does: only when it holds a comma, a quote or a line break, quotes doubled; lines end in `\n`.
    ///
    /// The JSONL format writes every decision row in chain order (with `correctionsOnly`: the
    /// overrides not undone): seq, hash, time, user, role, action, the case (id, source, hadm_id,
    /// final DRG, section text and how it was found), the model identity and the top 10 of its
    /// ranking as shown (the full prediction stays in the database, addressed by
    /// `prediction_sha256`), the model's top DRG, the chosen DRG, reason, note, time spent, undo links.
    public func export(_ format: ExportFormat, to url: URL, labels: TrainingLabels? = nil,
                       correctionsOnly: Bool = false) throws -> ExportSummary {
        var summary = ExportSummary()
        try read { db in
            try PrivateFile.writeAtomically(to: url) { out in
                switch format {
                case .drgLlamaSingleCSV, .drgLlamaTwoCSV:
                    let labels = labels ?? TrainingLabels.drgLlama()
                    try out.write("text,label\n")
                    for (sectionText, drg) in try codedCases(db, correctionsOnly: correctionsOnly) {
                        let label: String?
                        if format == .drgLlamaSingleCSV {
                            label = labels.singleLabel(drg).map(String.init)
                        } else {
                            label = labels.twoLabelOneHot(drg)
                        }
                        guard let label else { summary.notInLabelSpace += 1; continue }
                        try out.write(CSVField.quoted(sectionText) + "," + CSVField.quoted(label) + "\n")
                        summary.rows += 1
                    }
                case .jsonl:
                    try writeDecisionLines(db, to: out, correctionsOnly: correctionsOnly, summary: &summary)
                }
            }
        }
        return summary
    }

    /// (section text, chosen DRG) of each case whose effective decision is an accept/override.
    private func codedCases(_ db: Database, correctionsOnly: Bool) throws -> [(String, String)] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.section_text, d.chosen_drg, d.action, d.case_id
            FROM decisions d JOIN cases c ON c.id = d.case_id
            WHERE d.action <> 'undo' AND d.seq NOT IN (SELECT reverses_seq FROM decisions WHERE action = 'undo')
            ORDER BY d.seq
            """)
        var latest: [Int64: (order: Int, text: String, drg: String?, override: Bool)] = [:]
        for (order, row) in rows.enumerated() {
            let caseID: Int64 = row["case_id"]
            latest[caseID] = (order, row["section_text"], row["chosen_drg"], (row["action"] as String) == "override")
        }
        return latest.values.sorted { $0.order < $1.order }
            .filter { $0.drg != nil && (!correctionsOnly || $0.override) }
            .map { ($0.text, $0.drg ?? "") }
    }

    private func writeDecisionLines(_ db: Database, to out: FileWriter, correctionsOnly: Bool,
                                    summary: inout ExportSummary) throws {
        let undone = Set(try Int64.fetchAll(db, sql: "SELECT reverses_seq FROM decisions WHERE action = 'undo'"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.*, c.source AS c_source, c.hadm_id AS c_hadm, c.final_drg AS c_final, c.section_text AS c_section,
                   c.section_source AS c_section_source, p.prediction_json AS p_json, p.model_path AS p_path,
                   p.weights_sha256 AS p_weights, p.adapter_sha256 AS p_adapter, p.label_space AS p_labels
            FROM decisions d JOIN cases c ON c.id = d.case_id LEFT JOIN predictions p ON p.id = d.prediction_id
            ORDER BY d.seq
            """)
        while let raw = try rows.next() {
            guard let row = Self.decodeRow(raw) else { continue }
            if correctionsOnly && (row.action != .override || undone.contains(row.seq)) { continue }
            var model: ModelIdentity?
            var ranked: [ExportedRank]?
            if let path: String = raw["p_path"], let weights: String = raw["p_weights"], let labels: String = raw["p_labels"] {
                model = ModelIdentity(path: path, weightsSHA256: weights, adapterSHA256: raw["p_adapter"], labelSpace: labels)
            }
            if let json: String = raw["p_json"], let prediction = try? PredictionCoding.decode(json) {
                ranked = prediction.ranked.prefix(10).map { ExportedRank(drg: $0.drg, probability: $0.probability) }
            }
            let line = ExportedDecision(
                seq: row.seq, hash: row.hash, decidedAt: row.decidedAt, user: row.user, role: row.role.rawValue,
                action: row.action.rawValue, caseID: row.caseExternalID, source: raw["c_source"], hadmID: raw["c_hadm"],
                finalDRG: raw["c_final"], sectionText: raw["c_section"], sectionSource: raw["c_section_source"],
                model: model, predictionSHA256: row.predictionSHA256, modelRanked: ranked, modelTopDRG: row.modelTopDRG,
                chosenDRG: row.chosenDRG, reasonCode: row.reasonCode, note: row.note,
                timeSpentMilliseconds: row.timeSpentMilliseconds, reversesSeq: row.reversesSeq, undone: undone.contains(row.seq),
                confirmedCodes: row.confirmedCodes)
            try out.write(String(decoding: try encoder.encode(line), as: UTF8.self) + "\n")
            summary.rows += 1
        }
    }
}

struct ExportedRank: Encodable { var drg: String; var probability: Double }

/// One line of the JSONL export (keys are its contract; see docs/STORE.md).
struct ExportedDecision: Encodable {
    var seq: Int64, hash: String, decidedAt: String, user: String, role: String, action: String
    var caseID: String, source: String, hadmID: String?, finalDRG: String?, sectionText: String, sectionSource: String
    var model: ModelIdentity?, predictionSHA256: String?, modelRanked: [ExportedRank]?, modelTopDRG: String?
    var chosenDRG: String?, reasonCode: String?, note: String?, timeSpentMilliseconds: Int64, reversesSeq: Int64?, undone: Bool
    /// Present only when the decision carries confirmed codes, so older exports read the same.
    var confirmedCodes: String?

    enum CodingKeys: String, CodingKey {
        case seq, hash, decidedAt = "decided_at", user, role, action, caseID = "case_id", source, hadmID = "hadm_id"
        case finalDRG = "final_drg", sectionText = "section_text", sectionSource = "section_source", model
        case predictionSHA256 = "prediction_sha256", modelRanked = "model_ranked", modelTopDRG = "model_top_drg"
        case chosenDRG = "chosen_drg", reasonCode = "reason_code", note, timeSpentMilliseconds = "time_spent_ms"
        case reversesSeq = "reverses_seq", undone, confirmedCodes = "confirmed_codes"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq); try c.encode(hash, forKey: .hash); try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(user, forKey: .user); try c.encode(role, forKey: .role); try c.encode(action, forKey: .action)
        try c.encode(caseID, forKey: .caseID); try c.encode(source, forKey: .source); try c.encode(hadmID, forKey: .hadmID)
        try c.encode(finalDRG, forKey: .finalDRG); try c.encode(sectionText, forKey: .sectionText)
        try c.encode(sectionSource, forKey: .sectionSource); try c.encode(model, forKey: .model)
        try c.encode(predictionSHA256, forKey: .predictionSHA256); try c.encode(modelRanked, forKey: .modelRanked)
        try c.encode(modelTopDRG, forKey: .modelTopDRG); try c.encode(chosenDRG, forKey: .chosenDRG)
        try c.encode(reasonCode, forKey: .reasonCode); try c.encode(note, forKey: .note)
        try c.encode(timeSpentMilliseconds, forKey: .timeSpentMilliseconds); try c.encode(reversesSeq, forKey: .reversesSeq)
        try c.encode(undone, forKey: .undone)
        try c.encodeIfPresent(confirmedCodes, forKey: .confirmedCodes)
    }
}

/// CSV quoting as Python's `csv` module does with QUOTE_MINIMAL.
enum CSVField {
    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" 
    }
}
