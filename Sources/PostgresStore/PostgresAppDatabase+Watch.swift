import CodingStore
import Foundation
import PostgresNIO

/// The live queue on PostgreSQL: LISTEN on `changeChannel`, which the schema's triggers NOTIFY
/// (once per statement, delivered at commit) whenever cases, predictions or decisions change.
extension PostgresAppDatabase {
    /// The channel the triggers of migration "v3 queue notifications" notify.
    public static let changeChannel = "drgcoder_queue"

    /// Listens on a connection of its own (outside the pool). When the connection drops (the server
    /// restarts, the network goes), it reconnects with backoff (0.5 s doubling to 10 s) and then
    /// reports one change: whatever happened while it was away is reloaded.
    public func watchChanges(_ changed: @escaping @Sendable () -> Void) throws -> StoreChangeWatch {
        let watch = StoreChangeWatch(changed)
        let place = self.place
        let live = LiveConnection()
        let task = Task.detached(executorPreference: PostgresBridge.executor) {
            var pause = 0.5, reconnected = false
            while !Task.isCancelled {
                if let connection = try? await Self.connectOnce(place) {
                    guard live.set(connection) else { try? await connection.close(); return }
                    do {
                        try await connection.listen(on: Self.changeChannel) { notifications in
                            // LISTEN went before this query on the same connection: it is in force now.
                            try await connection.query("SELECT 1", logger: Self.logger)
                            pause = 0.5
                            if reconnected { watch.notify() }
                            watch.markReady()
                            for try await _ in notifications { watch.notify() }
                        }
                    } catch {}
                    live.set(nil)
                    try? await connection.close()   // a connection must be closed before it is dropped
                }
                reconnected = true
                if Task.isCancelled { return }
                try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
                pause = min(pause * 2, 10)
            }
        }
        watch.onCancel {
            task.cancel()
            live.closeForGood()
        }
        return watch
    }

    /// The listening connection, closed when the watch is cancelled (its notification sequence
    /// then ends, and so does the task).
    private final class LiveConnection: @unchecked Sendable {
        // @unchecked: `connection` and `closed` are only touched under `lock`.
        private let lock = NSLock()
        private var connection: PostgresConnection?
        private var closed = false

        /// Keeps `connection` (nil: forget it); false when the watch was cancelled meanwhile.
        @discardableResult
        func set(_ connection: PostgresConnection?) -> Bool {
            lock.withLock {
                guard !closed else { return false }
                self.connection = connection
                return true
            }
        }

        func closeForGood() {
            let open = lock.withLock { () -> PostgresConnection? in closed = true; defer { connection = nil }; return connection }
            if let open { Task.detached(executorPreference: PostgresBridge.executor) { try? await open.close() } }
        }
    }
}
