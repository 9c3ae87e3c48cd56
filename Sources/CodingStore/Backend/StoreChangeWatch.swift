import Foundation

/// A live feed of "the queue may have changed": the review screen's queue reloads when it fires,
/// instead of polling. `StoreBackend.watchChanges` starts one — on SQLite through GRDB's
/// observation (writes through this process's pool) plus a watch on the database's files (writes by
/// other processes), on PostgreSQL through LISTEN/NOTIFY (the schema's triggers notify
/// `drgcoder_queue` on every change to cases, predictions, decisions, chart notes and early predictions).
///
/// Bursts are coalesced: one call of `changed` per `coalescing` interval at most, after the first
/// change in it. `changed` runs on a background queue; it must only post (e.g. to the screen's inbox).
///
/// ```swift
/// let watch = try store.watchChanges { inbox.post(.queueChanged) }
/// defer { watch.cancel() }
/// ```
public final class StoreChangeWatch: @unchecked Sendable {
    // @unchecked: `scheduled`, `cancelled` and `stop` are only touched under `lock`.
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "drgcoder.store-changes")
    private let changed: @Sendable () -> Void
    private let coalescing: TimeInterval
    private var scheduled = false
    private var cancelled = false
    private var stop: (@Sendable () -> Void)?
    private let readySignal = DispatchSemaphore(value: 0)

    public init(coalescing: TimeInterval = 0.1, _ changed: @escaping @Sendable () -> Void) {
        self.changed = changed; self.coalescing = coalescing
    }

    /// What `cancel` undoes (the backend's observation, its connection or file watch).
    public func onCancel(_ stop: @escaping @Sendable () -> Void) {
        let runNow = lock.withLock { () -> Bool in
            if cancelled { return true }
            self.stop = stop
            return false
        }
        if runNow { stop() }
    }

    /// Called by the backend for each change it sees; coalesced into one `changed` call.
    public func notify() {
        let schedule = lock.withLock { () -> Bool in
            guard !cancelled, !scheduled else { return false }
            scheduled = true
            return true
        }
        guard schedule else { return }
        queue.asyncAfter(deadline: .now() + coalescing) { [self] in
            let deliver = lock.withLock { () -> Bool in scheduled = false; return !cancelled }
            if deliver { changed() }
        }
    }

    /// The backend says it is listening now (a change from here on is seen).
    public func markReady() { readySignal.signal() }

    /// Waits until the backend listens (tests: a change made before that could be missed); false on timeout.
    public func waitUntilReady(timeout: TimeInterval) -> Bool {
        guard readySignal.wait(timeout: .now() + timeout) == .success else { return false }
        readySignal.signal()   // later waiters pass too
        return true
    }

    /// Stops the feed; `changed` is not called afterwards (one already running may finish).
    public func cancel() {
        let stop = lock.withLock { () -> (@Sendable () -> Void)? in
            cancelled = true
            defer { self.stop = nil }
            return self.stop
        }
        stop?()
    }
}
