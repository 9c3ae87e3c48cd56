import DRGKit
import Foundation
import TerminalUI

/// The update function: `update(&state, event) -> [Effect]`. Pure: it reads only its arguments
/// (`state.now` is set by the loop before each call) and performs no I/O; effects say what to do.
public enum ReviewUpdate {
    /// The effects to run when the program starts.
    public static func start(_ state: AppState) -> [Effect] {
        // Every view verifies the log first: the coder's screen records nothing on a broken chain.
        // The coder's checks the log's links; the auditor's and trainer's the whole store.
        [.loadQueue, .loadDecisions, state.view == .code ? .verifyLinks : .verifyChain]
    }

    /// With a live queue, the refresh timer (every 5 s) still reloads once in this many refreshes.
    static let liveQueueSafetyReload = 12

    public static func update(_ state: inout AppState, _ event: AppEvent, _ env: ReviewEnvironment) -> [Effect] {
        switch event {
        case .tick:
            state.spinnerPhase &+= 1
            return retryIfDue(&state)
        case .refresh:
            // With a live feed the queue reloads when the store says it changed; the timer renews
            // the open case's lease (the heartbeat) and reloads only once every `liveQueueSafetyReload`
            // refreshes, in case the feed died without a word (a network path that silently drops).
            state.refreshes &+= 1
            let timerReloads = !state.liveQueue || state.refreshes % liveQueueSafetyReload == 0
            let reload: [Effect] = !timerReloads || state.outage != nil ? [] : state.view == .code ? [.loadQueue] : [.loadDecisions]
            guard state.view == .code else { return reload }
            // Only while the coder holds the open case (a decision gives it back; an undo keeps it).
            if let s = state.session, s.detail.summary.claimHolder == state.user,
               state.now.timeIntervalSince(s.claimRenewedAt) >= claimHeartbeat {
                state.session?.claimRenewedAt = state.now
                return reload + [.renewClaim(s.id)]
            }
            return reload
        case .input(.resize(let size)):
            state.size = size
            return []
        case .input(.mouse(let mouse)):
            return click(&state, mouse, env)
        case .input(.key(let key)):
            return press(&state, key, env)
        case .message(let message):
            return receive(&state, message, env)
        }
    }

    // MARK: - Keys

    static func press(_ state: inout AppState, _ key: Key, _ env: ReviewEnvironment) -> [Effect] {
        state.flash = nil
        let scopes = state.activeScopes
        if let scope = scopes.first, scope.typesText, let c = key.typedCharacter {
            return type(c, &state, env)
        }
        switch ReviewKeyMap.table.resolve(key, in: scopes, context: state) {
        case .perform(let action):
            return perform(action, &state, env)
        case .disabled(_, let reason):
            state.flash = Flash(reason, role: .warning)
            return []
        case .unbound:
            if ReviewLayout.tooSmall(state) == nil {
                state.flash = Flash("\(key) does nothing here; ? lists the keys", role: .muted)
            }
            return []
        }
    }

    static func type(_ c: Character, _ state: inout AppState, _ env: ReviewEnvironment) -> [Effect] {
        switch state.modal {
        case .picker(var picker):
            picker.query.append(c)
            picker.results = env.catalog.search(picker.query, limit: 50)
            picker.cursor = 0
            state.modal = .picker(picker)
        case .whatIf(var panel):
            let effects = editWhatIfQuery(&panel) { $0.append(c) }
            state.modal = .whatIf(panel)
            return effects
        case .reasons(var form):
            form.note.append(c)
            state.modal = .reasons(form)
        default:
            if state.searching && state.view == .audit { state.search.append(c); return [] }
            if state.searching { state.search.append(c); state.queueCursor = 0; return noteSearch(state) }
        }
        return []
    }

    /// Asks the store which notes hold the search's words (3 characters and up; ids and DRGs match at once).
    static func noteSearch(_ state: AppState) -> [Effect] {
        state.search.trimmingCharacters(in: .whitespaces).count >= 3 ? [.searchNotes(state.search)] : []
    }

    /// Seconds between renewals of the open case's lease (the store's lease is 15 minutes).
    public static let claimHeartbeat: TimeInterval = 60

    static func clamp(_ value: Int, _ count: Int) -> Int { count <= 0 ? 0 : min(max(0, value), count - 1) }
}

