import DRGKit
import Foundation
import Testing
import TestSupport
@testable import DRGInference
@testable import LlamaInference

@Suite struct EvidenceAttributionTests {
    let heads = 4, kvHeads = 2, headDim = 3, hidden = 5, tokens = 4

    @Test func normPullbackIsTheRMSNormJacobianTranspose() {
        var random = SplitMix64(seed: 7)
        let x = random.signedUnits(hidden), w = random.signedUnits(hidden), g = random.signedUnits(hidden)
        let eps: Float = 1e-5
        func f(_ x: [Float]) -> Double {
            let s = 1 / (x.reduce(0) { $0 + Double($1 * $1) } / Double(x.count) + Double(eps)).squareRoot()
            return x.indices.reduce(0) { $0 + Double(g[$1]) * Double(w[$1]) * Double(x[$1]) * s }
        }
        let u = DirectLogitAttribution.normPullback(g, at: x, weight: w, epsilon: eps)
        for k in x.indices {
            var up = x, down = x
            up[k] += 1e-3; down[k] -= 1e-3
            #expect(abs((f(up) - f(down)) / 2e-3 - Double(u[k])) < 1e-3)
        }
    }

    @Test func scoresAreEachTokensDirectAttentionPathAlongTheTarget() throws {
        var random = SplitMix64(seed: 42)
        let capture = AttentionCapture(layers: 2, totalLayers: 3, heads: heads, kvHeads: kvHeads,
                                       headDim: headDim, hidden: hidden, capacity: 6)
        #expect(capture.slot(forLayer: 0) == nil && capture.slot(forLayer: 1) == 0 && capture.slot(forLayer: 2) == 1)
        capture.begin(tokens: tokens)
        let kvWidth = kvHeads * headDim, width = heads * headDim
        var values: [[Float]] = [], rows: [[[Float]]] = [], projections: [DenseMatrix] = []
        for slot in 0..<2 {
            let v = random.signedUnits(tokens * kvWidth)
            v.withUnsafeBufferPointer { capture.recordValues(slot: slot, $0.baseAddress!) }
            values.append(v)
            var perHead: [[Float]] = []
            for h in 0..<heads {
                // A full (tokens × tokens) matrix: only its last row must be kept.
                var scores = random.signedUnits(tokens * tokens).map { abs($0) }
                let last = Array(scores[((tokens - 1) * tokens)...])
                let total = last.reduce(0, +)
                for j in 0..<tokens { scores[(tokens - 1) * tokens + j] = last[j] / total }
                scores.withUnsafeBufferPointer {
                    capture.recordAttention(slot: slot, head: h, block: $0.baseAddress!, firstRow: 0, rows: tokens, keys: tokens)
                }
                perHead.append(Array(scores[((tokens - 1) * tokens)...]))
            }
            rows.append(perHead)
            projections.append(DenseMatrix(rows: hidden, columns: width, values: random.signedUnits(hidden * width)))
        }
        let x = random.signedUnits(hidden), norm = random.signedUnits(hidden)
        x.withUnsafeBufferPointer { capture.recordFinalResidual($0.baseAddress!) }
        let directions = [random.signedUnits(hidden), random.signedUnits(hidden)]

        let scores = try DirectLogitAttribution.tokenScores(capture: capture, outputProjections: projections,
                                                            finalNormWeight: norm, epsilon: 1e-6, directions: directions,
                                                            rollout: false)
        #expect(scores.count == 2 && scores.allSatisfy { $0.count == tokens })
        for (t, direction) in directions.enumerated() {
            let u = DirectLogitAttribution.normPullback(direction, at: x, weight: norm, epsilon: 1e-6)
            for j in 0..<tokens {
                // Brute force: c_j = Σ_slots Σ_h a[h, j] · W_o[:, h] v[kv(h), j], then u · c_j.
                var c = [Float](repeating: 0, count: hidden)
                for slot in 0..<2 {
                    for h in 0..<heads {
                        let kv = h / (heads / kvHeads)
                        for r in 0..<hidden {
                            var dot: Float = 0
                            for i in 0..<headDim {
                                dot += projections[slot].values[r * width + h * headDim + i] * values[slot][j * kvWidth + kv * headDim + i]
                            }
                            c[r] += rows[slot][h][j] * dot
                        }
                    }
                }
                let expected = zip(u, c).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                #expect(abs(scores[t][j] - expected) < 1e-4, "target \(t) token \(j): \(scores[t][j]) vs \(expected)")
            }
        }
    }

