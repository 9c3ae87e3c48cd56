import Foundation

/// The store cannot be reached (a PostgreSQL server down or refusing this user's password): the
/// header says so in one line, the screen keeps everything the coder typed and retries with
/// backoff (1, 2, 4, 8, then every 10 s), probing with a queue load or with the decision that is waiting.
public struct StoreOutage: Sendable, Equatable {
    /// The store's one-line reason.
    public var message: String
    /// Failed tries so far (the backoff grows with it).
    public var attempts: Int
    /// When the next try runs.
    public var retryAt: Date
    /// A try is on its way (no second one is queued behind it: a call may take seconds to fail).
    public var probing = false

    /// Seconds before the next try after `attempts` failures: 1, 2, 4, 8, then every 10 (a server
    /// that is back is used within 10 s; a screen's probe every 10 s costs the server nothing).
    public static func backoff(after attempts: Int) -> TimeInterval {
        min(10, pow(2, Double(max(0, attempts - 1))))
    }
}

/// A decision the coder made while the store was out of reach: recorded once it is back. Its
/// first try may have reached the store before the connection broke, so a retry first looks in
/// the log after `afterSeq` for the same decision (`DecisionDraft.isRecorded(as:)`) and writes it
/// only when it is not there: never lost, never doubled.
public struct PendingDecision: Sendable, Equatable {
    public var draft: DecisionDraft
    /// The log's last row this screen knew before the first try (nil: look at the whole log).
    public var afterSeq: Int64?
    public init(draft: DecisionDraft, afterSeq: Int64?) { self.draft = draft; self.afterSeq = afterSeq }
}

extension DecisionDraft {
    /// Whether `logged` is this draft as the store wrote it (same case, user, role, kind, reasons,
    /// note and time spent — the milliseconds make a coincidence practically impossible).
    public func isRecorded(as logged: LoggedDecision) -> Bool {
        logged.caseID == caseID && logged.user == user && logged.role == role && logged.kind == kind
            && logged.reasons == reasons && logged.note == Self.stored(note) && logged.timeSpentMilliseconds == timeSpentMilliseconds
            && (drg == nil || logged.chosenDRG == drg)
    }

    /// A note as the store keeps it: a blank one (spaces, new lines) is no note.
    static func stored(_ note: String?) -> String? {
        guard let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return note
    }
}

/// Thrown by a data source when the store is out of reach (not when it refuses a request): the
/// screen treats it as an outage (`StoreOutage`) instead of an error flash.
public struct StoreUnreachable: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
