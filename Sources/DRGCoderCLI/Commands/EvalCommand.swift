import ArgumentParser
import CodingStore
import DRGKit
import Foundation

/// `drgcoder eval --db F [--model D] [--against final|coded] [--version 34|43] [--json]`
///
/// Scores one model's stored predictions against reference DRGs with DRGKit's `DRGEvaluation`:
/// top-1/5/10 accuracy, macro/micro F1 and AUC over DRGs, base-DRG and CC/MCC accuracy, DRG-LLaMA's
/// map_rule accuracy, and the case-mix index of the predicted versus the reference DRGs.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Metrics of predictions against final DRGs.",
        discussion: "The reference is the source's final DRG (MIMIC-IV drgcodes, final_drg) or, with --against coded, the coders' DRG.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The model directory whose predictions to evaluate (needed when several models scored).") var model: String?
    @Option(help: "The reference: final (the source's DRG) or coded (the coders' DRG).") var against: EvaluationReference = .final
    @Option(help: "MS-DRG version of the tables (default: the label space's).") var version: DRGVersion?
    @Option(help: "Base payment rate in dollars for the payment estimate (the CAML paper's illustrative $6,000 by default).")
    var baseRate: Double = Payment.defaultBaseRate
    @Option(help: "Bootstrap resamples for the CMI confidence interval.") var resamples: Int = 1000
    @Option(help: "Seed of the bootstrap resampling.") var seed: UInt64 = 0
    @Option(help: "Evaluate the early predictions at this cut-off (score --cutoff): 24h, 48h or now.") var cutoff: EarlyCutoff?
    @Flag(help: "Print the metrics as JSON.") var json = false

    func validate() throws {
        guard baseRate > 0, baseRate.isFinite else { throw ValidationError("--base-rate must be a positive amount of dollars.") }
        guard resamples >= 2 else { throw ValidationError("--resamples must be at least 2.") }
    }

    struct Report: Encodable {
        var model: String
        var labelSpace: String
        var reference: String
        var version: String
        var cases: Int
        var unscored: Int
        var metrics: DRGEvaluation
        /// When the evaluation version has no relative weights (v34 in DRGKit): the CMI of the same codes
        /// under the FY2026 (v43) weights, an approximation for codes whose meaning did not change.
        var cmiWithV43Weights: CMI?
        /// Population CMI and payment with bootstrap intervals (CAML paper), over the cases whose
        /// predicted and reference DRGs both have a weight in `cmiWeights`'s table.
        var cmiBootstrap: CaseMixBootstrap?
        var cmiWeights: String
        var cmiStaysWithoutWeight: Int
        /// The early predictions' cut-off ("24h", "48h", "now"), nil for the discharge predictions.
        var cutoff: String? = nil
        enum CodingKeys: String, CodingKey {
            case model, labelSpace = "label_space", reference, version, cases, unscored, metrics
            case cmiWithV43Weights = "cmi_v43_weights", cmiBootstrap = "cmi_bootstrap", cmiWeights = "cmi_weights"
            case cmiStaysWithoutWeight = "cmi_stays_without_weight", cutoff
        }
    }

    struct CMI: Encodable {
        var predicted: Double?
        var final: Double?
        /// Codes without a v43 weight, left out of each mean.
        var predictedSkipped: Int
        var finalSkipped: Int
        enum CodingKeys: String, CodingKey {
            case predicted, final, predictedSkipped = "predicted_skipped", finalSkipped = "final_skipped"
        }
    }

    func run() throws {
        let reference = against, cutoff = cutoff
        let set = try StoreCommandSupport.run { try store.openForReading().evaluationSet(modelPath: model, reference: reference, cutoff: cutoff) }
        guard !set.predictions.isEmpty else {
            throw CLIError("no case has both a \(reference.rawValue) DRG and a prediction from \(set.modelPath) (\(set.unscored) unscored)")
        }
        if Self.isCAML(labelSpace: set.labelSpace) { return try runCAML(set) }
        let drgVersion = try version ?? Self.version(of: set.labelSpace, model: model)
        guard let metrics = DRGEvaluation(predictions: set.predictions, truths: set.truths, table: .table(for: drgVersion)) else {
            throw CLIError("none of the \(set.truths.count) reference DRGs is an MS-DRG v\(drgVersion.rawValue) code")
        }
        var cmi: CMI?
        if metrics.predictedCMI == nil {
            let v43 = DRGTable.table(for: .v43)
            let predicted = CaseMix.index(codes: set.predictions.compactMap { $0.ranked.first?.drg }, in: v43)
            let final = CaseMix.index(codes: set.truths, in: v43)
            cmi = CMI(predicted: predicted.cmi, final: final.cmi, predictedSkipped: predicted.skipped, finalSkipped: final.skipped)
        }
        // The bootstrap pairs each stay's top-1 and reference weights, in the evaluation version's table
        // when it has weights, else v43's (as cmi_v43_weights above).
        let weightTable = metrics.predictedCMI == nil ? DRGTable.table(for: .v43) : DRGTable.table(for: drgVersion)
        let pairs = zip(set.predictions, set.truths).compactMap { p, t -> (Double, Double)? in
            guard let predicted = p.ranked.first.flatMap({ weightTable.entry($0.drg)?.weight }), let final = weightTable.entry(t)?.weight else { return nil }
            return (predicted, final)
        }
        let bootstrap = CaseMixBootstrap(predicted: pairs.map(\.0), final: pairs.map(\.1), payment: Payment(baseRate: baseRate),
                                         resamples: resamples, seed: seed)
        let report = Report(model: set.modelPath, labelSpace: set.labelSpace, reference: reference.rawValue,
                            version: drgVersion.rawValue, cases: set.predictions.count, unscored: set.unscored,
                            metrics: metrics, cmiWithV43Weights: cmi, cmiBootstrap: bootstrap,
                            cmiWeights: "MS-DRG v\(weightTable.version.rawValue)", cmiStaysWithoutWeight: set.predictions.count - pairs.count,
                            cutoff: cutoff?.rawValue)
        if json {
            print(try StoreCommandSupport.json(report))
            return
        }
        print(Self.describe(report))
    }

    /// The MS-DRG version a stored label-space name stands for.
    static func version(of labelSpace: String, model: String?) throws -> DRGVersion {
        do {
            return try LabelSpace.named(labelSpace, modelDirectory: model.map { URL(fileURLWithPath: $0) }).version
        } catch {
            throw CLIError("cannot tell the MS-DRG version of label space '\(labelSpace)'; pass --version 34 or 43")
        }
    }

    static func describe(_ r: Report) -> String {
        let m = r.metrics
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func num(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }
        var lines = [
            "model \(r.model) (\(r.labelSpace)) against \(r.reference) DRGs, MS-DRG v\(r.version)"
                + (r.cutoff.map { ", early predictions at \($0)" } ?? ""),
            "cases \(r.cases) (\(m.skipped) left out: reference not a v\(r.version) DRG; \(r.unscored) not scored by this model)",
            "DRG top-1 \(pct(m.drg.accuracy))  top-5 \(pct(m.drg.accuracyAt5))  top-10 \(pct(m.drg.accuracyAt10))",
            "macro-F1 \(num(m.drg.macroF1))  micro-F1 \(num(m.drg.microF1))  macro-AUC \(num(m.drg.macroAUC))  micro-AUC \(num(m.drg.microAUC))",
            "base DRG \(pct(m.baseAccuracy))  CC/MCC \(pct(m.ccMccAccuracy))  map_rule \(pct(m.mappedAccuracy))",
        ]
        if let c = r.cmiWithV43Weights {
            lines.append("CMI (v\(r.version) has no weights; FY2026 v43 weights of the same codes) predicted \(num(c.predicted)) "
                         + "(\(c.predictedSkipped) codes without a weight)  \(r.reference) \(num(c.final)) (\(c.finalSkipped) without)")
        } else {
            lines.append("CMI predicted \(num(m.predictedCMI))  \(r.reference) \(num(m.trueCMI))  relative error \(m.cmiError.map { pct($0) } ?? "n/a")")
        }
        if let b = r.cmiBootstrap {
            lines += bootstrapLines(b, weights: "\(r.cmiWeights) weights", reference: r.reference, left: r.cmiStaysWithoutWeight)
        }
        return lines.joined(separator: "\n")
    }
}
