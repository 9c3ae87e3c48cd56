/// The two 16-bit float formats checkpoints store, and their widening to `Float`.
///
/// - IEEE binary16 (`F16`): 1 sign, 5 exponent, 10 fraction bits.
/// - bfloat16 (`BF16`): the top 16 bits of a binary32, so widening is a shift.
///
/// f16 is widened through a 65,536-entry table (256 KB, built once, exact for every bit pattern
/// including subnormals, infinities and NaNs); this is faster than the software conversion Swift emits
/// without F16C and keeps the hot loop a load.
public enum HalfFormat: Sendable, Equatable {
    case f16, bf16

    /// Widens `count` values from `source` into `destination`.
    @inline(__always)
    public func widen(_ source: UnsafePointer<UInt16>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .bf16:
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(source[i]) << 16) }
        case .f16:
            halfToFloatTable.withUnsafeBufferPointer { table in
                guard let table = table.baseAddress else { return }
                for i in 0..<count { destination[i] = table[Int(source[i])] }
            }
        }
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
