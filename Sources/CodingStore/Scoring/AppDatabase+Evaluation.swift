import DRGKit
import Foundation
import GRDB

/// Which DRG a prediction is judged against.
public enum EvaluationReference: String, CaseIterable, Sendable {
    /// The DRG the source recorded (MIMIC-IV drgcodes, a JSONL/CSV `final_drg`).
    case final
    /// The DRG the coders chose (the effective accept/override decision).
    case coded
}

/// Predictions of one model paired with reference DRGs, ready for DRGKit's `DRGEvaluation`.
public struct EvaluationSet: Sendable, Equatable {
    public var modelPath: String
    public var labelSpace: String
    public var caseIDs: [String] = []
    public var predictions: [DRGPrediction] = []
    public var truths: [String] = []
    /// Cases with a reference DRG but no prediction from this model.
    public var unscored = 0
}

extension AppDatabase {
    /// Pairs each case that has a reference DRG with its latest prediction from the model stored
    /// under `modelPath` (compared as standardized absolute paths). With no path, the database must
    /// hold predictions of exactly one model.
    public func evaluationSet(modelPath: String?, reference: EvaluationReference = .final) throws -> EvaluationSet {
        try read { db in
            let paths = try String.fetchAll(db, sql: "SELECT DISTINCT model_path FROM predictions ORDER BY model_path")
            guard !paths.isEmpty else { throw StoreError.invalid("the database holds no predictions (run drgcoder score first)") }
            let chosen: String
            if let modelPath {
                let wanted = Self.standardPath(modelPath)
                guard let match = paths.first(where: { Self.standardPath($0) == wanted }) else {
                    throw StoreError.notFound("no predictions from \(modelPath); the database has predictions from \(paths.joined(separator: ", "))")
                }
                chosen = match
            } else {
                guard paths.count == 1 else {
                    throw StoreError.invalid("predictions from \(paths.count) models (\(paths.joined(separator: ", "))); choose one with --model")
                }
                chosen = paths[0]
            }
            let column = reference == .final ? "final_drg" : "coded_drg"
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.external_id, c.\(column) AS truth,
                       (SELECT p.prediction_json FROM predictions p WHERE p.case_id = c.id AND p.model_path = ?
                        ORDER BY p.id DESC LIMIT 1) AS json,
                       (SELECT p.label_space FROM predictions p WHERE p.case_id = c.id AND p.model_path = ?
                        ORDER BY p.id DESC LIMIT 1) AS label_space
                FROM cases c WHERE c.\(column) IS NOT NULL ORDER BY c.id
                """, arguments: [chosen, chosen])
            var set = EvaluationSet(modelPath: chosen, labelSpace: "")
            for row in rows {
                guard let json: String = row["json"] else { set.unscored += 1; continue }
                set.caseIDs.append(row["external_id"])
                set.predictions.append(try PredictionCoding.decode(json))
                set.truths.append(row["truth"])
                if set.labelSpace.isEmpty { set.labelSpace = row["label_space"] ?? "" }
            }
            return set
        }
    }

    static func standardPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
