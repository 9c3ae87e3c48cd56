import CodingStore
import DRGKit
import Foundation

extension EvalCommand {
    /// True for a label space a CAML model stored its predictions under (`caml-ms-drg:<rules file>`,
    /// `caml-apr-drg:<rules file>`).
    static func isCAML(labelSpace: String) -> Bool { labelSpace.hasPrefix("caml-") }

    /// What `eval --json` prints for a CAML model: its own DRG system and rules-file weights.
    struct CAMLReport: Encodable {
        var model: String
        var labelSpace: String
        var reference: String
        var cases: Int
        var unscored: Int
        var evaluation: LabelSystemEvaluation
        /// "MS-DRG weights of MSDRG_RULE13.csv", "APR-DRG weights of APRDRG_RULE13.csv".
        var cmiWeights: String
        /// The early predictions' cut-off ("24h", "48h", "now"), nil for the discharge predictions.
        var cutoff: String?
        enum CodingKeys: String, CodingKey {
            case model, labelSpace = "label_space", reference, cases, unscored, evaluation = "metrics", cmiWeights = "cmi_weights", cutoff
        }
    }

    /// `eval` of a CAML model's predictions (``LabelSystemEvaluation``): top-k, F1 and AUC over its
    /// labels and the population CMI with its bootstrap interval and payment, each stay weighted with
    /// the model's rules file — MS-DRG or APR-DRG, never the other. References of the other system
    /// are left out and counted. `--version` does not apply (the weights are the rules file's).
    func runCAML(_ set: EvaluationSet) throws {
        guard version == nil else {
            throw CLIError("--version applies to DRG-LLaMA predictions; \(set.modelPath) is a CAML model weighted by its rules file (\(set.labelSpace))")
        }
        let system = set.predictions.first?.labelSystem ?? "?"
        guard let evaluation = LabelSystemEvaluation(predictions: set.predictions, truths: set.truths, payment: Payment(baseRate: baseRate),
                                                     resamples: resamples, seed: seed) else {
            throw CLIError("none of the \(set.truths.count) \(against.rawValue) DRGs is a \(system) label of \(set.labelSpace)")
        }
        let rulesFile = set.labelSpace.split(separator: ":", maxSplits: 1).last.map(String.init) ?? set.labelSpace
        let report = CAMLReport(model: set.modelPath, labelSpace: set.labelSpace, reference: against.rawValue,
                                cases: set.predictions.count, unscored: set.unscored, evaluation: evaluation,
                                cmiWeights: "\(evaluation.labelSystem) weights of \(rulesFile)", cutoff: cutoff?.rawValue)
        if json {
            print(try StoreCommandSupport.json(report))
            return
        }
        print(Self.describe(report))
    }

    static func describe(_ r: CAMLReport) -> String {
        let e = r.evaluation, m = e.drg
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func num(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }
        var lines = [
            "model \(r.model) (CAML, \(e.labelSystem) labels of \(r.labelSpace)) against \(r.reference) DRGs"
                + (r.cutoff.map { ", early predictions at \($0)" } ?? ""),
            "cases \(r.cases) (\(e.skipped) left out: reference not a \(e.labelSystem) label of the model; \(r.unscored) not scored by this model)",
            "\(e.labelSystem) top-1 \(pct(m.accuracy))  top-5 \(pct(m.accuracyAt5))  top-10 \(pct(m.accuracyAt10))",
            "macro-F1 \(num(m.macroF1))  micro-F1 \(num(m.microF1))  macro-AUC \(num(m.macroAUC))  micro-AUC \(num(m.microAUC))",
        ]
        if let b = e.cmi { lines += bootstrapLines(b, weights: r.cmiWeights, reference: r.reference, left: 0) }
        return lines.joined(separator: "\n")
    }

    /// The two lines of a population CMI with its bootstrap interval and the payment estimate;
    /// `weights` names the weights ("MS-DRG v43 weights").
    static func bootstrapLines(_ b: CaseMixBootstrap, weights: String, reference: String, left: Int) -> [String] {
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func num(_ x: Double) -> String { String(format: "%.4f", x) }
        func ci(_ e: CaseMixBootstrap.Estimate, _ f: (Double) -> String) -> String { "\(f(e.value)) (\(f(e.lower)) to \(f(e.upper)))" }
        func money(_ x: Double) -> String { "$" + String(format: "%.0f", x) }
        let level = String(format: "%.0f%%", b.confidence * 100)
        return [
            "population CMI (\(weights), \(b.stays) stays\(left > 0 ? ", \(left) without a weight left out" : ""), \(level) bootstrap CI of \(b.resamples) resamples): "
                + "predicted \(ci(b.predictedCMI, num))  \(reference) \(ci(b.finalCMI, num))  error \(ci(b.error, pct))",
            "payment at a base rate of \(money(b.baseRate)): predicted \(ci(b.predictedPayment, money))  \(reference) \(money(b.finalPayment))  "
                + "difference \(money(b.predictedPayment.value - b.finalPayment))",
        ]
    }
}
