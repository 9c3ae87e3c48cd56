/// A binary min-heap of candidate merges ordered by (rank, position): the lowest rank first and,
/// among equal ranks, the leftmost pair first.
///
/// That order is HF `tokenizers`' (`Merge: Ord` in `models/bpe/word.rs` pops the lowest rank, then
/// the lowest position) and also SentencePiece's BPE (`bpe_model.cc`: highest score, then the left
/// symbol). Per-call state; it lives inside one `BPEModel.tokenize` call.
struct MergeQueue {
    struct Candidate {
        let rank: Int32
        let position: Int32
        let mergedID: Int32

        func precedes(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : position < other.position
        }
    }

    private var heap: [Candidate] = []

    init(capacity: Int) { heap.reserveCapacity(capacity) }

    mutating func push(_ candidate: Candidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Candidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var best = parent
                if left < heap.count, heap[left].precedes(heap[best]) { best = left }
                if right < heap.count, heap[right].precedes(heap[best]) { best = right }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
