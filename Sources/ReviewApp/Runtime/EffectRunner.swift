import DRGKit
import Foundation

/// Performs effects. `DispatchEffectRunner` does the store's work on a serial I/O queue and posts
/// results to the inbox (the program); `InlineEffectRunner` does it at once on the caller's thread
/// (`ReviewDriver`), so a scripted key sequence is deterministic. Both hand scoring wishes to the
/// real `ScoringCoordinator`: there is one implementation of background scoring.
public protocol EffectRunner: AnyObject {
    func run(_ effect: Effect)
}

/// The store calls behind each effect, shared by both runners.
enum EffectWork {
    static func perform(_ effect: Effect, source: ReviewDataSource, codes: CodeCatalog, user: String,
                        verified: VerifiedHead, post: (Message) -> Void) {
        do {
            switch effect {
            case .loadQueue:
                post(.queueLoaded(try source.queue()))
            case .loadDecisions:
                post(.decisionsLoaded(try source.decisions()))
            case .openCase(let id, let claim):
                if claim { try source.claim(id, user: user) }
                post(.caseOpened(try source.detail(of: id)))
            case .claimNext(let leaving):
                if let id = try source.claimNext(user: user, leaving: leaving) {
                    post(.caseOpened(try source.detail(of: id)))
                } else {
                    post(.nothingToClaim)
                }
            case .renewClaim(let id):
                if try !source.renewClaim(id, user: user) { post(.claimLost(id)) }
            case .releaseClaim(let id):
                try source.releaseClaim(id, user: user)
            case .record(let draft):
                do {
                    try record(draft, source: source, verified: verified, post: post)
                } catch let outage as StoreUnreachable {
                    post(.storeUnreachable(outage.description, decision: draft))
                }
            case .retryRecord(let pending):
                do {
                    // The first try may have been written before the connection broke: look first.
                    if let written = try source.decisions().first(where: { $0.seq > (pending.afterSeq ?? 0) && pending.draft.isRecorded(as: $0) }) {
                        post(.recorded(written))
                    } else {
                        try record(pending.draft, source: source, verified: verified, post: post)
                    }
                } catch let outage as StoreUnreachable {
                    post(.storeUnreachable(outage.description, decision: pending.draft))
                } catch {
                    post(.pendingRefused(String(describing: error)))
                }
            case .loadAuditCase(let id, let predictionID):
                let detail = try source.detail(of: id)
                let shown = try predictionID.flatMap { try source.prediction(id: $0) }
                post(.auditCaseLoaded(detail, shown))
            case .verifyChain, .verifyLinks:
                let chain = try effect == .verifyChain ? source.verifyChain() : source.verifyChain(after: .genesis)
                verified.head = chain.verified ? chain.head : nil
                post(.chainVerified(chain))
            case .export(let format, let correctionsOnly, let url):
                let n = try source.export(format: format, correctionsOnly: correctionsOnly, to: url)
                post(.exported(count: n, path: url.path))
            case .exportFindings(let url):
                let n = try FindingsExport.write(try source.decisions(), to: url)
                post(.exported(count: n, path: url.path))
            case .searchNotes(let query):
                post(.notesMatched(query: query, try source.cases(withNoteWords: query)))
            case .searchDiagnoses(let query):
                post(.diagnosesFound(query: query, codes.diagnoses(matching: query, limit: ReviewUpdate.whatIfMatchLimit)))
            case .evaluateWhatIf(let question):
                post(.whatIfAnswered(codes.whatIf(question)))
            case .wantScores, .occlude:
                break
            }
        } catch let outage as StoreUnreachable {
            post(.storeUnreachable(outage.description, decision: nil))
        } catch {
            post(.failed(String(describing: error)))
        }
    }

    /// Checks what is new in the log since the last verified row (someone may have broken it), then appends.
    /// The session's first decision checks the links of the whole log (from `ChainHead.genesis`), not the
    /// whole store: on a department's server that would read every note before every first decision.
    private static func record(_ draft: DecisionDraft, source: ReviewDataSource, verified: VerifiedHead,
                               post: (Message) -> Void) throws {
        let chain = try source.verifyChain(after: verified.head ?? .genesis)
        verified.head = chain.verified ? chain.head : nil
        guard chain.verified else { post(.recordRefused(chain)); return }
        post(.chainVerified(chain))
        post(.recorded(try source.record(draft)))
    }
}

