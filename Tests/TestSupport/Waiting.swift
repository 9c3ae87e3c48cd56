import Foundation

/// A flag one thread sets and another waits for, with a deadline: a test that waits on it fails
/// when the other side never gets there, instead of hanging the whole run.
public final class Flag: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = false

    public init() {}

    public func set() { lock.withLock { value = true } }
    public var isSet: Bool { lock.withLock { value } }

    /// Waits until the flag is set; false when `timeout` seconds pass first.
    public func wait(timeout: TimeInterval = 30) -> Bool {
        waitUntil(timeout: timeout) { isSet }
    }
}

/// Polls `condition` every `interval` seconds until it holds (true) or `timeout` seconds pass
/// (false). Give a costly condition (a database query) a longer interval.
public func waitUntil(timeout: TimeInterval = 30, every interval: TimeInterval = 0.002, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: interval)
    }
    return true
}

/// An error a test throws when a bounded wait runs out.
public struct TimedOut: Error, CustomStringConvertible {
    public var description: String
    public init(_ what: String) { description = "timed out waiting for \(what)" }
}

/// A value handed between threads, read and written under a lock.
public final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public var wrapped: Value {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
