#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import TerminalUI

/// Signals are process-wide, so these run one at a time.
@Suite(.serialized) struct SignalWatchTests {
    @Test func installUnblocksSignalsAThreadInherited() throws {
        // Simulate a parent that handed us a mask blocking SIGINT and SIGTERM (make, nohup, …).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        #expect(SignalWatch.isBlocked(SIGINT))
        #expect(SignalWatch.install(ttyFD: -1))
        #expect(!SignalWatch.isBlocked(SIGINT))
        #expect(!SignalWatch.isBlocked(SIGTERM))
        _ = SignalWatch.pendingSignals()
        raise(SIGTERM)
        raise(SIGINT)
        #expect(SignalWatch.pendingSignals() == [SIGTERM, SIGINT])
        #expect(SignalWatch.pendingSignals().isEmpty)
        SignalWatch.uninstall()
    }

    @Test func aThreadStartedAfterInstallCanReceiveSignals() throws {
        #expect(SignalWatch.install(ttyFD: -1))
        let done = DispatchSemaphore(value: 0)
        let blockedInWorker = LockedBox(true)
        Thread.detachNewThread {
            blockedInWorker.set(SignalWatch.isBlocked(SIGINT))
            done.signal()
        }
        done.wait()
        #expect(blockedInWorker.get() == false)
        SignalWatch.uninstall()
    }
}

final class LockedBox<T: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
}
