import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// The native bf16 and 8-bit paths against transformers run in the same arithmetic, on the fixture
/// `Fixtures/native-bf16` (written by `training/fixtures/make_native_precision_fixture.py`, which
/// says what each set of reference logits is).
///
/// Tolerances, and why:
/// - **Same arithmetic** (`bf16_emulated`, `q8_emulated`: transformers in f32 with exactly drgcoder's
///   rounding of the projections' inputs and weights): drgcoder differs only in the order of its f32
///   sums (~1e-6 relative), but then an activation next to a bf16 or 8-bit rounding boundary can round
///   the other way and move by one unit of that format (2⁻⁸ relative, or a whole 8-bit step of its
///   block), and the flips add up over layers and tokens: on this fixture they come to 3–22% of the
///   rounding's own effect on the logits (|emulated − f32|: bf16 0.014–0.029, q8 0.045–0.105). Bound:
///   a third of that effect (`sameArithmeticShare`), per case. A path that skipped the rounding would
///   sit at 100%, one that truncated instead of rounding to nearest at about twice the effect, one that
///   dropped a tail or a scale far beyond.
/// - **PyTorch's own bf16** (`bf16_torch`, the model cast to bf16, which rounds every intermediate, not
///   only the products' inputs): both are approximations of the f32 logits, so by the triangle
///   inequality |drgcoder − torch| ≤ |drgcoder − f32| + |torch − f32|; drgcoder rounds a subset of what
///   torch rounds, so we require |drgcoder − f32| ≤ |torch − f32| and hence |drgcoder − torch| ≤
///   2·|torch − f32| (each the case's worst logit).
/// - **Q8_0-dequantized weights** (`q8_dequantized`, transformers in f32 on the 8-bit weights; no
///   activation rounding): drgcoder also quantizes the activations per block of 32, whose effect the
///   fixture measures as |q8_emulated − q8_dequantized|; the bound is that plus the same-arithmetic bound.
/// - The top label is the f32 model's wherever f32's margin between its two best labels exceeds twice
///   the path's distance to f32 (a smaller margin may legitimately swap).
@Suite struct NativePrecisionTests {
    static let sameArithmeticShare: Float = 1.0 / 3

    struct Case: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var tokenIDs: [Int]
        var logits: [Float]
        var bf16Torch: [Float]
        var bf16Emulated: [Float]
        var q8Dequantized: [Float]
        var q8Emulated: [Float]
        enum CodingKeys: String, CodingKey {
            case name, logits, tokenIDs = "token_ids", bf16Torch = "bf16_torch", bf16Emulated = "bf16_emulated"
            case q8Dequantized = "q8_dequantized", q8Emulated = "q8_emulated"
        }
        var description: String { name }
    }

    static let cases: [Case] = {
        struct File: Decodable { var cases: [Case] }
        let url = Fixtures.model("native-bf16").appendingPathComponent("cases.json")
        return (try? JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases) ?? []
    }()

    static let native = NativeKernels.current
    static let bf16Model = Result { try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("native-bf16"), threads: 2) }
    static let q8Model = Result {
        try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("native-bf16"), threads: 2, weightFormat: .q8)
    }

    @Test func theFixtureHasItsCases() {
        #expect(Self.cases.map(\.tokenIDs.count) == [1, 7, 40, 130])
    }

    @Test(.enabled(if: native.bf16), arguments: cases)
    func bf16KernelMatchesTransformersInBF16(_ reference: Case) throws {
        let model = try Self.bf16Model.get()
        #expect(model.kernels.bf16)
        let (logits, _) = try runAgainstEmulation(model, reference, emulated: reference.bf16Emulated, "bf16")
        let ours = maxAbsoluteDifference(logits, reference.logits).value
        let torchs = maxAbsoluteDifference(reference.bf16Torch, reference.logits).value
        #expect(ours <= torchs, "\(reference.name): |drgcoder − f32| \(ours) > |torch bf16 − f32| \(torchs)")
        let apart = maxAbsoluteDifference(logits, reference.bf16Torch).value
        #expect(apart <= 2 * torchs, "\(reference.name): |drgcoder − torch bf16| \(apart) > 2·\(torchs)")
    }

    @Test(.enabled(if: native.q8), arguments: cases)
    func q8KernelMatchesTransformersOnQ8Weights(_ reference: Case) throws {
        let model = try Self.q8Model.get()
        #expect(model.kernels.q8)
        let (logits, bound) = try runAgainstEmulation(model, reference, emulated: reference.q8Emulated, "q8")
        let activationEffect = maxAbsoluteDifference(reference.q8Emulated, reference.q8Dequantized).value
        let apart = maxAbsoluteDifference(logits, reference.q8Dequantized).value
        #expect(apart <= activationEffect + bound,
                "\(reference.name): |drgcoder − transformers on Q8_0 weights| \(apart) > \(activationEffect) + \(bound)")
    }

    /// The case's logits, checked against `emulated` (the same arithmetic) and for the top label;
    /// returns them with the same-arithmetic bound.
    private func runAgainstEmulation(_ model: LlamaSequenceClassifier, _ reference: Case, emulated: [Float],
                                     _ path: String) throws -> (logits: [Float], bound: Float) {
        let logits = try model.logits(tokenIDs: reference.tokenIDs)
        let same = maxAbsoluteDifference(logits, emulated).value
        let bound = Self.sameArithmeticShare * maxAbsoluteDifference(emulated, reference.logits).value
        #expect(same <= bound, "\(reference.name): |drgcoder − emulated \(path)| \(same) > \(bound)")
        expectSameTop(logits, reference.logits, allowed: maxAbsoluteDifference(logits, reference.logits).value, reference.name)
        return (logits, bound)
    }

    private func expectSameTop(_ logits: [Float], _ exact: [Float], allowed: Float, _ name: String) {
        let order = exact.indices.sorted { exact[$0] > exact[$1] }
        guard exact[order[0]] - exact[order[1]] > 2 * allowed else { return }
        #expect(logits.indices.max { logits[$0] < logits[$1] } == order[0], "\(name): top label moved")
    }
}
