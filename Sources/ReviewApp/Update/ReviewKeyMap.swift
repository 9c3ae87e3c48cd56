import TerminalUI

/// The one key-binding table of the program (STYLE.md 9). Dispatch, the footer, the `?` overlay and
/// docs/KEYBINDINGS.md all read it; `ReviewKeyMapTests` keeps the document equal to `markdown`.
public enum ReviewKeyMap {
    public typealias Binding = KeyBinding<Action, Scope, AppState>

    public static let table = KeyBindingTable<Action, Scope, AppState>(global + queue + caseView + modals + audit + train)

    /// docs/KEYBINDINGS.md.
    public static var markdown: String {
        table.markdown(title: "drgcoder review — key bindings", scopes: Scope.allCases.map { ($0, $0.title) })
    }

    static let noCase: @Sendable (AppState) -> String? = { $0.session == nil ? "no case is open" : nil }
    static let noPrediction: @Sendable (AppState) -> String? = { s in
        guard let session = s.session else { return "no case is open" }
        if session.prediction == nil { return s.modelName == nil ? "no model loaded: override instead" : "the model has not scored this case yet" }
        return nil
    }
    static let noSpans: @Sendable (AppState) -> String? = { s in
        guard let session = s.session else { return "no case is open" }
        return session.spans.isEmpty ? "the model gave no evidence spans" : nil
    }
    static let nothingToUndo: @Sendable (AppState) -> String? = { s in
        guard let session = s.session else { return "no case is open" }
        return DecisionLog.undoable(s.decisions, caseID: session.id) == nil ? "nothing to undo on this case" : nil
    }

    static let noCoding: @Sendable (AppState) -> String? = { s in
        guard let d = AuditFilter.selected(s) else { return "select a decision" }
        return d.kind == .accept || d.kind == .override ? nil : "a finding is on an accept or override"
    }

    static let noWhatIf: @Sendable (AppState) -> String? = { WhatIfState.unavailable($0.session) }

    static let global: [Binding] = [
        Binding([.character("?")], .help, scopes: [.global], description: "Show or hide this help", short: "Help", group: "General", footer: true),
        Binding([.character("q"), .control("c")], .quit, scopes: [.global], description: "Quit (the terminal is restored)", short: "Quit", group: "General", footer: true),
        Binding([.tab], .switchPane, scopes: [.queue, .caseView], description: "Switch between the queue and the open case", short: "Pane", group: "General",
                disabledReason: { $0.session == nil && $0.focus == .queue ? "open a case first" : nil }),
    ]

    static let queue: [Binding] = [
        Binding([.character("j"), .down], .queueDown, scopes: [.queue], description: "Next case in the list", short: "Down", group: "Queue"),
        Binding([.character("k"), .up], .queueUp, scopes: [.queue], description: "Previous case in the list", short: "Up", group: "Queue"),
        Binding([.character("g"), .home], .queueTop, scopes: [.queue], description: "First case", short: "Top", group: "Queue"),
        Binding([.character("G"), .end], .queueBottom, scopes: [.queue], description: "Last case", short: "Bottom", group: "Queue"),
        Binding([.enter], .openCase, scopes: [.queue], description: "Open the selected case (claims it)", short: "Open", group: "Queue", footer: true,
                disabledReason: { $0.selectedCase == nil ? "the list is empty" : nil }),
        Binding([.character("n")], .claimNext, scopes: [.queue, .caseView], description: "Claim and open the next case", short: "Next", group: "Queue", footer: true),
        Binding([.character("f")], .cycleFilter, scopes: [.queue], description: "Cycle the status filter (all, open, mine, done, deferred, flagged)", short: "Filter", group: "Queue", footer: true),
        Binding([.character("s")], .cycleSort, scopes: [.queue], description: "Cycle the order (queue, confidence, payment at stake, age)", short: "Sort", group: "Queue", footer: true),
        Binding([.character("/")], .startSearch, scopes: [.queue, .caseView], description: "Search the queue by case id, DRG or words in the note (Enter opens the match)", short: "Search", group: "Queue", footer: true),
    ]

