#if canImport(Glibc)
import Glibc
#endif
import DRGKit
import Foundation

/// Background scoring (DESIGN: the UI thread never waits on the model).
///
/// The loop tells it which cases it wants scored, most wanted first (`want`): the open case, then
/// a few ahead in the queue. One job runs at a time on a serial `DispatchQueue` (the model uses
/// every core already); when the wanted list changes, a running job whose case is no longer wanted
/// is cancelled (the classifier polls `isCancelled` between layers) and the next wanted case
/// starts. Progress, results, failures and cancellations are posted to the `Inbox`; results are
/// saved to the store on the same queue before they are posted.
///
/// It deliberately keeps no cache of its own: a case it scored is in the store.
public final class ScoringCoordinator: @unchecked Sendable {
    // @unchecked: `wanted`, `done`, `running`, `runningFlag` and `occlusionFlags` are only touched under `lock`.
    private let lock = NSLock()
    private let queue = DispatchQueue(label: "drgcoder.scoring", qos: .userInitiated)
    private let scorer: Scorer
    private let source: ReviewDataSource
    private let inbox: Inbox
    private var wanted: [CaseID] = []
    private var done: Set<CaseID> = []
    private var running: CaseID?
    private var runningFlag: CancelFlag?
    private var occlusionFlags: [CancelFlag] = []

    public init(scorer: Scorer, source: ReviewDataSource, inbox: Inbox) {
        self.scorer = scorer; self.source = source; self.inbox = inbox
    }

    /// Replaces the wanted list; cancels the running job if its case left the list.
    public func want(_ ids: [CaseID]) {
        lock.lock()
        wanted = ids.filter { !done.contains($0) }
        if let r = running, !wanted.contains(r) { runningFlag?.cancel() }
        let idle = running == nil
        lock.unlock()
        if idle { startNext() }
    }

    /// Runs sentence occlusion for `drg` on the case's model text, on the scoring queue; posts
    /// `.occluded` or `.occlusionFailed`. The coder asked for it, so it goes before scoring ahead: a job
    /// running for another case is cancelled and wanted again after it. Cancelled on quit.
    public func occlude(_ id: CaseID, drg: String, text: String) {
        let flag = CancelFlag()
        lock.lock()
        occlusionFlags.append(flag)
        if let r = running, r != id {
            runningFlag?.cancel()
            wanted.insert(r, at: 0)
        }
        lock.unlock()
        queue.async { [self] in
            do {
                let spans = try scorer.occlusionEvidence(text: text, drg: drg, isCancelled: { flag.isCancelled })
                inbox.post(.occluded(id, drg: drg, spans))
            } catch is CancellationError {
                inbox.post(.occlusionFailed(id, "cancelled"))
            } catch {
                inbox.post(.occlusionFailed(id, String(describing: error)))
            }
        }
    }

    /// Cancels everything (quitting).
    public func cancelAll() {
        lock.lock(); let flags = occlusionFlags; occlusionFlags = []; lock.unlock()
        flags.forEach { $0.cancel() }
        want([])
    }

    /// Waits until the queue has finished what it is doing (for the non-interactive demo).
    public func waitUntilIdle() { queue.sync {} }

    private func startNext() {
        lock.lock()
        guard running == nil, let id = wanted.first else { lock.unlock(); return }
        wanted.removeFirst()
        let flag = CancelFlag()
        running = id; runningFlag = flag
        lock.unlock()
        queue.async { [self] in
            let finished = run(id, flag)
            lock.lock()
            running = nil; runningFlag = nil
            // A cancelled job is not done: the case is scored again when it is wanted again.
            if finished { done.insert(id) }
            lock.unlock()
            startNext()
        }
    }

    /// Scores one case; false when the job was cancelled (so it is not marked done).
    private func run(_ id: CaseID, _ flag: CancelFlag) -> Bool {
        #if canImport(Glibc)
        // The model runs niced on this worker thread, so the thread that reads keys always gets the CPU first.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)   // Linux: who = 0 is the calling thread
        #endif
        do {
            let detail = try source.detail(of: id)
            if let existing = detail.prediction { inbox.post(.scored(id, existing)); return true }
            inbox.post(.scoreProgress(id, 0))
            let inbox = self.inbox
            let shown = try scorer.score(text: detail.sectionText, isCancelled: { flag.isCancelled },
                                         progress: { inbox.post(.scoreProgress(id, $0)) })
            let saved = try source.save(shown, for: id)
            inbox.post(.scored(id, saved))
        } catch is CancellationError {
            inbox.post(.scoreCancelled(id))
            return false
        } catch {
            inbox.post(.scoreFailed(id, String(describing: error)))
        }
        return true
    }
}
