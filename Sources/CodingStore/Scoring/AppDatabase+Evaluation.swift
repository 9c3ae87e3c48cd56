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
    /// under `modelPath` (compared as standardized absolute paths). The reference of an APR-DRG model
    /// is the case's final APR-DRG (`final_apr_drg`), of any other model its final (or coded) MS-DRG. With no path, the database must
    /// hold predictions of exactly one model.
    ///
    /// With `cutoff`, the predictions are the early predictions at that cut-off (`score --cutoff`):
    /// each case's latest one from the model.
    public func evaluationSet(modelPath: String?, reference: EvaluationReference = .final,
                              cutoff: EarlyCutoff? = nil) throws -> EvaluationSet {
        try read { db in
            let table = cutoff == nil ? "predictions" : "early_predictions"
            let only = cutoff.map { "AND p.cutoff = '\($0.rawValue)'" } ?? ""
            let paths = try String.fetchAll(db, sql: "SELECT DISTINCT model_path FROM \(table) p WHERE 1 \(only) ORDER BY model_path")
            guard !paths.isEmpty else {
                throw StoreError.invalid(cutoff.map { "the database holds no early predictions at \($0.label) (run drgcoder score --cutoff \($0.rawValue) first)" }
                                         ?? "the database holds no predictions (run drgcoder score first)")
            }
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
            // An APR-DRG model (CAML, label space caml-apr-drg:…) is judged against the final APR-DRGs,
            // never against MS-DRGs; coders choose MS-DRGs, so there is no coded APR-DRG.
            let space = try String.fetchOne(db, sql: "SELECT label_space FROM \(table) WHERE model_path = ? LIMIT 1", arguments: [chosen]) ?? ""
            let apr = space.hasPrefix(Self.aprLabelSpacePrefix)
            if apr && reference == .coded {
                throw StoreError.invalid("\(chosen) predicts APR-DRGs; coders choose MS-DRGs, so evaluate it --against final (the final APR-DRGs)")
            }
            let column = apr ? "final_apr_drg" : reference == .final ? "final_drg" : "coded_drg"
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.external_id, c.\(column) AS truth,
                       (SELECT p.prediction_json FROM \(table) p WHERE p.case_id = c.id AND p.model_path = ? \(only)
                        ORDER BY p.id DESC LIMIT 1) AS json,
                       (SELECT p.label_space FROM \(table) p WHERE p.case_id = c.id AND p.model_path = ? \(only)
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

    /// The label space prefix a CAML APR-DRG model stores its predictions under.
    public static let aprLabelSpacePrefix = "caml-apr-drg:"

    static func standardPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