    static let caseView: [Binding] = [
        Binding([.character("a")], .acceptTop, scopes: [.caseView], description: "Accept the model's top DRG", short: "Accept", group: "Decide", footer: true, disabledReason: noPrediction),
        Binding([.enter], .acceptSelected, scopes: [.caseView], description: "Accept the selected DRG of the ranking", short: "Take", group: "Decide", footer: true, disabledReason: noPrediction),
        Binding([.character("o")], .override, scopes: [.caseView], description: "Override: pick any DRG of the version", short: "Override", group: "Decide", footer: true, disabledReason: noCase),
        Binding([.character("d")], .deferCase, scopes: [.caseView], description: "Defer the case", short: "Defer", group: "Decide", disabledReason: noCase),
        Binding([.character("!")], .flag, scopes: [.caseView], description: "Flag the case for an auditor (with reasons and a note)", short: "Flag", group: "Decide", disabledReason: noCase),
        Binding([.character("u")], .undo, scopes: [.caseView], description: "Undo the last decision on this case (logged as a compensating entry)", short: "Undo", group: "Decide", footer: true, disabledReason: nothingToUndo),
        Binding([.character("w")], .whatIf, scopes: [.caseView], description: "What-if: add or remove secondary diagnoses, see the DRG and payment (records nothing)", short: "What-if", group: "Codes", footer: true, disabledReason: noWhatIf),
        Binding([.character("j"), .down], .rankDown, scopes: [.caseView], description: "Select the next DRG of the ranking", short: "Down", group: "Ranking"),
        Binding([.character("k"), .up], .rankUp, scopes: [.caseView], description: "Select the previous DRG of the ranking", short: "Up", group: "Ranking"),
        Binding([.character("J"), .pageDown, .character(" ")], .noteDown, scopes: [.caseView], description: "Scroll the note down", short: "Note↓", group: "Note"),
        Binding([.character("K"), .pageUp], .noteUp, scopes: [.caseView], description: "Scroll the note up", short: "Note↑", group: "Note"),
        Binding([.character("]")], .nextSpan, scopes: [.caseView], description: "Jump to the next evidence span", short: "Span", group: "Note", disabledReason: noSpans),
        Binding([.character("[")], .previousSpan, scopes: [.caseView], description: "Jump to the previous evidence span", short: "Span", group: "Note", disabledReason: noSpans),
        Binding([.character("e")], .toggleFullNote, scopes: [.caseView], description: "Show the whole note / the section the model read", short: "Note", group: "Note", footer: true),
        Binding([.character("O")], .occlude, scopes: [.caseView], description: "Sentence occlusion for the selected DRG: the sentences that move it (one model run per sentence; slow)", short: "Occlude", group: "Note",
                disabledReason: { s in s.modelName == nil ? "no model loaded" : s.session?.selectedDRG == nil ? "select a ranked DRG first" : s.session?.occlusion != nil && s.session?.occlusion?.spans == nil ? "occlusion is running" : nil }),
        Binding([.character("z")], .zoomNote, scopes: [.caseView], description: "Let the note fill the screen, or give the ranking back", short: "Zoom", group: "Note"),
        Binding([.escape, .character("h")], .closeCase, scopes: [.caseView], description: "Back to the queue (the case stays open)", short: "Queue", group: "General"),
    ]