    @Test func rolloutKeepsTheTotalAndIsSkippedForVeryLongCaptures() throws {
        var random = SplitMix64(seed: 3)
        func filled(capacity: Int) -> AttentionCapture {
            let capture = AttentionCapture(layers: 2, totalLayers: 2, heads: heads, kvHeads: kvHeads,
                                           headDim: headDim, hidden: hidden, capacity: capacity)
            capture.begin(tokens: tokens)
            var r = random
            for slot in 0..<2 {
                r.signedUnits(tokens * kvHeads * headDim).withUnsafeBufferPointer { capture.recordValues(slot: slot, $0.baseAddress!) }
                for h in 0..<heads {
                    // A causal row-stochastic matrix.
                    var block = [Float](repeating: 0, count: tokens * tokens)
                    for i in 0..<tokens {
                        let row = (0...i).map { _ in abs(r.nextSignedUnit()) + 0.01 }, total = row.reduce(0, +)
                        for j in 0...i { block[i * tokens + j] = row[j] / total }
                    }
                    block.withUnsafeBufferPointer {
                        capture.recordAttention(slot: slot, head: h, block: $0.baseAddress!, firstRow: 0, rows: tokens, keys: tokens)
                    }
                }
            }
            r.signedUnits(hidden).withUnsafeBufferPointer { capture.recordFinalResidual($0.baseAddress!) }
            return capture
        }
        let projections = (0..<2).map { _ in DenseMatrix(rows: hidden, columns: heads * headDim, values: random.signedUnits(hidden * heads * headDim)) }
        let norm = [Float](repeating: 1, count: hidden), direction = [random.signedUnits(hidden)]
        let short = filled(capacity: 8)
        #expect(short.keepsMeanAttention)
        let rolled = try DirectLogitAttribution.tokenScores(capture: short, outputProjections: projections, finalNormWeight: norm,
                                                            epsilon: 1e-6, directions: direction, rollout: true)[0]
        let direct = try DirectLogitAttribution.tokenScores(capture: short, outputProjections: projections, finalNormWeight: norm,
                                                            epsilon: 1e-6, directions: direction, rollout: false)[0]
        // Rollout moves credit toward earlier positions and keeps the total (rows sum to one).
        #expect(abs(rolled.reduce(0, +) - direct.reduce(0, +)) < 1e-4)
        #expect(rolled != direct)
        let long = filled(capacity: AttentionCapture.rolloutTokenLimit + 1)
        #expect(!long.keepsMeanAttention)
        let longScores = try DirectLogitAttribution.tokenScores(capture: long, outputProjections: projections, finalNormWeight: norm,
                                                                epsilon: 1e-6, directions: direction, rollout: true)[0]
        for j in 0..<tokens { #expect(abs(longScores[j] - direct[j]) < 1e-5) }
    }

    @Test func mismatchedProjectionsAreRejected() {
        let capture = AttentionCapture(layers: 1, totalLayers: 1, heads: heads, kvHeads: kvHeads,
                                       headDim: headDim, hidden: hidden, capacity: 4)
        let wrong = DenseMatrix(rows: hidden, columns: 2, values: [Float](repeating: 0, count: hidden * 2))
        #expect(throws: EvidenceError.self) {
            try DirectLogitAttribution.tokenScores(capture: capture, outputProjections: [wrong],
                                                   finalNormWeight: [Float](repeating: 1, count: hidden), epsilon: 1e-6,
                                                   directions: [[Float](repeating: 1, count: hidden)])
        }
    }
}

@Suite struct EvidenceOcclusionTests {
    /// A keyword classifier over 291/292/293/871/872: "heart failure" drives the base, "lactic"
    /// (an MCC-like finding) the split, "sepsis" the other base.
    static func logits(_ text: String) -> [Float] {
        let t = text.lowercased()
        let hf: Float = t.contains("heart failure") ? 3 : 0, mcc: Float = t.contains("hyponatremia") ? 2 : 0
        let sepsis: Float = t.contains("sepsis") ? 2.5 : 0
        return [hf + mcc, hf, hf - mcc, sepsis, sepsis - 1]
    }

    static let text = "Brief Hospital Course:\nShe had heart failure. She also had hyponatremia. Sepsis was ruled out. She went home."

    @Test func occlusionFindsTheSentenceEachTargetNeeds() throws {
        let space = try LabelSpace(singleLabels: ["291", "292", "293", "871", "872"], version: .v43, name: "kw")
        let result = try SentenceOcclusion.scores(text: Self.text, targets: [.base(of: "291"), .ccMcc(of: "291")],
                                                  space: space, logits: Self.logits)
        let note = NoteSegmentation(text: Self.text)
        #expect(result.count == 2 && result.allSatisfy { $0.count == 4 })   // the header is not occluded
        let bestBase = try #require(result[0].max { $0.score < $1.score })
        let bestSplit = try #require(result[1].max { $0.score < $1.score })
        #expect(note.text(bestBase.range) == "She had heart failure.")
        #expect(note.text(bestSplit.range) == "She also had hyponatremia.")
        #expect(bestBase.score > 0 && bestSplit.score > 0)
        // "She went home." changes nothing.
        #expect(abs(result[0][3].score) < 1e-9)
    }

    @Test func occlusionEvidenceReportsBothAspects() throws {
        let space = try LabelSpace(singleLabels: ["291", "292", "293", "871", "872"], version: .v43, name: "kw")
        let spans = try SentenceOcclusion.evidence(text: Self.text, drg: "291", space: space, logits: Self.logits)
        #expect(spans.first == EvidenceSpan(start: 23, end: 45, text: "She had heart failure.", supports: "HEART FAILURE AND SHOCK",
                                             aspect: "base", score: spans.first?.score ?? 0))
        #expect(spans.filter { $0.aspect == "cc_mcc" }.first?.text == "She also had hyponatremia.")
        #expect(spans.allSatisfy { $0.score > 0 })
    }

    @Test func cancellationStopsBeforeTheNextPass() throws {
        let space = try LabelSpace(singleLabels: ["291", "292", "293", "871", "872"], version: .v43, name: "kw")
        #expect(throws: CancellationError.self) {
            try SentenceOcclusion.scores(text: Self.text, targets: [.drg("291")], space: space, isCancelled: { true }, logits: Self.logits)
        }
    }

    @Test func deletingSpansKeepsTheRestReadable() {
        let scalars = Array("A. B. C.".unicodeScalars)
        #expect(NoteEditing.deleting([3..<5], from: scalars) == "A. C.")
        #expect(NoteEditing.deleting([0..<2, 6..<8, 1..<3], from: scalars) == "B. ")
        let lines = Array("Header:\nFirst.\nSecond.".unicodeScalars)
        #expect(NoteEditing.deleting([8..<14], from: lines) == "Header:\nSecond.")
        #expect(NoteEditing.deleting([-4..<0, 40..<50], from: lines) == "Header:\nFirst.\nSecond.")
    }
}
