import CHalfPrecision
import Foundation
import Testing
@testable import LlamaInference

/// The C widening loops (F16C / AVX2 on this CPU) against the exact reference, `widenBinary16` and
/// its table for f16 and the 16-bit shift for bf16: every bit pattern, then odd counts and offsets.
@Suite struct HalfPrecisionWideningTests {
    static let allPatterns: [UInt16] = (0...0xFFFF).map { UInt16($0) }

    /// Same bits, or both NaN (F16C quiets signalling NaNs, so payload bit 22 may differ).
    static func agree(_ actual: Float, _ expected: Float) -> Bool {
        actual.bitPattern == expected.bitPattern || (actual.isNaN && expected.isNaN)
    }

    static func widened(_ format: HalfFormat, _ source: [UInt16]) -> [Float] {
        var out = [Float](repeating: 0, count: source.count)
        source.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { format.widen(s.baseAddress!, into: $0.baseAddress!, count: s.count) }
        }
        return out
    }

    /// The run-time choice matches what the kernel reports for this CPU (so the tests below exercise
    /// F16C where the CPU has it, and the table where it does not).
    @Test func theRunTimeChoiceMatchesTheCPUFlags() throws {
        #if os(Linux) && arch(x86_64)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
        let words = Set(flags.split(separator: " ").map(String.init))
        #expect(hasF16C == (words.contains("f16c") && words.contains("avx2")))
        #else
        #expect(!hasF16C || chp_has_f16c() != 0)
        #endif
    }

    @Test func everyF16PatternWidensToTheTablesValue() {
        let out = Self.widened(.f16, Self.allPatterns)
        let mismatches = Self.allPatterns.indices.filter { !Self.agree(out[$0], halfToFloatTable[$0]) }
        #expect(mismatches.count == 0, "first: \(mismatches.prefix(5).map { String($0, radix: 16) })")
        // Not vacuous: NaNs stay NaN, everything else is bit-identical (±0, subnormals, ±∞ included).
        #expect(out[0x7C00] == .infinity && out[0xFC00] == -.infinity && out[0x7E00].isNaN && out[0x7C01].isNaN)
        #expect(out[0x0001] == 0x1p-24 && out[0x8000].bitPattern == 0x8000_0000 && out[0x3C00] == 1)
    }

    @Test func theTableFallbackIsExactForEveryF16Pattern() {
        var out = [Float](repeating: 0, count: Self.allPatterns.count)
        Self.allPatterns.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { widenBinary16ThroughTable(s.baseAddress!, into: $0.baseAddress!, count: s.count) }
        }
        let mismatches = Self.allPatterns.indices.filter { !Self.agree(out[$0], Float(Float16(bitPattern: Self.allPatterns[$0]))) }
        #expect(mismatches.count == 0)
    }

    @Test func everyBF16PatternWidensToItsShiftedBits() {
        let expected = Self.allPatterns.map { Float(bitPattern: UInt32($0) << 16) }
        let out = Self.widened(.bf16, Self.allPatterns)
        #expect(zip(out, expected).allSatisfy { $0.bitPattern == $1.bitPattern })   // NaN payloads kept too
        var portable = [Float](repeating: 0, count: Self.allPatterns.count)
        Self.allPatterns.withUnsafeBufferPointer { s in
            portable.withUnsafeMutableBufferPointer { chp_widen_bf16_portable(s.baseAddress!, $0.baseAddress!, s.count) }
        }
        #expect(zip(portable, expected).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    /// Counts 0...70 (every tail length of the 32-, 16- and 8-wide loops) at every 2-byte source offset
    /// and 4-byte destination offset within 32 bytes: each value lands where it should, and the floats
    /// just before and after the destination range keep their sentinel.
    @Test(arguments: [HalfFormat.f16, .bf16])
    func oddCountsAndMisalignedPointersWriteExactlyTheirRange(format: HalfFormat) {
        let source: [UInt16] = (0..<100).map { UInt16(truncatingIfNeeded: 0x3C00 &+ $0 &* 37) }   // finite in both
        let reference = source.map { format == .f16 ? widenBinary16($0) : Float(bitPattern: UInt32($0) << 16) }
        let sentinel = Float(bitPattern: 0x7FC0_DEAD)
        var failures: [String] = []
        for count in 0...70 {
            for sourceOffset in 0..<16 {
                for destinationOffset in 1...8 {
                    var out = [Float](repeating: sentinel, count: 90)
                    source.withUnsafeBufferPointer { s in
                        out.withUnsafeMutableBufferPointer {
                            format.widen(s.baseAddress! + sourceOffset, into: $0.baseAddress! + destinationOffset, count: count)
                        }
                    }
                    let inside = (0..<count).allSatisfy { out[destinationOffset + $0] == reference[sourceOffset + $0] }
                    let around = out[destinationOffset - 1].bitPattern == sentinel.bitPattern
                        && out[destinationOffset + count].bitPattern == sentinel.bitPattern
                    if !(inside && around) { failures.append("count \(count) offsets \(sourceOffset)/\(destinationOffset)") }
                }
            }
        }
        #expect(failures.count == 0, "\(failures.count) cases, first: \(failures.prefix(3))")
    }
}
