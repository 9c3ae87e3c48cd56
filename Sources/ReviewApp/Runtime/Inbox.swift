import Foundation

/// Messages from background work to the event loop: a lock-protected queue that any thread posts
/// to and the loop drains between keys. It never blocks the poster for longer than an append.
public final class Inbox: @unchecked Sendable {
    // @unchecked: every access to `messages` holds `lock`.
    private let lock = NSLock()
    private var messages: [Message] = []

    public init() {}

    public func post(_ message: Message) {
        lock.lock(); messages.append(message); lock.unlock()
    }

    /// Everything posted so far, oldest first, and empties the queue.
    public func drain() -> [Message] {
        lock.lock(); defer { lock.unlock() }
        let out = messages
        messages.removeAll(keepingCapacity: true)
        return out
    }
}

/// A cancellation flag a scoring job polls.
public final class CancelFlag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false
    public init() {}
    public func cancel() { lock.lock(); value = true; lock.unlock() }
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
