import CWeightKernels
import Foundation

/// Which of the CPU's own arithmetic paths the linear layers may use (`Sources/CWeightKernels`),
/// decided once per process from the CPU's features and the environment.
///
/// | weights | path when allowed                                        | otherwise (today's exact path)        |
/// |---------|-----------------------------------------------------------|----------------------------------------|
/// | f32     | oneDNN matmul (``OneDNN``), in place                      | `cblas_sgemm` (OpenBLAS)               |
/// | bf16    | oneDNN bf16 matmul (`vdpbf16ps`): activations rounded to  | widen to f32 in tiles, `cblas_sgemm`   |
/// |         | bf16, f32 sums; our `cwk_gemm_bf16` if oneDNN refuses      |                                        |
/// | f16     | `vcvtph2ps` + FMA: exact products, f32 sums (measured     | widen to f32 in tiles, `cblas_sgemm`   |
/// |         | faster than widened tiles through oneDNN's f32 matmul)    |                                        |
/// | q8      | `vpdpbusd`: activations quantized per block of 32         | dequantize to f32 in tiles, sgemm      |
///
/// `DRGCODER_KERNELS=widen` in the environment turns every native path off (the answers of a CPU
/// without AVX-512: bit for bit what drgcoder computed before the kernels existed);
/// `DRGCODER_KERNELS=native` (or unset) uses each path the CPU supports. Any other value is refused
/// by name when the first model loads.
///
/// Example: `NativeKernels.current.bf16` is true on a Zen 4 or Sapphire Rapids CPU.
public struct NativeKernels: Sendable, Equatable, CustomStringConvertible {
    /// Our `vcvtph2ps` + FMA kernel for f16 weights (oneDNN 2.6 has no f16 matmul on CPUs without
    /// AVX512_FP16; widened tiles through its f32 matmul took 5.5 CPU-seconds a 512-token pass of the
    /// 7B-shaped bench model against this kernel's 4.4 then, 4.15 with its panels: docs/ENGINE.md).
    public var f16: Bool
    public var bf16: Bool
    public var q8: Bool
    /// f32 products (layers, widened tiles) and bf16 products through oneDNN rather than OpenBLAS.
    public var oneDNN: Bool

    public init(f16: Bool, bf16: Bool, q8: Bool, oneDNN: Bool = false) {
        self.f16 = f16; self.bf16 = bf16; self.q8 = q8; self.oneDNN = oneDNN
    }

    /// Nothing native: the widening path for every half and 8-bit weight, OpenBLAS for every product.
    public static let widening = NativeKernels(f16: false, bf16: false, q8: false)

    /// The environment variable that can force the widening path.
    public static let environmentKey = "DRGCODER_KERNELS"

    /// What a CPU with `features` (`cwk_features()` bits) may use under `environment`'s setting.
    public static func resolve(features: Int32, environment: [String: String]) throws(LoadError) -> NativeKernels {
        switch environment[environmentKey] {
        case nil, "", "native":
            let avx512 = features & Int32(CWK_F16) != 0
            return NativeKernels(f16: avx512, bf16: features & Int32(CWK_BF16) != 0,
                                 q8: features & Int32(CWK_VNNI) != 0, oneDNN: avx512)
        case "widen":
            return .widening
        case let other?:
            throw LoadError.badKernelSetting(other)
        }
    }

    /// This process's paths (the CPU's features and `DRGCODER_KERNELS`), or the refusal of a bad setting.
    public static let detected: Result<NativeKernels, LoadError> = Result { () throws(LoadError) in
        try resolve(features: cwk_features(), environment: ProcessInfo.processInfo.environment)
    }

    /// The paths in force (`.widening` when the setting is bad; loading a model reports that setting).
    public static var current: NativeKernels { (try? detected.get()) ?? .widening }

    /// e.g. "avx512 onednn, bf16, vnni" or "none (widen + sgemm)".
    public var description: String {
        let names = [(oneDNN, "onednn"), (f16, "f16"), (bf16, "bf16"), (q8, "vnni")].filter(\.0).map(\.1)
        return names.isEmpty ? "none (widen + sgemm)" : "avx512 " + names.joined(separator: ", ")
    }
}

/// The products through the native kernels: prepare the activations once (bf16 rounding, 8-bit
/// quantization), then split the weight's rows between threads (groups of 16 rows, so that each
/// thread's tiles stay whole) and let each compute its columns of `y`.
enum NativeProduct {
    /// Scratch for the prepared activations: the widening tile when it is big enough (it is idle while
    /// a native product runs), else a temporary buffer.
    private static func withScratch(bytes: Int, tile: WideningTile, _ body: (UnsafeMutableRawPointer) -> Void) {
        if tile.capacity * MemoryLayout<Float>.stride >= bytes {
            body(UnsafeMutableRawPointer(tile.buffer))
        } else {
            let spare = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            defer { spare.deallocate() }
            body(spare)
        }
    }

