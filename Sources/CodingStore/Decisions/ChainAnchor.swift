import Foundation

/// A point the chain must still pass through: the row `seq` has `hash`. `drgcoder audit verify`
/// prints the head as `SEQ:HASH`; an auditor keeps it outside the database (see docs/STORE.md) and
/// passes it back with `--anchor`. Unlike a head hash it stays valid while coders add rows.
public struct ChainAnchor: Sendable, Equatable, Codable, CustomStringConvertible {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) { self.seq = seq; self.hash = hash }

    /// "12:eb7fa772…" (64 hex digits), or nil.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 1, parts[1].utf8.count == 64,
              parts[1].utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) })
        else { return nil }
        self.init(seq: seq, hash: parts[1].lowercased())
    }

    public var description: String { "\(seq):\(hash)" }
}

extension ChainVerification {
    /// The anchor to keep for the next verification: the last row and its hash (nil for an empty log).
    public var headAnchor: ChainAnchor? { count == 0 ? nil : ChainAnchor(seq: Int64(count), hash: headHash) }
}
