/// The immutable token table of a model: id ↔ piece, keyed by exact UTF-8 bytes.
///
/// Keys are byte arrays, not `String`s, on purpose: Swift compares and hashes strings by canonical
/// equivalence, and LLaMA-2 has two different tokens "ά" (U+03AC, id 30216) and "ά" (U+1F71,
/// id 31042). With `String` keys one of them would vanish. A test pins both ids.
///
/// Example: `vocabulary.id(of: Array("▁the".utf8))` is 278 in LLaMA-2.
/// Thread safety: a value type, never mutated after loading; shared freely.
struct Vocabulary: Sendable {
    /// `pieces[id]` is the piece with that id; nil where no token has that id.
    let pieces: [String?]
    private let idsByUTF8: [[UInt8]: Int]
    /// Fast path for the most common lookup, a one-scalar piece.
    private let idsByScalar: [UInt32: Int]

    /// Builds the table. Where two entries share an id, the first keeps the id → piece slot.
    init(entries: [(piece: String, id: Int)]) {
        let count = (entries.map(\.id).max() ?? -1) + 1
        var pieces = [String?](repeating: nil, count: count)
        var idsByUTF8: [[UInt8]: Int] = [:]
        var idsByScalar: [UInt32: Int] = [:]
        idsByUTF8.reserveCapacity(entries.count)
        for (piece, id) in entries {
            if pieces[id] == nil { pieces[id] = piece }
            idsByUTF8[Array(piece.utf8)] = id
            var scalars = piece.unicodeScalars.makeIterator()
            if let only = scalars.next(), scalars.next() == nil { idsByScalar[only.value] = id }
        }
        self.pieces = pieces
        self.idsByUTF8 = idsByUTF8
        self.idsByScalar = idsByScalar
    }

    /// The number of entries (distinct pieces).
    var count: Int { idsByUTF8.count }

    func id(of utf8: [UInt8]) -> Int? { idsByUTF8[utf8] }

    func id(of scalar: Unicode.Scalar) -> Int? { idsByScalar[scalar.value] }

    func id(of scalars: some Collection<Unicode.Scalar>) -> Int? {
        if scalars.count == 1, let only = scalars.first { return idsByScalar[only.value] }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count * 2)
        for scalar in scalars { UTF8.encode(scalar) { utf8.append($0) } }
        return idsByUTF8[utf8]
    }

    func piece(for id: Int) -> String? {
        guard id >= 0, id < pieces.count else { return nil }
        return pieces[id]
    }
}
