import CWeightKernels
import Dispatch
import Glibc

/// How the linear layers' weights are kept in memory once loaded.
///
/// - `stored`: as the checkpoint stores them (f32, f16 or bf16, memory-mapped; the default).
/// - `q8`: the seven projections of every layer quantized at load to 8 bits per weight with one f16
///   scale per block of 32 (llama.cpp's Q8_0 arithmetic, ``QuantizedMatrix``): 1.06 bytes a weight,
///   53% of f16. The embedding table, the norms and the `score` head stay as stored.
///   Changes the answers slightly (each weight moves by at most half its block's scale; see
///   docs/ENGINE.md, "Native kernels").
public enum WeightFormat: String, Sendable, CaseIterable {
    case stored, q8
}

/// A weight matrix quantized to the 8-bit format of `Sources/CWeightKernels` (blocks of 32 weights,
/// one f16 scale `d = max|w| / 127` each, `w ≈ d·q`, `q` stored as `q + 128`; rows padded with zeros
/// to a multiple of 64 and the two blocks of each 64 interleaved every 4 bytes, for `vpdpbusd`).
///
/// Owns its bytes; immutable after `init`, hence `@unchecked Sendable`.
public final class QuantizedMatrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    /// Bytes per row (`columns` rounded up to 64).
    public let padded: Int
    let quants: UnsafeMutablePointer<UInt8>
    let scales: UnsafeMutablePointer<UInt16>

    /// Quantizes `matrix`'s stored rows (its low-rank update, if any, is not included: the caller keeps
    /// it beside), `threads` ways, widening 64 rows at a time; `done(first, count)` is called after each
    /// slice of 512 rows (the caller hands the slice's mapped pages back).
    init(quantizing matrix: WeightMatrix, threads: Int, done: (Int, Int) -> Void = { _, _ in }) {
        rows = matrix.rows; columns = matrix.columns
        padded = cwk_q8_padded(columns)
        quants = UnsafeMutableRawPointer.allocate(byteCount: max(rows * padded, 1), alignment: 64).bindMemory(to: UInt8.self, capacity: max(rows * padded, 1))
        scales = UnsafeMutablePointer<UInt16>.allocate(capacity: max(rows * padded / 32, 1))
        let chunk = 64, columns = columns, padded = padded
        let target = UnsafeSendableQuantized(quants: quants, scales: scales)
        let slice = 8 * chunk
        for sliceFirst in stride(from: 0, to: rows, by: slice) {
            let sliceRows = min(slice, rows - sliceFirst)
            Parallel.chunks((sliceRows + chunk - 1) / chunk, threads: threads, minimumChunk: 1) { range in
                let scratch = MappedScratch(floats: chunk * columns)
                // Kept alive while its pointer is used: its deinit unmaps the pages.
                withExtendedLifetime(scratch) {
                    for c in range {
                        let first = sliceFirst + c * chunk, count = min(chunk, matrix.rows - first)
                        matrix.widenStoredRows(first, count: count, into: scratch.pointer)
                        cwk_q8_quantize_rows(scratch.pointer, count, columns, target.quants + first * padded,
                                             target.scales + first * (padded / 32))
                    }
                }
            }
            done(sliceFirst, sliceRows)
        }
    }

    deinit {
        UnsafeMutableRawPointer(quants).deallocate()
        scales.deallocate()
    }

    /// Rows `first ..< first + count` as f32 (`d·q`, exact), `columns` values each.
    func dequantizeRows(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        cwk_q8_dequantize_rows(quants + first * padded, scales + first * (padded / 32), count, columns, destination)
    }
}

/// Floats taken straight from the kernel (`mmap`) and handed back when released (`munmap`), for the
/// quantizing workers' scratch. Through `malloc` these few MB per worker and slice came from glibc's
/// per-thread arenas, which keep freed pages resident: measured 20 MB of the peak resident set of a
/// 512-token `--weights q8` pass of the 7B-shaped bench model (docs/ENGINE.md, "Peak memory").
private final class MappedScratch {
    let pointer: UnsafeMutablePointer<Float>
    private let bytes: Int

    init(floats: Int) {
        bytes = max(floats, 1) * MemoryLayout<Float>.stride
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("mmap of \(bytes) bytes of quantization scratch failed (errno \(errno))")
        }
        pointer = raw.bindMemory(to: Float.self, capacity: max(floats, 1))
    }

    deinit { munmap(pointer, bytes) }
}

/// The quantized matrix's two buffers, handed to the quantizing workers (each writes its own rows).
private struct UnsafeSendableQuantized: @unchecked Sendable {
    let quants: UnsafeMutablePointer<UInt8>
    let scales: UnsafeMutablePointer<UInt16>
}
