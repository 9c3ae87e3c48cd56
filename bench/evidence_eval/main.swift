// evidence-eval: the measurements behind docs/EVIDENCE.md (run by bench/evidence_eval.sh).
//
//   evidence-eval quality --model DIR [--cases FILE] [--limit N] [--draws R] [--seed S] [--layers K] [--occlusion]
//                         [--base-direction uniform|marginal] [--granularity G] [--no-rollout] [--no-mdc]
//   evidence-eval cost    --model DIR [--tokens T] [--repeats R] [--layers K] [--labels L] [--drg CODE]
//
// quality: on synthetic cases with ground-truth spans (models/demo/demo_cases.jsonl), for the
//   model's top DRG: (1) deletion test — P(top) drop when deleting the top-3 DLA spans of
//   log P(top) against deleting 3 random spans of the same lengths (R seeded draws per case);
//   (2) plausibility — is the top base span inside the principal-diagnosis sentence, and the top
//   CC/MCC span inside a CC/MCC sentence (cases that have one). Prints one JSON object.
// cost: a `tokens`-token forward pass with and without the cheap method (capture + attribution
//   for the base and CC/MCC targets of the top DRG), best and median of R alternating repeats.
// Never reads note text into logs; prints aggregates only.
import DRGKit
import Foundation
import DRGInference
import LlamaInference
import Tokenizers

struct Failure: Error, CustomStringConvertible { var description: String }

struct Arguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    init(_ argv: ArraySlice<String>) throws {
        var i = argv.startIndex
        while i < argv.endIndex {
            let a = argv[i]
            guard a.hasPrefix("--") else { throw Failure(description: "unexpected argument '\(a)'") }
            let key = String(a.dropFirst(2))
            if key == "occlusion" || key == "verbose" || key == "no-rollout" || key == "no-mdc" { flags.insert(key); i += 1; continue }
            guard i + 1 < argv.endIndex else { throw Failure(description: "--\(key) needs a value") }
            values[key] = argv[i + 1]; i += 2
        }
    }
    func string(_ key: String) throws -> String {
        guard let v = values[key] else { throw Failure(description: "missing --\(key)") }
        return v
    }
    func int(_ key: String, _ fallback: Int) throws -> Int {
        guard let v = values[key] else { return fallback }
        guard let n = Int(v) else { throw Failure(description: "--\(key) must be an integer, got '\(v)'") }
        return n
    }
}

struct DemoCase: Decodable {
    struct Span: Decodable { var kind: String; var start: Int; var end: Int }
    var id: String
    var text: String
    var finalDRG: String
    var spans: [Span]
    enum CodingKeys: String, CodingKey { case id, text, finalDRG = "final_drg", spans }
}

/// SplitMix64, seeded: the random spans are reproducible.
struct Random {
    var state: UInt64
    mutating func next(below n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return n <= 0 ? 0 : Int(z % UInt64(n))
    }
}

/// Everything one prediction with evidence needs.
final class Setup {
    let model: LlamaSequenceClassifier
    let tokenizer: Tokenizer
    let space: LabelSpace
    let evidence: DirectLogitAttribution

    init(directory: URL, labels: String?, layers: Int?, rollout: Bool) throws {
        model = try LlamaSequenceClassifier.load(modelDirectory: directory)
        tokenizer = try Tokenizer.load(directory: directory)
        if let labels { space = try LabelSpace.named(labels, modelDirectory: directory) }
        else if let found = try? LabelSpace.named(nil, modelDirectory: directory) { space = found }
        else if let builtIn = LabelSpace.drgLlama(logitCount: model.labelCount) { space = builtIn }
        else { throw Failure(description: "no label space for \(model.labelCount) logits (pass --labels)") }
        evidence = DirectLogitAttribution(classifier: model, layers: layers, rollout: rollout)
    }

    func probability(_ text: String, of drg: String) throws -> Double {
        let ids = tokenizer.encodeForModel(text).encoding.ids
        let logits = try model.logits(tokenIDs: ids)
        return exp(try EvidenceTarget.drg(drg).objective(logits: logits, in: space).logProbability)
    }
}

