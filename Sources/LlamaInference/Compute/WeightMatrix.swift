import Dispatch

/// Floats the engine owns (merged LoRA targets, misaligned f32 tensors, the workspace).
///
/// Thread safety: written only while a model is being built or by the one forward pass that holds
/// the workspace lock; `@unchecked Sendable` on that basis.
public final class FloatBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// `count` zeros, 64-byte aligned.
    public init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// `count` floats, 64-byte aligned, not initialised (scratch that is written before it is read;
    /// its pages are not touched until then).
    init(uninitializedCount count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// A weight matrix of shape `(rows, columns)`, row-major, kept as the checkpoint stores it (or
/// quantized to 8 bits at load, ``WeightFormat/q8``).
///
/// f32 tensors are used in place from the mapping (copied only if misaligned); f16/bf16 tensors stay
/// half-size. `product` multiplies them with the CPU's own arithmetic where it can (``NativeKernels``:
/// bf16 dot products, f16 conversion + FMA, 8-bit dot products); otherwise it widens them to f32 a tile
/// of rows at a time for sgemm, so a 7B f16 checkpoint never exists as f32 in memory. The PyTorch convention holds: a linear layer's weight is
/// `(out_features, in_features)` and computes `y = x Wᵀ`.
public struct WeightMatrix: @unchecked Sendable {
    public enum Storage {
        case float32(UnsafePointer<Float>)
        case half(UnsafePointer<UInt16>, HalfFormat)
        case q8(QuantizedMatrix)
    }
    public let rows: Int
    public let columns: Int
    public let storage: Storage
    /// A LoRA update applied beside the weight instead of merged into it (half weights; see
    /// ``LowRankUpdate``): everything that reads the matrix — `product`, `widenRows` — sees `W + s·B·A`.
    public private(set) var lowRank: LowRankUpdate?
    /// Keeps the bytes alive (a `ByteBuffer` or a `FloatBuffer`).
    private let owner: AnyObject

    /// A view of a checked F32 / F16 / BF16 tensor of `rows × columns` elements (shape already checked).
    init(view: TensorView, rows: Int, columns: Int) {
        self.rows = rows; self.columns = columns
        switch view.dtype {
        case .f16, .bf16:
            let format: HalfFormat = view.dtype == .f16 ? .f16 : .bf16
            if Int(bitPattern: view.bytes) % MemoryLayout<UInt16>.alignment == 0 {
                storage = .half(view.bytes.assumingMemoryBound(to: UInt16.self), format); owner = view.buffer
            } else {
                let copy = HalfBuffer(count: rows * columns)
                UnsafeMutableRawPointer(copy.pointer).copyMemory(from: view.bytes, byteCount: view.byteCount)
                storage = .half(UnsafePointer(copy.pointer), format); owner = copy
            }
        default:
            if Int(bitPattern: view.bytes) % MemoryLayout<Float>.alignment == 0 {
                storage = .float32(view.bytes.assumingMemoryBound(to: Float.self)); owner = view.buffer
            } else {
                let copy = FloatBuffer(count: rows * columns)
                UnsafeMutableRawPointer(copy.pointer).copyMemory(from: view.bytes, byteCount: view.byteCount)
                storage = .float32(UnsafePointer(copy.pointer)); owner = copy
            }
        }
    }

    /// A matrix over floats the engine owns.
    init(owned buffer: FloatBuffer, rows: Int, columns: Int) {
        self.rows = rows; self.columns = columns
        storage = .float32(UnsafePointer(buffer.pointer)); owner = buffer
    }

    /// A half matrix over 16-bit values the engine owns (a merged LoRA target of a half checkpoint).
    init(owned buffer: HalfBuffer, format: HalfFormat, rows: Int, columns: Int) {
        self.rows = rows; self.columns = columns
        storage = .half(UnsafePointer(buffer.pointer), format); owner = buffer
    }

    /// This matrix with `update` applied unmerged (replacing any earlier one).
    func adding(_ update: LowRankUpdate) -> WeightMatrix {
        var copy = self
        copy.lowRank = update
        return copy
    }

    /// This matrix quantized to 8 bits (``WeightFormat/q8``), its low-rank update kept beside. The stored
    /// rows' pages of a mapped checkpoint are handed back to the kernel once read, so that the peak
    /// resident set holds the 8-bit copy and not the checkpoint as well.
    func quantized(threads: Int) -> WeightMatrix {
        if case .q8 = storage { return self }
        let mapping = owner as? ByteBuffer, stored = storedBytes
        let quantized = QuantizedMatrix(quantizing: self, threads: threads) { first, count in
            if let stored {
                mapping?.releasePages(stored.base + first * columns * stored.elementBytes,
                                      byteCount: count * columns * stored.elementBytes)
            }
        }
        var copy = WeightMatrix(quantized: quantized)
        copy.lowRank = lowRank
        return copy
    }

    private init(quantized: QuantizedMatrix) {
        rows = quantized.rows; columns = quantized.columns
        storage = .q8(quantized); owner = quantized
    }

    /// Whether the weights are kept in 16 bits.
    public var isHalf: Bool { if case .half = storage { return true } else { return false } }

    /// Whether the weights are in the 8-bit format (``WeightFormat/q8``).
    public var isQuantized: Bool { if case .q8 = storage { return true } else { return false } }

    /// Whether `product` runs one of our own kernels (f16, 8-bit; bf16 when oneDNN is off), which read
    /// the weights in place and once per 64 tokens whatever the token count (`Sources/CWeightKernels`),
    /// so that running a layer a chunk of tokens at a time costs no extra pass over the weights. The
    /// other paths widen (fallback) or pack (OpenBLAS, oneDNN) the weights on every call.
    func streamsInPlace(_ kernels: NativeKernels) -> Bool {
        switch storage {
        case .half(_, .f16): return kernels.f16
        case .half(_, .bf16): return kernels.bf16 && !kernels.oneDNN
        case .q8: return kernels.q8
        case .float32: return false
        }
    }

    /// Widens rows `first ..< first + count` into `destination` (`count × columns` floats), with the
    /// low-rank update when there is one.
    public func widenRows(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        widenStoredRows(first, count: count, into: destination)
        if let lowRank {   // rows += s · B[rows] (count, r) · A (r, in)
            BLAS.gemm(m: count, n: columns, k: lowRank.rank, alpha: lowRank.scale, a: lowRank.b.pointer + first * lowRank.rank,
                      lda: lowRank.rank, b: lowRank.a.pointer, ldb: columns, beta: 1, c: destination, ldc: columns)
        }
    }

    /// Rows `first ..< first + count` widened like ``widenRows(_:count:into:)``, then their mapped pages
    /// handed back to the kernel (``ByteBuffer/releasePages(_:byteCount:)``), with the 64 KB fault-around
    /// window the kernel maps around each read (clipped to this matrix). For the token embedding, read a
    /// few rows per pass: its gathered rows would otherwise stay in the resident set beside the layers'
    /// working set (8 MB at 512 tokens of a 7B). A later read fetches them again from the page cache.
    /// Weights the engine owns (copies, quantized or merged matrices) are only read.
    func gatherRows(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        widenRows(first, count: count, into: destination)
        guard let mapping = owner as? ByteBuffer, let (base, elementBytes) = storedBytes else { return }
        let window = 64 << 10
        let rowStart = Int(bitPattern: base) + first * columns * elementBytes
        let start = max(Int(bitPattern: base), rowStart / window * window)
        let end = min(Int(bitPattern: base) + rows * columns * elementBytes,
                      (rowStart + count * columns * elementBytes + window - 1) / window * window)
        if let pointer = UnsafeRawPointer(bitPattern: start), start < end { mapping.releasePages(pointer, byteCount: end - start) }
    }

    /// The stored values' first byte and bytes per value (f16/bf16 2, f32 4); nil for the 8-bit format,
    /// whose bytes the engine owns. What the page hand-backs (``quantized(threads:)``,
    /// ``gatherRows(_:count:into:)``) measure their ranges in.
    private var storedBytes: (base: UnsafeRawPointer, elementBytes: Int)? {
        switch storage {
        case .half(let values, _): return (UnsafeRawPointer(values), 2)
        case .float32(let values): return (UnsafeRawPointer(values), 4)
        case .q8: return nil
        }
    }

    /// The stored rows alone (`product` adds the low-rank update to its result instead).
    func widenStoredRows(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch storage {
        case .float32(let values):
            destination.update(from: values + first * columns, count: count * columns)
        case .half(let values, let format):
            format.widen(values + first * columns, into: destination, count: count * columns)
        case .q8(let matrix):
            matrix.dequantizeRows(first, count: count, into: destination)
        }
    }

    /// A full f32 copy (for LoRA merging).
    func widenedCopy() -> FloatBuffer {
        let copy = FloatBuffer(count: rows * columns)
        widenRows(0, count: rows, into: copy.pointer)
        return copy
    }

    /// `y (tokens, rows) = x (tokens, columns) · selfᵀ` — the linear layer, through the BLAS seam.
    ///
    /// With `tile.kernels` allowing it, bf16, f16 and 8-bit weights go through the native kernels
    /// (``NativeKernels``; no widening). Otherwise they are widened as many rows at a time as fit `tile.capacity` floats into
    /// `tile.buffer` (each tile split across `tile.threads` threads), and each tile's product writes
    /// its block of columns of `y`. Big tiles matter: every sgemm call re-packs `x`.
    func product(_ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>, tile: WideningTile) {
        switch storage {
        case .float32(let w):
            Self.multiply(x, tokens: tokens, w, rows: rows, columns: columns, into: y, ldy: rows, tile: tile)
        case .half(let w, .bf16) where tile.kernels.bf16:
            NativeProduct.bf16(x, tokens: tokens, columns: columns, weights: w, rows: rows, into: y, ldy: rows, tile: tile)
        case .half(let w, .f16) where tile.kernels.f16:
            NativeProduct.f16(x, tokens: tokens, columns: columns, weights: w, rows: rows, into: y, ldy: rows, threads: tile.threads)
        case .q8(let matrix) where tile.kernels.q8:
            NativeProduct.q8(x, tokens: tokens, matrix: matrix, into: y, ldy: rows, tile: tile)
        case .half, .q8:
            let tileRows = max(1, min(rows, tile.capacity / max(columns, 1)))
            var first = 0
            while first < rows {
                let count = min(tileRows, rows - first)
                widenRowsInParallel(first, count: count, into: tile.buffer, threads: tile.threads)
                Self.multiply(x, tokens: tokens, UnsafePointer(tile.buffer), rows: count, columns: columns,
                              into: y + first, ldy: rows, tile: tile)
                first += count
            }
        }
        if let lowRank { lowRank.apply(x, tokens: tokens, into: y, ldy: rows, tile: tile) }
    }

    /// f32 `y = x wᵀ`: oneDNN when `tile.kernels` allow it (more than one token), else OpenBLAS.
    private static func multiply(_ x: UnsafePointer<Float>, tokens: Int, _ w: UnsafePointer<Float>, rows: Int,
                                 columns: Int, into y: UnsafeMutablePointer<Float>, ldy: Int, tile: WideningTile) {
        if tokens > 1, tile.kernels.oneDNN,
           OneDNN.product(.f32, x, tokens: tokens, columns: columns, weights: w, rows: rows, into: y, ldy: ldy,
                          threads: tile.threads) { return }
        if tokens == 1 {
            BLAS.gemv(m: rows, n: columns, a: w, lda: columns, x: x, y: y)
        } else {
            BLAS.gemm(transposeB: true, m: tokens, n: rows, k: columns, a: x, lda: columns, b: w, ldb: columns,
                      c: y, ldc: ldy)
        }
    }

    private func widenRowsInParallel(_ first: Int, count: Int, into destination: UnsafeMutablePointer<Float>, threads: Int) {
        let ways = min(max(threads, 1), max(count * columns / 65_536, 1))
        if ways == 1 { widenStoredRows(first, count: count, into: destination); return }
        let target = UnsafeSendablePointer(pointer: destination)
        let rowsPerWay = (count + ways - 1) / ways
        DispatchQueue.concurrentPerform(iterations: ways) { way in
            let start = way * rowsPerWay
            let end = min(count, start + rowsPerWay)
            if start < end { widenStoredRows(first + start, count: end - start, into: target.pointer + start * columns) }
        }
    }
}

/// A LoRA update `s·B·A` kept in f32 beside a half weight `W` rather than merged into it, so the
/// layer computes `y = W x + s·B(A x)` exactly as PEFT's unmerged forward does on a model cast to f32
/// (DRG-LLaMA's evaluation), with no rounding of `W + s·B·A` to 16 bits and no f32 copy of `W`:
/// a 7B f16 checkpoint with DRG-LLaMA's r=8 q/k/v/o adapter adds 34 MB, not 4.3 GB. The two extra
/// products cost `2·T·r·(in + out)` multiply-adds, 0.4% of the layer's at r = 8, hidden 4096.
/// Hu et al. 2021 (arXiv:2106.09685), eq. 3. Immutable after loading.
public final class LowRankUpdate: @unchecked Sendable {
    /// `(r, in)`
    let a: FloatBuffer
    /// `(out, r)`
    let b: FloatBuffer
    let rank: Int
    let scale: Float

    init(a: FloatBuffer, b: FloatBuffer, rank: Int, scale: Float) {
        self.a = a; self.b = b; self.rank = rank; self.scale = scale
    }

    /// `y (T, out) += s · (x Aᵀ) (T, r) · Bᵀ`, with `x Aᵀ` in the tile (free again after the main product)
    /// or, when the tile is too small, in a temporary buffer.
    func apply(_ x: UnsafePointer<Float>, tokens: Int, into y: UnsafeMutablePointer<Float>, ldy: Int, tile: WideningTile) {
        let columns = a.count / max(rank, 1)
        let needed = tokens * rank
        let spare = tile.capacity >= needed ? nil : FloatBuffer(count: needed)
        let t = spare?.pointer ?? tile.buffer                                   // (T, r)
        BLAS.gemm(transposeB: true, m: tokens, n: rank, k: columns, a: x, lda: columns, b: a.pointer, ldb: columns,
                  c: t, ldc: rank)
        BLAS.gemm(transposeB: true, m: tokens, n: ldy, k: rank, alpha: scale, a: t, lda: rank, b: b.pointer, ldb: rank,
                  beta: 1, c: y, ldc: ldy)
    }
}

/// Scratch for widening half weights (`capacity` floats, at least one row of the widest weight; the
/// native kernels prepare their activations in it), the thread count the element-wise loops may use,
/// and the native kernels allowed.
struct WideningTile {
    var buffer: UnsafeMutablePointer<Float>
    var capacity: Int
    var threads: Int
    var kernels: NativeKernels = .widening
}

/// A pointer handed to `concurrentPerform` workers that write disjoint ranges of it.
struct UnsafeSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
}

/// 16-bit values the engine owns (merged LoRA targets kept half, misaligned half tensors copied);
/// like `FloatBuffer`, written only while the model is built, read-only afterwards, hence
/// `@unchecked Sendable`.
final class HalfBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt16>
    let count: Int

    /// `count` zeros.
    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<UInt16>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }
}
