/// A tiny seeded generator (SplitMix64, Steele et al. 2014) so randomised tests are reproducible.
///
///     var rng = SplitMix64(seed: 7)
///     let n = Int.random(in: 0..<10, using: &rng)
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// A float in [-1, 1) from the top 24 bits: test weights and activations.
    public mutating func nextSignedUnit() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }

    /// `count` floats in [-1, 1).
    public mutating func signedUnits(_ count: Int) -> [Float] { (0..<count).map { _ in nextSignedUnit() } }
}
