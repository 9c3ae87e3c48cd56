import TerminalUI

/// Everything a key can ask for. The update function switches over these; the key-binding table
/// (`ReviewKeyMap`) says which keys ask for which, where.
public enum Action: Hashable, Sendable {
    // Global
    case help, quit, switchPane
    // Queue
    case queueDown, queueUp, queueTop, queueBottom, openCase, claimNext, cycleFilter, cycleSort, startSearch
    // Case
    case rankDown, rankUp, acceptTop, acceptSelected, override, deferCase, flag, undo
    case noteDown, noteUp, nextSpan, previousSpan, toggleFullNote, zoomNote, closeCase, occlude
    // What-if panel: open it; add the match or remove / restore the secondary under the cursor
    case whatIf, whatIfToggle
    // Picker and reason form
    case pickerDown, pickerUp, choose, cancel, deleteBackward
    case reasonDown, reasonUp, toggleReasonAtCursor, toggleReason(Int), switchField
    // Audit
    case auditNext, auditPrevious, auditFilterUser, auditFilterDate, auditDisagreements, auditFlagged, verifyChain
    case auditAgree, auditDisagree, exportFindings
    // Train
    case trainDown, trainUp, export, cycleExportFormat, toggleCorrectionsOnly
}

/// Where a binding applies: a screen, a modal, or everywhere.
public enum Scope: String, Hashable, Sendable, CaseIterable {
    case global, queue, caseView = "case", picker, whatIf = "what-if", reasons, reasonNote = "reason-note", search, help, audit, train

    /// The section titles of docs/KEYBINDINGS.md.
    var title: String {
        switch self {
        case .global: return "Everywhere"
        case .queue: return "Queue (coder's view)"
        case .caseView: return "Open case (coder's view)"
        case .picker: return "Override picker"
        case .whatIf: return "What-if panel (records nothing)"
        case .reasons: return "Reasons (override, flag)"
        case .reasonNote: return "Free note (override, flag)"
        case .search: return "Queue search"
        case .help: return "Help overlay"
        case .audit: return "Auditor's view (--view audit)"
        case .train: return "Trainer's view (--view train)"
        }
    }

    /// Scopes in which printable keys type text instead of running bindings.
    var typesText: Bool { self == .picker || self == .whatIf || self == .reasonNote || self == .search }
}

extension AppState {
    /// The scopes that apply now, most specific first.
    public var activeScopes: [Scope] {
        if let modal {
            switch modal {
            case .help: return [.help, .global]
            case .picker: return [.picker, .global]
            case .whatIf: return [.whatIf, .global]
            case .reasons(let form): return [form.editingNote ? .reasonNote : .reasons, .global]
            }
        }
        if searching { return [.search, .global] }
        switch view {
        case .audit: return [.audit, .global]
        case .train: return [.train, .global]
        case .code: return [focus == .queue ? .queue : .caseView, .global]
        }
    }
}