func quality(_ args: Arguments) throws {
    let directory = URL(fileURLWithPath: try args.string("model"))
    let setup = try Setup(directory: directory, labels: args.values["labels"], layers: args.values["layers"].flatMap(Int.init),
                          rollout: !args.flags.contains("no-rollout"))
    let casesURL = URL(fileURLWithPath: args.values["cases"] ?? directory.appendingPathComponent("demo_cases.jsonl").path)
    let lines = try String(contentsOf: casesURL, encoding: .utf8).split(separator: "\n")
    let limit = try args.int("limit", lines.count), draws = try args.int("draws", 5)
    var random = Random(state: UInt64(try args.int("seed", 7)))
    let occlusion = args.flags.contains("occlusion")
    guard let baseDirection = EvidenceTarget.BaseDirection(rawValue: args.values["base-direction"] ?? "uniform") else {
        throw Failure(description: "--base-direction must be uniform or marginal")
    }
    let salience = Double(args.values["salience"] ?? "") ?? EvidenceSpans.Options().salience
    let granularityName = args.values["granularity"] ?? DRGEvidence.defaultGranularity.rawValue
    guard let granularity = EvidenceSpans.Granularity(rawValue: granularityName) else {
        throw Failure(description: "--granularity must be phrase, clause or sentence")
    }

    var n = 0, correct = 0
    var evidenceDrops: [Double] = [], randomDrops: [Double] = []
    var winsMean = 0, winsDraw = 0, drawsTotal = 0
    var baseInPrincipal = 0, baseInPrincipalOrProcedure = 0
    var ccCases = 0, ccInSentence = 0, ccMissing = 0
    var occBase = 0, occCC = 0, occDropWins = 0
    var occDrops: [Double] = []
    var elapsed = 0.0
    var baseLanding: [String: Int] = [:], ccLanding: [String: Int] = [:]
    var surgical = 0, surgicalBaseInProcedureOrPrincipal = 0, medicalBaseInPrincipal = 0
    var surgicalTargets = 0, surgicalFirstInPrincipal = 0, surgicalProcedureShown = 0

    for line in lines.prefix(limit) {
        let c = try JSONDecoder().decode(DemoCase.self, from: Data(line.utf8))
        let encoding = setup.tokenizer.encodeForModel(c.text).encoding
        var top = ""
        var targets: [EvidenceTarget] = []
        let start = Date()
        let run = try setup.evidence.run(tokenIDs: encoding.ids) { logits in
            top = setup.space.predict(logits: logits).ranked.first?.drg ?? ""
            targets = DRGEvidence.targets(for: top, in: setup.space)
            if args.flags.contains("no-mdc") { targets.removeAll { if case .mdc = $0 { return true } else { return false } } }
            return try ([.drg(top)] + targets).map {
                try $0.attributionDirection(logits: logits, in: setup.space, baseDirection: baseDirection)
            }
        }
        elapsed += Date().timeIntervalSince(start)
        n += 1
        if DRGTable.normalizedCode(c.finalDRG) == top { correct += 1 }
        let note = NoteSegmentation(text: c.text)
        let offsets = Array(encoding.offsets.prefix(run.tokenScores[0].count))
        func spans(_ t: Int, limit: Int = 12) -> [EvidenceSpans.Scored] {
            let words = EvidenceSpans.wordScores(tokenOffsets: offsets, tokenScores: run.tokenScores[t], in: note)
            return EvidenceSpans.select(wordScores: words, in: note, options: .init(granularity: granularity, limit: limit, salience: salience))
        }

        // (1) Deletion test on log P(top).
        let p0 = exp(try EvidenceTarget.drg(top).objective(logits: run.logits, in: setup.space).logProbability)
        let top3 = spans(0, limit: 3).map(\.range)
        let evidenceDrop = p0 - (try setup.probability(NoteEditing.deleting(top3, from: note.scalars), of: top))
        var drops: [Double] = []
        for _ in 0..<draws {
            let ranges = randomRanges(lengths: top3.map(\.count), in: note.scalars.count, &random)
            let drop = p0 - (try setup.probability(NoteEditing.deleting(ranges, from: note.scalars), of: top))
            drops.append(drop)
            drawsTotal += 1
            if evidenceDrop > drop { winsDraw += 1 }
        }
        let meanRandom = drops.reduce(0, +) / Double(max(drops.count, 1))
        evidenceDrops.append(evidenceDrop); randomDrops.append(meanRandom)
        if evidenceDrop > meanRandom { winsMean += 1 }

        // (2) Plausibility of the reported spans.
        let principal = c.spans.filter { $0.kind == "principal" }.map { $0.start..<$0.end }
        let procedure = c.spans.filter { $0.kind == "procedure" }.map { $0.start..<$0.end }
        let severe = c.spans.filter { $0.kind == "cc" || $0.kind == "mcc" }.map { $0.start..<$0.end }
        func inside(_ r: Range<Int>?, _ any: [Range<Int>]) -> Bool {
            guard let r else { return false }
            return any.contains { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }
        }
        /// The ground-truth kind of the sentence a span lies in ("other" when none, "no span").
        func landing(_ r: Range<Int>?) -> String {
            guard let r else { return "no span" }
            return c.spans.first { $0.start <= r.lowerBound && r.upperBound <= $0.end }?.kind ?? "other"
        }
        // What `predict` reports: base spans (for a surgical DRG, the principal-diagnosis span
        // first, then procedure spans), then CC/MCC spans.
        let reported = DRGEvidence.spans(note: note, tokenOffsets: offsets, tokenScores: Array(run.tokenScores.dropFirst()),
                                         targets: targets, space: setup.space, granularity: granularity)
        func range(_ span: EvidenceSpan?) -> Range<Int>? { span.map { $0.start..<$0.end } }
        let topBase = range(reported.first { $0.aspect == "base" })
        baseLanding[landing(topBase), default: 0] += 1
        if targets.first.map({ if case .mdc = $0 { return true } else { return false } }) == true {
            surgicalTargets += 1
            if inside(topBase, principal) { surgicalFirstInPrincipal += 1 }
            if !procedure.isEmpty, reported.contains(where: { $0.aspect == "base" && inside(range($0), procedure) }) { surgicalProcedureShown += 1 }
        }
        if inside(topBase, principal) { baseInPrincipal += 1 }
        if inside(topBase, principal + procedure) { baseInPrincipalOrProcedure += 1 }
        if procedure.isEmpty {
            if inside(topBase, principal) { medicalBaseInPrincipal += 1 }
        } else {
            surgical += 1
            if inside(topBase, principal + procedure) { surgicalBaseInProcedureOrPrincipal += 1 }
        }
        if args.flags.contains("verbose") {
            // Synthetic notes only (--verbose prints span text; never use it on real notes: PHI).
            let fmt = { (x: Double) in String(format: "%.3f", x) }
            let line = "\(c.id) top=\(top) final=\(c.finalDRG) p0=\(fmt(p0)) drop=\(fmt(evidenceDrop)) random=\(drops.map(fmt)) "
                + "base=\(landing(topBase)):\(topBase.map { note.text($0) } ?? "-") top3=\(top3.map { note.text($0) })\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        if !severe.isEmpty {
            ccCases += 1
            let topCC = range(reported.first { $0.aspect == "cc_mcc" })
            ccLanding[landing(topCC), default: 0] += 1
            if topCC == nil { ccMissing += 1 }
            if inside(topCC, severe) { ccInSentence += 1 }
        }

        if occlusion {
            let result = try SentenceOcclusion.scores(text: c.text, targets: [.drg(top), .base(of: top), .ccMcc(of: top)],
                                                      space: setup.space) { text in
                try setup.model.logits(tokenIDs: setup.tokenizer.encodeForModel(text).encoding.ids)
            }
            func best(_ t: Int, _ k: Int) -> [Range<Int>] {
                result[t].filter { $0.score > 0 }.sorted { $0.score > $1.score }.prefix(k).map(\.range)
            }
            if inside(best(1, 1).first, principal) { occBase += 1 }
            if !severe.isEmpty, inside(best(2, 1).first, severe) { occCC += 1 }
            let occTop3 = best(0, 3)
            let occDrop = p0 - (try setup.probability(NoteEditing.deleting(occTop3, from: note.scalars), of: top))
            occDrops.append(occDrop)
            var occRandom: [Double] = []
            for _ in 0..<draws {
                let ranges = randomRanges(lengths: occTop3.map(\.count), in: note.scalars.count, &random)
                occRandom.append(p0 - (try setup.probability(NoteEditing.deleting(ranges, from: note.scalars), of: top)))
            }
            if occDrop > occRandom.reduce(0, +) / Double(max(occRandom.count, 1)) { occDropWins += 1 }
        }
    }
    func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
    var report: [String: Any] = [
        "cases": n, "granularity": granularity.rawValue, "salience": salience, "rollout": setup.evidence.rollout, "base_direction": baseDirection.rawValue, "top1_accuracy": Double(correct) / Double(max(n, 1)), "layers": setup.evidence.layers,
        "random_draws_per_case": draws,
        "deletion_mean_drop_evidence_top3": mean(evidenceDrops),
        "deletion_mean_drop_random_same_lengths": mean(randomDrops),
        "deletion_evidence_beats_random_mean_fraction": Double(winsMean) / Double(max(n, 1)),
        "deletion_evidence_beats_each_random_draw_fraction": Double(winsDraw) / Double(max(drawsTotal, 1)),
        "top_base_span_in_principal_sentence_fraction": Double(baseInPrincipal) / Double(max(n, 1)),
        "top_base_span_in_principal_or_procedure_sentence_fraction": Double(baseInPrincipalOrProcedure) / Double(max(n, 1)),
        "cases_with_cc_mcc_sentence": ccCases,
        "top_cc_mcc_span_in_cc_mcc_sentence_fraction": Double(ccInSentence) / Double(max(ccCases, 1)),
        "cases_with_cc_mcc_sentence_but_no_cc_mcc_span": ccMissing,
        "cheap_method_mean_ms_per_case_including_forward": 1000 * elapsed / Double(max(n, 1)),
        "top_base_span_landed_in_kind": baseLanding,
        "cases_with_procedure_sentence": surgical,
        "medical_cases_top_base_span_in_principal_fraction": Double(medicalBaseInPrincipal) / Double(max(n - surgical, 1)),
        "surgical_cases_top_base_span_in_principal_or_procedure_fraction": Double(surgicalBaseInProcedureOrPrincipal) / Double(max(surgical, 1)),
        "top_cc_mcc_span_landed_in_kind_cases_with_cc_mcc": ccLanding,
        "cases_predicted_surgical_with_mdc_target": surgicalTargets,
        "predicted_surgical_first_base_span_in_principal_sentence": surgicalFirstInPrincipal,
        "predicted_surgical_base_spans_include_procedure_sentence": surgicalProcedureShown,
    ]
    if occlusion {
        report["occlusion_top_base_sentence_is_principal_fraction"] = Double(occBase) / Double(max(n, 1))
        report["occlusion_top_cc_mcc_sentence_is_cc_mcc_fraction"] = Double(occCC) / Double(max(ccCases, 1))
        report["occlusion_deletion_mean_drop_top3_sentences"] = mean(occDrops)
        report["occlusion_deletion_beats_random_mean_fraction"] = Double(occDropWins) / Double(max(n, 1))
    }
    let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}

