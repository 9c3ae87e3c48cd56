import Dispatch

/// Splits `0..<count` into at most `threads` contiguous chunks of at least `minimumChunk` items and
/// runs `body` on each, concurrently (`DispatchQueue.concurrentPerform`), returning when all are done.
///
/// For the element-wise loops between BLAS calls (SiLU, softmax rows), which would otherwise leave
/// all but one core idle while the matrix products keep every core busy. Each chunk must touch only
/// its own range of the output. Below `2 × minimumChunk` items it runs inline, with no dispatch.
///
/// Example: `Parallel.chunks(rows, threads: 4, minimumChunk: 8) { range in for r in range { ... } }`
enum Parallel {
    static func chunks(_ count: Int, threads: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
        let ways = min(max(threads, 1), max(count / max(minimumChunk, 1), 1))
        if ways <= 1 { body(0..<count); return }
        let size = (count + ways - 1) / ways
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: ways) { way in
                let start = way * size, end = min(count, start + size)
                if start < end { work.value(start..<end) }
            }
        }
    }
}

/// Carries a closure over disjoint raw-pointer ranges into `concurrentPerform`'s workers; safe because
/// `Parallel.chunks` hands each worker a different range and waits for all of them before returning.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