/// The program's runner: store work on one serial queue, ICD-10-CM searches and what-ifs on another (the
/// codes queue: building the search index takes seconds and must hold up neither keys nor the store),
/// scoring through the coordinator.
public final class DispatchEffectRunner: EffectRunner {
    private let io = DispatchQueue(label: "drgcoder.io", qos: .userInitiated)
    private let codesQueue = DispatchQueue(label: "drgcoder.codes", qos: .userInitiated)
    private let source: ReviewDataSource
    private let codes: CodeCatalog
    private let scoring: ScoringCoordinator?
    private let inbox: Inbox
    private let user: String
    /// Only the newest search, what-if, note search, queue load and log load run; older ones still
    /// queued are skipped.
    private let latest = LatestTicket()
    private let verified = VerifiedHead()

    public init(source: ReviewDataSource, codes: CodeCatalog, scoring: ScoringCoordinator?, inbox: Inbox, user: String) {
        self.source = source; self.codes = codes; self.scoring = scoring; self.inbox = inbox; self.user = user
    }

    public func run(_ effect: Effect) {
        if case .wantScores(let ids) = effect { scoring?.want(ids); return }
        if case .occlude(let id, let drg, let text) = effect { scoring?.occlude(id, drg: drg, text: text); return }
        let source = self.source, codes = self.codes, inbox = self.inbox, user = self.user, verified = self.verified
        let kind: String
        switch effect {
        case .searchDiagnoses: kind = "search"
        case .evaluateWhatIf: kind = "whatif"
        case .searchNotes, .loadQueue, .loadDecisions:
            // On the I/O queue (the store), and only the newest of each: a burst of live-queue changes
            // while a slow load runs leaves one load behind it, not one per change.
            let name = if case .searchNotes = effect { "notes" } else if case .loadQueue = effect { "queue" } else { "log" }
            let latest = self.latest, ticket = latest.take(name)
            io.async {
                guard latest.isNewest(ticket, name) else { return }
                EffectWork.perform(effect, source: source, codes: codes, user: user, verified: verified, post: inbox.post)
            }
            return
        default:
            io.async { EffectWork.perform(effect, source: source, codes: codes, user: user, verified: verified, post: inbox.post) }
            return
        }
        let latest = self.latest, ticket = latest.take(kind)
        codesQueue.async {
            guard latest.isNewest(ticket, kind) else { return }
            EffectWork.perform(effect, source: source, codes: codes, user: user, verified: verified, post: inbox.post)
        }
    }

    /// Waits for queued store and codes work (before the program exits).
    public func drain() { io.sync {}; codesQueue.sync {} }
}

/// Numbered requests per kind; a request is worth running only while no newer one of its kind exists.
final class LatestTicket: @unchecked Sendable {
    // @unchecked: `newest` is only touched under `lock`.
    private let lock = NSLock()
    private var newest: [String: Int] = [:]

    func take(_ kind: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        newest[kind, default: 0] += 1
        return newest[kind] ?? 0
    }

    func isNewest(_ ticket: Int, _ kind: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return newest[kind] == ticket
    }
}

/// The last row of the log verified by this screen (nil: check the whole log next time). Touched
/// on the I/O queue (and on the codes queue never: searches do not verify).
final class VerifiedHead: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: ChainHead?
    var head: ChainHead? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// The driver's runner: store work at once on the caller's thread; scoring wishes go to the real
/// coordinator (which scores on its own queue, as in the program).
public final class InlineEffectRunner: EffectRunner {
    private let source: ReviewDataSource
    private let codes: CodeCatalog
    private let scoring: ScoringCoordinator?
    private let inbox: Inbox
    private let user: String
    /// The last wanted list handed to the coordinator.
    public private(set) var wantedScores: [CaseID] = []
    /// Every effect run, in order (tests assert on it).
    public private(set) var log: [Effect] = []
    private let verified = VerifiedHead()

    public init(source: ReviewDataSource, codes: CodeCatalog, scoring: ScoringCoordinator?, inbox: Inbox, user: String) {
        self.source = source; self.codes = codes; self.scoring = scoring; self.inbox = inbox; self.user = user
    }

    public func run(_ effect: Effect) {
        log.append(effect)
        if case .wantScores(let ids) = effect { wantedScores = ids; scoring?.want(ids); return }
        if case .occlude(let id, let drg, let text) = effect { scoring?.occlude(id, drg: drg, text: text); return }
        EffectWork.perform(effect, source: source, codes: codes, user: user, verified: verified, post: inbox.post)
    }
}