    static let modals: [Binding] = [
        Binding([.down, .control("n")], .pickerDown, scopes: [.picker], description: "Next match", short: "Down", group: "Picker"),
        Binding([.up, .control("p")], .pickerUp, scopes: [.picker], description: "Previous match", short: "Up", group: "Picker"),
        Binding([.enter], .choose, scopes: [.picker, .reasons, .reasonNote, .search], description: "Choose / record / finish", short: "OK", group: "Form", footer: true),
        Binding([.escape], .cancel, scopes: [.picker, .reasons, .reasonNote, .search, .help], description: "Cancel", short: "Cancel", group: "Form", footer: true),
        Binding([.down, .control("n")], .pickerDown, scopes: [.whatIf], description: "Next secondary or match", short: "Down", group: "What-if"),
        Binding([.up, .control("p")], .pickerUp, scopes: [.whatIf], description: "Previous secondary or match", short: "Up", group: "What-if"),
        Binding([.enter], .whatIfToggle, scopes: [.whatIf], description: "Add the match, or remove / put back the secondary, under the cursor", short: "Add/Remove", group: "What-if", footer: true),
        Binding([.escape], .cancel, scopes: [.whatIf], description: "Leave the what-if (nothing changes, nothing is recorded)", short: "Leave", group: "What-if", footer: true),
        Binding([.backspace], .deleteBackward, scopes: [.picker, .whatIf, .reasonNote, .search], description: "Delete the last character", short: "Del", group: "Form"),
        Binding([.character("?"), .character("q")], .help, scopes: [.help], description: "Close the help", short: "Close", group: "Form"),
        Binding([.character("j"), .down], .reasonDown, scopes: [.reasons], description: "Next reason", short: "Down", group: "Reasons"),
        Binding([.character("k"), .up], .reasonUp, scopes: [.reasons], description: "Previous reason", short: "Up", group: "Reasons"),
        Binding([.character(" "), .character("x")], .toggleReasonAtCursor, scopes: [.reasons], description: "Tick or untick the reason under the cursor", short: "Tick", group: "Reasons", footer: true),
        Binding([.tab], .switchField, scopes: [.reasons, .reasonNote], description: "Move between the reason list and the free note", short: "Note", group: "Reasons", footer: true),
    ] + ReasonCode.all.indices.map { i in
        Binding([.character(Character(String(i + 1)))], .toggleReason(i), scopes: [.reasons],
                description: "Tick reason \(ReasonCode.all[i].code): \(ReasonCode.all[i].label)", short: ReasonCode.all[i].code, group: "Reasons")
    }

    static let audit: [Binding] = [
        Binding([.character("j"), .down], .auditNext, scopes: [.audit], description: "Next decision", short: "Next", group: "Replay", footer: true),
        Binding([.character("k"), .up], .auditPrevious, scopes: [.audit], description: "Previous decision", short: "Prev", group: "Replay"),
        Binding([.character("J"), .pageDown], .noteDown, scopes: [.audit], description: "Scroll the note down", short: "Note↓", group: "Replay"),
        Binding([.character("K"), .pageUp], .noteUp, scopes: [.audit], description: "Scroll the note up", short: "Note↑", group: "Replay"),
        Binding([.character("u")], .auditFilterUser, scopes: [.audit], description: "Cycle the user filter", short: "User", group: "Filter", footer: true),
        Binding([.character("r")], .auditFilterDate, scopes: [.audit], description: "Cycle the date range (all, today, 7 days)", short: "Dates", group: "Filter", footer: true),
        Binding([.character("x")], .auditDisagreements, scopes: [.audit], description: "Only decisions that disagree with the model", short: "Disagree", group: "Filter", footer: true),
        Binding([.character("!")], .auditFlagged, scopes: [.audit], description: "Only flags", short: "Flags", group: "Filter"),
        Binding([.character("v")], .verifyChain, scopes: [.audit], description: "Verify the hash chain again", short: "Verify", group: "Replay", footer: true),
        Binding([.character("/")], .startSearch, scopes: [.audit], description: "Jump to a case by its id", short: "Case", group: "Replay", footer: true),
        Binding([.character("a")], .auditAgree, scopes: [.audit], description: "Finding: agree with the selected coding (recorded as the auditor, in the chain)", short: "Agree", group: "Finding", footer: true, disabledReason: noCoding),
        Binding([.character("d")], .auditDisagree, scopes: [.audit], description: "Finding: disagree, with your DRG and a reason (recorded as the auditor)", short: "Disagree", group: "Finding", footer: true, disabledReason: noCoding),
        Binding([.character("e")], .exportFindings, scopes: [.audit], description: "Export the auditors' findings as CSV beside the database", short: "Export", group: "Finding"),
    ]

    static let train: [Binding] = [
        Binding([.character("j"), .down], .trainDown, scopes: [.train], description: "Next confusion pair", short: "Down", group: "Lists"),
        Binding([.character("k"), .up], .trainUp, scopes: [.train], description: "Previous confusion pair", short: "Up", group: "Lists"),
        Binding([.character("x")], .export, scopes: [.train], description: "Export the decisions as training labels", short: "Export", group: "Export", footer: true),
        Binding([.character("f")], .cycleExportFormat, scopes: [.train], description: "Cycle the export format", short: "Format", group: "Export", footer: true),
        Binding([.character("c")], .toggleCorrectionsOnly, scopes: [.train], description: "Export corrections only / every coded case", short: "Corrections", group: "Export", footer: true),
    ]
}
