import Foundation
import GRDB

extension AppDatabase {
    /// The live queue on SQLite (see `StoreChangeWatch`): GRDB's `DatabaseRegionObservation` of the
    /// cases, predictions, decisions, chart notes and early predictions fires after every transaction
    /// of this process that touched them; a `FileChangeWatch` on the database's directory (inotify on
    /// Linux) fires when another process writes the file or its WAL — GRDB observes only its own pool.
    /// A file whose watch cannot be set up (inotify refused) throws: the screen then reloads on its
    /// timer rather than trust a feed that would miss the other coders.
    public func watchChanges(_ changed: @escaping @Sendable () -> Void) throws -> StoreChangeWatch {
        let watch = StoreChangeWatch(changed)
        let observation = DatabaseRegionObservation(tracking: Table("cases"), Table("predictions"), Table("decisions"),
                                                    Table("case_notes"), Table("early_predictions"))
        let cancellable = observation.start(in: writer, onError: { _ in }, onChange: { _ in watch.notify() })
        let box = UncheckedBox(cancellable)
        var files: FileChangeWatch?
        if let pool = writer as? DatabasePool {
            let url = URL(fileURLWithPath: pool.path)
            let name = url.lastPathComponent
            files = FileChangeWatch(directory: url.deletingLastPathComponent().path,
                                    names: [name, name + "-wal"]) { watch.notify() }
            if files == nil {
                cancellable.cancel()
                throw StoreError.io("cannot watch \(pool.path) for other processes' changes (inotify refused)")
            }
        }
        let fileBox = UncheckedBox(files)
        watch.onCancel { box.value.cancel(); fileBox.value?.cancel() }
        watch.markReady()
        return watch
    }
}

/// Holds a value that is only used to cancel it once (GRDB's cancellable, the file watch).
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