    private static func splitRows(_ rows: Int, threads: Int, _ body: @escaping @Sendable (Int, Int) -> Void) {
        let groups = (rows + 15) / 16
        let ways = min(max(threads, 1), groups)
        if ways <= 1 { body(0, rows); return }
        DispatchQueue.concurrentPerform(iterations: ways) { way in
            let begin = min(rows, groups * way / ways * 16), end = min(rows, groups * (way + 1) / ways * 16)
            if begin < end { body(begin, end) }
        }
    }

    static func bf16(_ x: UnsafePointer<Float>, tokens: Int, columns: Int, weights: UnsafePointer<UInt16>, rows: Int,
                     into y: UnsafeMutablePointer<Float>, ldy: Int, tile: WideningTile) {
        withScratch(bytes: tokens * columns * 2, tile: tile) { scratch in
            let rounded = scratch.bindMemory(to: UInt16.self, capacity: tokens * columns)
            Parallel.chunks(tokens, threads: tile.threads, minimumChunk: 16) { range in
                HalfFormat.bf16.narrow(x + range.lowerBound * columns, into: rounded + range.lowerBound * columns,
                                       count: range.count * columns)
            }
            if tile.kernels.oneDNN, OneDNN.product(.bf16, rounded, tokens: tokens, columns: columns, weights: weights,
                                                   rows: rows, into: y, ldy: ldy, threads: tile.threads) { return }
            let pointers = Pointers(x: UnsafeRawPointer(rounded), w: UnsafeRawPointer(weights), y: y)
            splitRows(rows, threads: tile.threads) { begin, end in
                cwk_gemm_bf16(pointers.x.assumingMemoryBound(to: UInt16.self), tokens, columns,
                              pointers.w.assumingMemoryBound(to: UInt16.self), begin, end, pointers.y, ldy)
            }
        }
    }

    static func f16(_ x: UnsafePointer<Float>, tokens: Int, columns: Int, weights: UnsafePointer<UInt16>, rows: Int,
                    into y: UnsafeMutablePointer<Float>, ldy: Int, threads: Int) {
        let pointers = Pointers(x: UnsafeRawPointer(x), w: UnsafeRawPointer(weights), y: y)
        splitRows(rows, threads: threads) { begin, end in
            cwk_gemm_f16(pointers.x.assumingMemoryBound(to: Float.self), tokens, columns,
                         pointers.w.assumingMemoryBound(to: UInt16.self), begin, end, pointers.y, ldy)
        }
    }

    static func q8(_ x: UnsafePointer<Float>, tokens: Int, matrix: QuantizedMatrix, into y: UnsafeMutablePointer<Float>,
                   ldy: Int, tile: WideningTile) {
        let padded = matrix.padded
        let quantBytes = tokens * padded, scaleBytes = tokens * padded / 32 * 4, sumBytes = tokens * padded
        withScratch(bytes: quantBytes + scaleBytes + sumBytes + 128, tile: tile) { scratch in
            let xq = scratch.bindMemory(to: Int8.self, capacity: quantBytes)
            let xs = (scratch + quantBytes).bindMemory(to: Float.self, capacity: scaleBytes / 4)
            let xc = (scratch + (quantBytes + scaleBytes + 63) / 64 * 64).bindMemory(to: Int32.self, capacity: sumBytes / 4)
            let columns = matrix.columns
            Parallel.chunks(tokens, threads: tile.threads, minimumChunk: 16) { range in
                let t = range.lowerBound
                cwk_q8_quantize_activations(x + t * columns, range.count, columns, xq + t * padded, xs + t * (padded / 32),
                                            xc + t * (padded / 4))
            }
            let pointers = Pointers(x: UnsafeRawPointer(xq), w: UnsafeRawPointer(matrix.quants), y: y)
            let activationScales = UnsafeSendableRaw(pointer: UnsafeRawPointer(xs)), sums = UnsafeSendableRaw(pointer: UnsafeRawPointer(xc))
            let scales = UnsafeSendableRaw(pointer: UnsafeRawPointer(matrix.scales))
            splitRows(matrix.rows, threads: tile.threads) { begin, end in
                cwk_gemm_q8(pointers.x.assumingMemoryBound(to: Int8.self), activationScales.pointer.assumingMemoryBound(to: Float.self),
                            sums.pointer.assumingMemoryBound(to: Int32.self), tokens, columns,
                            pointers.w.assumingMemoryBound(to: UInt8.self), scales.pointer.assumingMemoryBound(to: UInt16.self),
                            begin, end, pointers.y, ldy)
            }
        }
    }

    /// The three pointers of one product, handed to the row workers (each writes its own columns of y).
    private struct Pointers: @unchecked Sendable {
        let x: UnsafeRawPointer
        let w: UnsafeRawPointer
        let y: UnsafeMutablePointer<Float>
    }
}

/// A read-only pointer handed to `concurrentPerform` workers.
struct UnsafeSendableRaw: @unchecked Sendable {
    let pointer: UnsafeRawPointer
}