/// `lengths.count` non-overlapping ranges of the given lengths at uniform random positions in
/// `0..<total` (a length that no longer fits is skipped).
func randomRanges(lengths: [Int], in total: Int, _ random: inout Random) -> [Range<Int>] {
    var chosen: [Range<Int>] = []
    for length in lengths where length > 0 && length <= total {
        for _ in 0..<100 {
            let start = random.next(below: total - length + 1)
            let r = start..<(start + length)
            if !chosen.contains(where: { $0.overlaps(r) }) { chosen.append(r); break }
        }
    }
    return chosen
}

func cost(_ args: Arguments) throws {
    let directory = URL(fileURLWithPath: try args.string("model"))
    let layers = args.values["layers"].flatMap(Int.init)
    let model = try LlamaSequenceClassifier.load(modelDirectory: directory)
    let space: LabelSpace
    if let labels = args.values["labels"] { space = try LabelSpace.named(labels, modelDirectory: directory) }
    else if let builtIn = LabelSpace.drgLlama(logitCount: model.labelCount) { space = builtIn }
    else { throw Failure(description: "no built-in label space for \(model.labelCount) logits (pass --labels)") }
    let evidence = DirectLogitAttribution(classifier: model, layers: layers)
    let tokens = try args.int("tokens", 512), repeats = try args.int("repeats", 3)
    var random = Random(state: 11)
    let ids = [1] + (1..<tokens).map { _ in 1 + random.next(below: model.config.vocabSize - 1) }
    var attributionSeconds = 0.0
    var targetCount = 0
    func plain() throws -> Double {
        let start = Date(); _ = try model.logits(tokenIDs: ids); return Date().timeIntervalSince(start)
    }
    func withEvidence() throws -> Double {
        let start = Date()
        var afterForward = Date()
        _ = try evidence.run(tokenIDs: ids) { logits in
            afterForward = Date()
            let top = args.values["drg"] ?? space.predict(logits: logits).ranked.first?.drg ?? ""
            let targets = DRGEvidence.targets(for: top, in: space)
            targetCount = targets.count
            return try targets.map { try $0.attributionDirection(logits: logits, in: space) }
        }
        let end = Date()
        attributionSeconds = end.timeIntervalSince(afterForward)
        return end.timeIntervalSince(start)
    }
    _ = try plain(); _ = try withEvidence()        // warm-up (and the capture's one allocation)
    var plainTimes: [Double] = [], evidenceTimes: [Double] = [], attributionTimes: [Double] = []
    for _ in 0..<repeats {
        plainTimes.append(try plain())
        evidenceTimes.append(try withEvidence()); attributionTimes.append(attributionSeconds)
    }
    func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
    // The copies the forward pass makes into the capture, replayed alone (same shapes, same calls).
    let config = model.config
    let capture = AttentionCapture(layers: evidence.layers, totalLayers: config.numHiddenLayers, heads: config.numAttentionHeads,
                                   kvHeads: config.kvHeads, headDim: config.headDimension, hidden: config.hiddenSize, capacity: tokens)
    let source = [Float](repeating: 0.5, count: tokens * max(config.kvHeads * config.headDimension, config.hiddenSize, 128))
    var copyTimes: [Double] = []
    for _ in 0..<5 {
        let start = Date()
        source.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            capture.begin(tokens: tokens)
            for slot in 0..<capture.layers {
                capture.recordValues(slot: slot, base)
                for h in 0..<capture.heads {
                    var first = 0
                    while first < tokens {   // the engine's 128-row causal blocks
                        let rows = min(128, tokens - first)
                        capture.recordAttention(slot: slot, head: h, block: base, firstRow: first, rows: rows, keys: first + rows)
                        first += rows
                    }
                }
            }
            capture.recordFinalResidual(base)
        }
        copyTimes.append(Date().timeIntervalSince(start))
    }
    let report: [String: Any] = [
        "capture_copies_median_ms": 1000 * median(copyTimes),
        "capture_copies_fraction_of_plain_median": median(copyTimes) / max(median(plainTimes), 1e-9),
        "model": directory.path, "tokens": tokens, "repeats": repeats, "layers_total": model.config.numHiddenLayers,
        "layers_attributed": evidence.layers, "hidden": model.config.hiddenSize, "labels": model.labelCount,
        "threads": model.threads, "targets_attributed": targetCount,
        "plain_best_ms": 1000 * (plainTimes.min() ?? 0), "plain_median_ms": 1000 * median(plainTimes),
        "with_evidence_best_ms": 1000 * (evidenceTimes.min() ?? 0), "with_evidence_median_ms": 1000 * median(evidenceTimes),
        "attribution_after_forward_median_ms": 1000 * median(attributionTimes),
        // Each repeat runs plain then with evidence back to back; the median of the per-pair ratios
        // is the least sensitive to other processes' load.
        "added_fraction_median_of_pairs": median(zip(evidenceTimes, plainTimes).map { $0 / $1 - 1 }),
        "added_fraction_best": ((evidenceTimes.min() ?? 0) - (plainTimes.min() ?? 0)) / max(plainTimes.min() ?? 1, 1e-9),
        "added_fraction_median": (median(evidenceTimes) - median(plainTimes)) / max(median(plainTimes), 1e-9),
        "attribution_fraction_of_plain_median": median(attributionTimes) / max(median(plainTimes), 1e-9),
    ]
    let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}

do {
    let argv = CommandLine.arguments.dropFirst()
    guard let mode = argv.first else { throw Failure(description: "usage: evidence-eval quality|cost --model DIR [...]") }
    let args = try Arguments(argv.dropFirst())
    switch mode {
    case "quality": try quality(args)
    case "cost": try cost(args)
    default: throw Failure(description: "unknown mode '\(mode)' (quality or cost)")
    }
} catch {
    FileHandle.standardError.write(Data("evidence-eval: \(error)\n".utf8))
    exit(1)
}

