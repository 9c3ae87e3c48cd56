import Crypto
import Foundation

/// The tamper-evident hash chain over the decision log.
///
/// Each row's `hash` is
///
///     hash(n) = lowercase hex of SHA-256( prev_hash(n) ‖ canonical(row n) )
///
/// where `prev_hash(n)` is the 64 ASCII hex characters of `hash(n-1)` (64 `0`s for the first row)
/// and `canonical` is the UTF-8 text
///
///     drgcoder-decision-v1\n
///     <name>:<value field>\n        one line per column below, in this order
///
/// with `<value field>` = `-` for SQL NULL, otherwise `<byte length>:<bytes>` (decimal length of the
/// UTF-8 value; integers written in decimal ASCII). The length prefix makes the encoding
/// unambiguous even when a note contains newlines or colons. Columns, in order:
/// `seq, case_id, case_external_id, user, role, action, chosen_drg, model_top_drg, prediction_id,
/// prediction_sha256, reason_code, note, time_spent_ms, decided_at, reverses_seq` — every column of
/// `decisions` except `prev_hash` (already the prefix) and `hash`; then, only when it is not NULL,
/// `confirmed_codes` (migration "v3 decision codes"), so that every row written before it keeps its hash.
///
/// Example (first row, recomputable in a shell; docs/STORE.md walks through it):
///
///     printf '%s' 0000…0000 > m
///     printf 'drgcoder-decision-v1\nseq:1:1\ncase_id:1:1\n…reverses_seq:-\n' >> m
///     sha256sum m
///
/// Deleting a row breaks the next row's `prev_hash` (or leaves a gap in `seq`); editing any column
/// changes that row's hash. It does not by itself reveal the removal of the *last* rows: compare
/// the head hash with one recorded earlier (`audit verify --expect-head`).
public enum DecisionChain {
    public static let genesisHash = String(repeating: "0", count: 64)
    public static let formatTag = "drgcoder-decision-v1"

    /// The fields that are hashed, in order, as `(column name, value or nil for NULL)`.
    public static func fields(of row: DecisionRecord) -> [(String, String?)] {
        [
            ("seq", String(row.seq)),
            ("case_id", String(row.caseID)),
            ("case_external_id", row.caseExternalID),
            ("user", row.user),
            ("role", row.role.rawValue),
            ("action", row.action.rawValue),
            ("chosen_drg", row.chosenDRG),
            ("model_top_drg", row.modelTopDRG),
            ("prediction_id", row.predictionID.map(String.init)),
            ("prediction_sha256", row.predictionSHA256),
            ("reason_code", row.reasonCode),
            ("note", row.note),
            ("time_spent_ms", String(row.timeSpentMilliseconds)),
            ("decided_at", row.decidedAt),
            ("reverses_seq", row.reversesSeq.map(String.init)),
        ] + (row.confirmedCodes.map { [("confirmed_codes", $0)] } ?? [])
    }

    /// The canonical encoding of `row` (without `prev_hash` and `hash`).
    public static func canonicalEncoding(of row: DecisionRecord) -> [UInt8] {
        var text = formatTag + "\n"
        for (name, value) in fields(of: row) {
            if let value {
                text += "\(name):\(value.utf8.count):\(value)\n"
            } else {
                text += "\(name):-\n"
            }
        }
        return Array(text.utf8)
    }

    /// `hash(n)` for `row` chained after `prevHash`.
    public static func hash(of row: DecisionRecord, after prevHash: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(prevHash.utf8))
        hasher.update(data: canonicalEncoding(of: row))
        return hexString(hasher.finalize())
    }

    /// Lowercase hex SHA-256 of `bytes` (used for prediction JSON too).
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hexString(SHA256.hash(data: Array(bytes)))
    }

    static func hexString(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
