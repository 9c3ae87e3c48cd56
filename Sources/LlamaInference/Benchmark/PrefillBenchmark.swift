import Foundation
#if canImport(Glibc)
import Glibc
private let RUSAGE_SELF_WHO = RUSAGE_SELF.rawValue
#elseif canImport(Darwin)
import Darwin
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// Measures prefill speed of a loaded classifier, and what bare `cblas_sgemm` reaches at the same
/// shapes on the same machine, so the two can be compared in one run (`drgcoder bench`).
///
/// Example:
/// ```swift
/// let report = try PrefillBenchmark.run(model: model, tokens: 512, repeats: 3)
/// report.tokensPerSecond   // best of `repeats`, after one warm-up pass
/// report.sgemmGFLOPS       // the ceiling: the model's seven projections as bare sgemm calls
/// ```
/// Contract: token ids are a fixed pseudo-random sequence inside the vocabulary (no pad token, so all
/// `tokens` positions are computed). Timing is wall-clock, best of `repeats`; model passes and sgemm
/// passes alternate so that both see the same machine load. Does not: control for
/// other load on the machine — report the load average alongside (the bench script does).
public struct PrefillBenchmark: Codable, Sendable {
    public var tokens: Int
    public var threads: Int
    public var weightDType: String
    public var openBLASCore: String
    /// The native kernels in force (``NativeKernels/description``), e.g. "avx512 f16, bf16, vnni".
    public var kernels: String
    public var runsMilliseconds: [Double]
    public var bestMilliseconds: Double
    public var tokensPerSecond: Double
    public var gigaflopPerPass: Double
    public var achievedGFLOPS: Double
    /// Bare `cblas_sgemm` on the model's projection shapes (`tokens × out × in`, f32), best of `repeats`.
    public var sgemmGFLOPS: Double?
    /// `achievedGFLOPS / sgemmGFLOPS`.
    public var fractionOfSgemm: Double?
    public var peakResidentMegabytes: Double

    enum CodingKeys: String, CodingKey {
        case tokens, threads, weightDType = "weight_dtype", openBLASCore = "openblas_core", kernels
        case runsMilliseconds = "runs_ms", bestMilliseconds = "best_ms", tokensPerSecond = "tokens_per_second"
        case gigaflopPerPass = "gflop_per_pass", achievedGFLOPS = "gflops", sgemmGFLOPS = "sgemm_gflops"
        case fractionOfSgemm = "fraction_of_sgemm", peakResidentMegabytes = "peak_rss_mb"
    }

    public static func run(model: LlamaSequenceClassifier, tokens: Int, repeats: Int,
                           sgemmReference: Bool = true) throws -> PrefillBenchmark {
        let vocabulary = model.config.vocabSize
        let pad = model.config.padTokenID
        var state: UInt64 = 12345
        let ids = (0..<tokens).map { _ -> Int in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var id = Int((state >> 33) % UInt64(vocabulary))
            if id == pad { id = (id + 1) % vocabulary }
            return id
        }
        _ = try model.logits(tokenIDs: ids)  // warm-up: pages the weights in, sizes the workspace
        let sgemm = sgemmReference ? SgemmReference(model: model, tokens: tokens) : nil
        var runs: [Double] = []
        var sgemmBest = Double.infinity
        for _ in 0..<max(repeats, 1) {
            // Model pass and bare sgemm alternate, so that both see the same load on a shared machine.
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try model.logits(tokenIDs: ids)
            runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            if let sgemm { sgemmBest = min(sgemmBest, sgemm.seconds()) }
        }
        let best = runs.min() ?? .nan
        let flop = model.floatingPointOperations(tokens: tokens)
        let achieved = flop / (best / 1e3) / 1e9
        let reference = sgemm.map { $0.flop / sgemmBest / 1e9 }
        let first = model.weights.layers.first?.q
        return PrefillBenchmark(
            tokens: tokens, threads: model.threads, weightDType: first.map { dtypeName($0) } ?? "none",
            openBLASCore: BLAS.coreName, kernels: model.kernels.description, runsMilliseconds: runs, bestMilliseconds: best,
            tokensPerSecond: Double(tokens) / (best / 1e3), gigaflopPerPass: flop / 1e9, achievedGFLOPS: achieved,
            sgemmGFLOPS: reference, fractionOfSgemm: reference.map { achieved / $0 }, peakResidentMegabytes: peakResidentMegabytes())
    }

    /// The seven projections of one layer as bare f32 sgemm calls (`C = X Wᵀ`, `X (tokens, in)`).
    struct SgemmReference {
        let shapes: [(rows: Int, columns: Int)]
        let tokens: Int
        let x, w, y: FloatBuffer
        var flop: Double { shapes.reduce(0.0) { $0 + 2 * Double(tokens) * Double($1.rows) * Double($1.columns) } }

        init?(model: LlamaSequenceClassifier, tokens: Int) {
            guard let layer = model.weights.layers.first else { return nil }
            shapes = [layer.q, layer.k, layer.v, layer.o, layer.gate, layer.up, layer.down].map { ($0.rows, $0.columns) }
            self.tokens = tokens
            x = FloatBuffer(count: tokens * (shapes.map(\.columns).max() ?? 0))
            w = FloatBuffer(count: shapes.map { $0.rows * $0.columns }.max() ?? 0)
            y = FloatBuffer(count: tokens * (shapes.map(\.rows).max() ?? 0))
            for i in 0..<x.count { x.pointer[i] = Float(i % 17) * 0.01 }
            for i in 0..<w.count { w.pointer[i] = Float(i % 13) * 0.01 }
        }

        /// Wall-clock seconds for one pass over the seven shapes.
        func seconds() -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for (rows, columns) in shapes {
                BLAS.gemm(transposeB: true, m: tokens, n: rows, k: columns, a: x.pointer, lda: columns,
                          b: w.pointer, ldb: columns, c: y.pointer, ldc: rows)
            }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }

    static func dtypeName(_ matrix: WeightMatrix) -> String {
        switch matrix.storage {
        case .float32: return "F32"
        case .half(_, let format): return format == .f16 ? "F16" : "BF16"
        case .q8: return "Q8"
        }
    }

    /// Peak resident set of this process (getrusage; mapped weight pages count once touched).
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF_WHO, &usage) == 0 else { return .nan }
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}
