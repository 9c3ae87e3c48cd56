import CHalfPrecision

/// The two 16-bit float formats checkpoints store, and their widening to `Float`.
///
/// - IEEE binary16 (`F16`): 1 sign, 5 exponent, 10 fraction bits.
/// - bfloat16 (`BF16`): the top 16 bits of a binary32, so widening is a shift.
///
/// Widening runs in C (`Sources/CHalfPrecision`): on an x86 CPU with AVX2 and F16C, f16 goes through
/// `vcvtph2ps` eight values at a time and bf16 through AVX2 shifts, chosen once at run time. Without
/// F16C (or off x86), f16 is widened through a 65,536-entry table (256 KB, built once, exact for every
/// bit pattern) — Swift emits a slow software conversion there — and bf16 by a scalar shift.
///
/// Results are the exact binary32 value of every pattern on both paths, with one difference: F16C
/// quiets signalling NaNs (sets fraction bit 22), the table keeps their bits. Nothing reads NaN payloads.
///
/// Example: `HalfFormat.f16.widen(halves, into: floats, count: 4096)`.
public enum HalfFormat: Sendable, Equatable {
    case f16, bf16

    /// Widens `count` values from `source` into `destination` (no alignment needed, no threads).
    @inline(__always)
    public func widen(_ source: UnsafePointer<UInt16>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .bf16:
            chp_widen_bf16(source, destination, count)
        case .f16:
            #if arch(x86_64) || arch(i386)
            if hasF16C { chp_widen_f16_f16c(source, destination, count); return }
            #endif
            widenBinary16ThroughTable(source, into: destination, count: count)
        }
    }

    /// Rounds `count` floats from `source` to this format (nearest, ties to even; overflow to ±∞,
    /// NaN to a quiet NaN), as PyTorch's `.half()` / `.to(torch.bfloat16)` do. For merged LoRA targets.
    public func narrow(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<UInt16>, count: Int) {
        switch self {
        case .f16: chp_narrow_f16(source, destination, count)
        case .bf16: chp_narrow_bf16(source, destination, count)
        }
    }
}

/// Whether the CPU has AVX2 and F16C (asked once; an immutable global, initialised thread-safely).
let hasF16C: Bool = chp_has_f16c() != 0

/// The fallback f16 path: one table load per value. Internal so tests can check it on any CPU.
func widenBinary16ThroughTable(_ source: UnsafePointer<UInt16>, into destination: UnsafeMutablePointer<Float>,
                               count: Int) {
    halfToFloatTable.withUnsafeBufferPointer { table in
        guard let table = table.baseAddress else { return }
        for i in 0..<count { destination[i] = table[Int(source[i])] }
    }
}

/// Every f16 bit pattern widened. An immutable global: initialised once, lazily and thread-safely.
let halfToFloatTable: [Float] = (0...0xFFFF).map { widenBinary16(UInt16($0)) }

/// IEEE binary16 → binary32, exactly (written out so it does not depend on `Float16` being available).
func widenBinary16(_ half: UInt16) -> Float {
    let sign = UInt32(half & 0x8000) << 16
    let exponent = UInt32(half >> 10) & 0x1F
    let fraction = UInt32(half) & 0x3FF
    switch exponent {
    case 0:  // zero or subnormal: fraction · 2⁻²⁴
        let magnitude = Float(fraction) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:  // infinity or NaN
        return Float(bitPattern: sign | 0x7F80_0000 | (fraction << 13))
    default:  // rebias 15 → 127
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (fraction << 13))
    }
}
