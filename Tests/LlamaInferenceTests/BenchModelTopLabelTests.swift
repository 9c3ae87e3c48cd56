import Foundation
import Testing
@testable import LlamaInference

/// The top label of the 7B-shaped benchmark model (`bench/make_bench_model.py`: hidden 4096,
/// intermediate 11008, 32 heads, 2 layers, vocab 1024, 738 labels; never committed) is the same with
/// bf16 weights through the bf16 path and with `--weights q8` as with f32 weights, on three clinical
/// notes. Runs only when `DRGCODER_BENCH_MODEL` names the directory the script wrote (its `f32/`,
/// `bf16/` and `f16/`), e.g. `DRGCODER_BENCH_MODEL=/tmp/drgcoder-bench swift test --filter BenchModelTopLabel`.
///
/// Inputs: the notes' LLaMA-2 SentencePiece ids (`shared/reference/llama-tokenizers/llama2-spm.tokenizer.json`)
/// folded into the model's 1024-id vocabulary (id mod 1024), so they keep a real note's length and
/// repetitions. The weights are random (std 0.02), so the labels' logits lie close together; as in
/// `NativePrecisionTests`, the top label must stay wherever f32's margin between its two best labels
/// exceeds twice the path's largest distance to the f32 logits, and the test records the margins.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DRGCODER_BENCH_MODEL"] != nil))
struct BenchModelTopLabelTests {
    static let notes: [[Int]] = [
        [1, 175, 259, 210, 228, 411, 379, 102, 966, 313, 966, 175, 210, 249, 299, 511, 315, 272, 232, 240, 175, 245, 194, 322, 292, 747, 373, 23, 861, 670, 196, 730, 411, 175, 245, 769, 310, 270, 952, 190, 699, 322, 175, 251, 854, 520, 317, 193, 350, 924, 175, 210, 196, 245, 250, 204, 193, 575, 949, 287, 411, 455, 1012, 859, 331, 680, 175, 251, 204, 286, 191, 350, 343, 196, 619, 448, 257, 193, 210, 365, 193, 181, 344, 828, 491, 319, 272, 206, 313, 167, 175, 200, 193, 233, 575, 175, 210, 193, 257, 511, 263, 411, 275, 301, 275, 262, 459, 19, 193, 360, 783, 167, 287, 199, 373, 470, 284, 260, 943, 331, 680, 175, 250, 204, 286, 191, 906, 193],
        [1, 175, 251, 200, 247, 515, 302, 271, 292, 199, 411, 214, 369, 196, 343, 322, 947, 327, 625, 193, 726, 979, 752, 230, 196, 176, 89, 949, 319, 382, 193, 784, 179, 193, 922, 472, 821, 171, 302, 487, 615, 12, 457, 363, 175, 245, 257, 55, 196, 209, 615, 374, 141, 650, 769, 470, 284, 274, 666, 307, 192, 417, 220, 562, 262, 193, 87, 58, 797, 729, 540, 263, 411, 21, 745, 193],
        [1, 273, 573, 468, 953, 497, 176, 564, 386, 307, 572, 579, 195, 363, 757, 433, 288, 631, 181, 24, 768, 275, 193, 853, 340, 977, 376, 203, 300, 206, 164, 196, 360, 267, 215, 410, 197, 433, 233, 411, 427, 203, 481, 515, 196, 936, 548, 956, 759, 906, 196, 766, 813, 287, 304, 337, 186, 331, 874, 373, 414, 175, 245, 193]
    ]

    @Test func bf16AndQ8KeepTheTopLabelOfF32() throws {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["DRGCODER_BENCH_MODEL"] ?? "")
        let f32 = try LlamaSequenceClassifier.load(modelDirectory: root.appendingPathComponent("f32"), threads: 2)
        let exact = try Self.notes.map { try f32.logits(tokenIDs: $0) }
        let paths = [
            ("bf16", { try LlamaSequenceClassifier.load(modelDirectory: root.appendingPathComponent("bf16"), threads: 2) }),
            ("q8", { try LlamaSequenceClassifier.load(modelDirectory: root.appendingPathComponent("f16"), threads: 2, weightFormat: .q8) }),
        ] as [(String, () throws -> LlamaSequenceClassifier)]
        for (name, load) in paths {
            let model = try load()
            for (index, ids) in Self.notes.enumerated() {
                let logits = try model.logits(tokenIDs: ids), reference = exact[index]
                let distance = zip(logits, reference).map { abs($0 - $1) }.max() ?? .infinity
                let order = reference.indices.sorted { reference[$0] > reference[$1] }
                let margin = reference[order[0]] - reference[order[1]]
                let top = logits.indices.max { logits[$0] < logits[$1] }
                print("bench model \(name) note \(index): top \(top ?? -1) vs f32 \(order[0]), max |Δ| \(distance), f32 margin \(margin)")
                if margin > 2 * distance { #expect(top == order[0], "\(name), note \(index): top label moved") }
            }
        }
    }
}
