import Foundation

/// Rotary position embedding (Su et al. 2021, RoFormer, arXiv:2104.09864) in the Hugging Face layout.
///
/// HF's `rotate_half` pairs dimension `i` with `i + d/2` (not `2i` with `2i+1` as the paper and
/// Meta's code do; HF checkpoints permute q/k weights to match). For position `p` and `i < d/2`:
/// ```
/// θᵢ = 1 / base^(2i/d)            (then scaled: linear ÷ factor, or llama3's wavelength bands)
/// x′ᵢ       = xᵢ cos(p θᵢ) − x_{i+d/2} sin(p θᵢ)
/// x′_{i+d/2} = x_{i+d/2} cos(p θᵢ) + xᵢ sin(p θᵢ)
/// ```
/// Arithmetic follows transformers (`modeling_rope_utils.py`, `LlamaRotaryEmbedding`) in float32:
/// the angle is the f32 product `p · θᵢ`, so logits agree to ~1e-6 at 512 positions.
struct RotaryEmbedding: Sendable {
    /// θᵢ for i in 0..<headDim/2, after scaling.
    let inverseFrequencies: [Float]
    let headDim: Int

    init(rope: LlamaConfig.Rope, headDim: Int) {
        self.headDim = headDim
        let half = headDim / 2
        var frequencies = (0..<half).map { i -> Float in
            let exponent = Float(2 * i) / Float(headDim)
            return 1 / Float(Foundation.pow(Double(Float(rope.theta)), Double(exponent)))
        }
        switch rope.scaling {
        case .none: break
        case .linear(let factor):
            frequencies = frequencies.map { $0 / Float(factor) }
        case .llama3(let factor, let low, let high, let context):
            let factor = Float(factor), low = Float(low), high = Float(high), context = Float(context)
            let lowFreqWavelength = context / low, highFreqWavelength = context / high
            frequencies = frequencies.map { frequency in
                let wavelength = 2 * Float.pi / frequency
                if wavelength < highFreqWavelength { return frequency }
                if wavelength > lowFreqWavelength { return frequency / factor }
                let smooth = (context / wavelength - low) / (high - low)
                return (1 - smooth) * frequency / factor + smooth * frequency
            }
        }
        inverseFrequencies = frequencies
    }

    /// Fills `cos`, `sin` (tokens, headDim/2) for positions 0..<tokens.
    func fillTables(tokens: Int, cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let half = headDim / 2
        for position in 0..<tokens {
            for i in 0..<half {
                let angle = Double(Float(position) * inverseFrequencies[i])
                cos[position * half + i] = Float(Foundation.cos(angle))
                sin[position * half + i] = Float(Foundation.sin(angle))
            }
        }
    }

    /// Rotates every head of `x` (tokens, heads·headDim) in place.
    func apply(_ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int,
               cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = headDim / 2
        for position in 0..<tokens {
            let c = cos + position * half, s = sin + position * half
            for head in 0..<heads {
                let v = x + (position * heads + head) * headDim
                for i in 0..<half {
                    let first = v[i], second = v[i + half]
                    v[i] = first * c[i] - second * s[i]
                    v[i + half] = second * c[i] + first * s[i]
                }
            }
        }
    }
}
