import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// Key sequences scripted by action name through the embedded terminal, asserting the state, the
/// rows the store received and the frame.
@Suite struct UpdateTests {
    /// The coder's screen starts by checking the log's links (on a department's server the whole
    /// check would read every note); the auditor's and the trainer's by the whole check.
    @Test func theCodersStartChecksTheLinksAndTheAuditorsTheWholeStore() {
        var state = AppState(user: "alice", size: Size(width: 80, height: 24), now: Date(), modelName: nil)
        #expect(ReviewUpdate.start(state) == [.loadQueue, .loadDecisions, .verifyLinks])
        for view in [ViewMode.audit, .train] {
            state.view = view
            #expect(ReviewUpdate.start(state) == [.loadQueue, .loadDecisions, .verifyChain])
        }
    }

    @Test func claimNextOpensTheFirstQueuedCaseAndClaimsIt() throws {
        let (driver, source, _) = Sample.driver()
        try driver.press(.claimNext)
        #expect(driver.state.session?.id == 1)
        #expect(driver.state.focus == .caseView)
        #expect(source.claims.map(\.0) == [1])
        #expect(source.claims.map(\.1) == ["alice"])
        #expect(driver.frame.text.contains("N-1001 · Ranked DRGs"))
    }

    @Test func acceptTopRecordsTheModelsTopDRGWithTimeSpent() throws {
        let (driver, source, clock) = Sample.driver()
        try driver.press(.claimNext)
        clock.advance(seconds: 42)
        try driver.press(.acceptTop)
        let row = try #require(source.log.last)
        #expect(row.kind == .accept)
        #expect(row.chosenDRG == "291")
        #expect(row.predictionID == 100)
        #expect(row.timeSpentMilliseconds == 42_000)
        #expect(driver.frame.lines[0].contains("Accepted DRG 291 for N-1001"))
        #expect(source.cases[0].summary.status == .coded)
    }

    /// Issue 16: Enter on a ranking row that is not the top is an override, and asks for a reason
    /// exactly as `o` does (one rule: required by default).
    @Test func acceptSelectedOfANonTopDRGIsAnOverrideWithAReason() throws {
        let (driver, source, _) = Sample.driver()
        try driver.press(.claimNext)
        try driver.press(.rankDown)
        #expect(driver.state.session?.selectedDRG?.drg == "292")
        try driver.press(.acceptSelected)
        guard case .reasons(let form) = driver.state.modal else { Issue.record("no reason form"); return }
        #expect(form.kind == .override && form.drg == "292")
        try driver.press(.choose)                                   // no reason: refused, says why
        #expect(source.log.isEmpty)
        #expect(driver.state.flash?.text.hasPrefix("An override needs a reason") == true)
        try driver.press(.toggleReason(1)); try driver.press(.choose)
        #expect(source.log.last?.kind == .override)
        #expect(source.log.last?.chosenDRG == "292")
        #expect(source.log.last?.reasons == ["CC-MISSED"])
    }

    /// With the rule set to optional, both override paths record without a reason.
    @Test func theReasonRuleCanBeOptional() throws {
        var settings = ReviewSettings()
        settings.reasonRule = .optional
        let (driver, source, _) = Sample.driver(scored: [1, 2], settings: settings)
        try driver.press(.claimNext)
        try driver.press(.rankDown); try driver.press(.acceptSelected); try driver.press(.choose)
        try driver.press(.claimNext)
        try driver.press(.override); driver.type("293"); try driver.press(.choose); try driver.press(.choose)
        #expect(source.log.map(\.kind) == [.override, .override])
        #expect(source.log.map(\.reasons) == [[], []])
    }

    @Test func theOverridePickerAsksForAReasonToo() throws {
        let (driver, source, _) = Sample.driver()
        try driver.press(.claimNext)
        try driver.press(.override); driver.type("293"); try driver.press(.choose)
        try driver.press(.choose)
        #expect(source.log.isEmpty)
        #expect(driver.state.flash?.text.hasPrefix("An override needs a reason") == true)
        try driver.press(.toggleReason(2)); try driver.press(.choose)
        #expect(source.log.last?.reasons == ["CC-UNSUPPORTED"])
    }

    @Test func overrideThroughThePickerWithATypoReasonsAndNote() throws {
        let (driver, source, _) = Sample.driver()
        try driver.press(.claimNext)
        try driver.press(.override)
        guard case .picker(let initial) = driver.state.modal else { Issue.record("no picker"); return }
        #expect(initial.results.map(\.code).prefix(3) == ["291", "292", "293"])      // the model's top 10 first
        driver.type("pnemonia")                                                       // typo
        guard case .picker(let p) = driver.state.modal else { Issue.record("no picker"); return }
        #expect(p.results.map(\.code) == ["193", "194", "195"])
        try driver.press(.pickerDown)
        try driver.press(.choose)
        guard case .reasons(let form) = driver.state.modal else { Issue.record("no reason form"); return }
        #expect(form.drg == "194")
        try driver.press(.toggleReason(0))
        try driver.press(.switchField)
        driver.type("CXR infiltrate, q?")                                             // q and ? type, not quit/help
        #expect(!driver.state.quitRequested)
        try driver.press(.choose)
        let row = try #require(source.log.last)
        #expect(row.kind == .override)
        #expect(row.chosenDRG == "194")
        #expect(row.reasons == ["PDX"])
        #expect(row.note == "CXR infiltrate, q?")
        #expect(driver.state.modal == nil)
    }

    @Test func pickingTheModelsTopDRGInThePickerIsAnAccept() throws {
        let (driver, source, _) = Sample.driver()
        try driver.press(.claimNext)
        try driver.press(.override)
        driver.type("291")
        try driver.press(.choose)
        #expect(source.log.last?.kind == .accept)
    }

    @Test func undoWritesACompensatingEntry() throws {
        let (driver, source, _) = Sample.driver()
        try driver.press(.claimNext)
        try driver.press(.undo)                                  // nothing yet: disabled, says why
        #expect(source.log.isEmpty)
        #expect(driver.state.flash?.text == "nothing to undo on this case")
        try driver.press(.acceptTop)
        try driver.press(.undo)
        #expect(source.log.map(\.kind) == [.accept, .undo])
        #expect(source.log.last?.reverses == 1)
        #expect(source.cases[0].summary.status == .queued)
        #expect(DecisionLog.codings(driver.state.decisions).isEmpty)
    }

    @Test func deferAndFlagLeaveTheQueue() throws {
        let (driver, source, _) = Sample.driver(scored: [1, 2])
        try driver.press(.claimNext)
        try driver.press(.deferCase)
        try driver.press(.choose)                                   // a defer needs a reason (the default rule)
        #expect(source.log.isEmpty)
        try driver.press(.toggleReason(4)); try driver.press(.choose)
        try driver.press(.claimNext)
        #expect(driver.state.session?.id == 2)
        try driver.press(.flag)
        try driver.press(.toggleReason(4))
        try driver.press(.choose)
        #expect(source.log.map(\.kind) == [.defer, .flag])
        #expect(source.log.map(\.reasons) == [["QUERY"], ["QUERY"]])
        #expect(source.cases[0].summary.status == .deferred)
        #expect(source.cases[1].summary.status == .flagged)
    }

    @Test func anUnscoredCaseIsCodableAndScoresInTheBackground() throws {
        let model = GatedScorer(prediction: Sample.prediction)
        let (driver, source, _) = Sample.driver(scored: [], scorer: model)
        try driver.press(.claimNext)
        try driver.press(.acceptTop)                              // disabled until scored
        #expect(driver.state.flash?.text == "the model has not scored this case yet")
        // The current case is wanted first, then the next few unscored ones.
        #expect(driver.runner.wantedScores == [1, 2, 3, 4])
        model.release()                                           // the real coordinator's first job answers
        try driver.waitFor("the open case to be scored") { $0.session?.prediction != nil }
        #expect(driver.state.session?.prediction?.top?.drg == "291")
        #expect(source.cases[0].prediction?.id != nil)            // saved to the store
        try driver.press(.acceptTop)
        #expect(source.log.last?.chosenDRG == "291")
    }

    @Test func withoutAModelOverrideStillWorks() throws {
        let (driver, source, _) = Sample.driver(scored: [], model: false)
        try driver.press(.claimNext)
        #expect(driver.runner.wantedScores.isEmpty)
        try driver.press(.acceptTop)
        #expect(driver.state.flash?.text == "no model loaded: override instead")
        try driver.press(.override)
        driver.type("292")
        try driver.press(.choose)
        try driver.press(.toggleReason(0)); try driver.press(.choose)
        #expect(source.log.last?.kind == .override)
        #expect(source.log.last?.modelTopDRG == nil)
    }

    @Test func queueNavigationFilterAndSearch() throws {
        let (driver, _, _) = Sample.driver()
        try driver.press(.queueDown); try driver.press(.queueDown)
        #expect(driver.state.selectedCase?.externalID == "N-1003")
        try driver.press(.queueBottom)
        #expect(driver.state.selectedCase?.externalID == "N-1006")
        try driver.press(.startSearch)
        driver.type("1004")
        #expect(driver.state.visibleQueue.map(\.externalID) == ["N-1004"])
        try driver.press(.choose)                                   // Enter ends the search and opens the match
        #expect(driver.state.session?.id == 4)
        #expect(!driver.state.searching)
        try driver.press(.closeCase)
        try driver.press(.cycleFilter)                              // open
        #expect(driver.state.statusFilter == .open)
    }

    @Test func viKeysAndArrowsDoTheSame() {
        let (a, _, _) = Sample.driver()
        a.send(.key(.character("j")))
        let (b, _, _) = Sample.driver()
        b.send(.key(.down))
        #expect(a.state.queueCursor == 1)
        #expect(b.state.queueCursor == 1)
    }

    @Test func mouseClickSelectsThenOpens() throws {
        let (driver, _, _) = Sample.driver()
        let rows = try #require(ReviewLayout(driver.state).queueRows)
        driver.send(.mouse(MouseEvent(x: rows.x + 2, y: rows.y + 2)))
        #expect(driver.state.queueCursor == 2)
        #expect(driver.state.session == nil)
        driver.send(.mouse(MouseEvent(x: rows.x + 2, y: rows.y + 2)))
        #expect(driver.state.session?.id == 3)
    }

    @Test func mouseClickSelectsARankedDRG() throws {
        let (driver, _, _) = Sample.driver()
        try driver.press(.claimNext)
        let ranking = try #require(ReviewLayout(driver.state).rankingRows)
        driver.send(.mouse(MouseEvent(x: ranking.x + 5, y: ranking.y + 3)))
        #expect(driver.state.session?.rankCursor == 3)
    }

    @Test func resizeReflowsAndTooSmallRecovers() throws {
        let (driver, _, _) = Sample.driver()
        try driver.press(.claimNext)
        driver.send(.resize(Size(width: 60, height: 20)))
        #expect(driver.frame.text.contains("Terminal too small"))
        driver.send(.resize(Size(width: 160, height: 48)))
        #expect(driver.frame.size == Size(width: 160, height: 48))
        #expect(driver.frame.text.contains("Queue 6/6"))             // the wide layout keeps the queue visible
        #expect(driver.frame.text.contains("N-1001 · Ranked DRGs"))
    }

    @Test func spansJumpAndTheWholeNoteIsOneKeyAway() throws {
        let (driver, _, _) = Sample.driver()
        try driver.press(.claimNext)
        try driver.press(.nextSpan)
        #expect(driver.state.session?.spanCursor == 0)
        try driver.press(.nextSpan); try driver.press(.nextSpan); try driver.press(.nextSpan)
        #expect(driver.state.session?.spanCursor == 0)              // wraps around
        try driver.press(.previousSpan)
        #expect(driver.state.session?.spanCursor == 2)
        try driver.press(.toggleFullNote)
        #expect(driver.frame.text.contains("Discharge summary. Chief complaint"))
        try driver.press(.toggleFullNote)
        #expect(!driver.frame.text.contains("Chief complaint"))
    }

    @Test func helpOverlayListsTheTableAndSaysWhatIsDisabled() throws {
        let (driver, _, _) = Sample.driver(scored: [])
        try driver.press(.claimNext)
        try driver.press(.help)
        #expect(driver.frame.text.contains("Keys · ✗ unavailable now"))
        #expect(driver.frame.text.contains("a            ✗ Accept"))
        try driver.press(.cancel)
        #expect(driver.state.modal == nil)
    }

    @Test func refreshReloadsWhatOthersChange() {
        let (driver, _, _) = Sample.driver()
        var state = driver.state
        #expect(ReviewUpdate.update(&state, .refresh, driver.loop.environment) == [.loadQueue])
        state.view = .audit
        #expect(ReviewUpdate.update(&state, .refresh, driver.loop.environment) == [.loadDecisions])
    }

    @Test func quitCancelsScoring() throws {
        let (driver, _, _) = Sample.driver(scored: [])
        try driver.press(.quit)
        #expect(driver.state.quitRequested)
        #expect(driver.runner.wantedScores.isEmpty)
    }

    @Test func auditorStepsAndFilters() throws {
        let (coder, source, clock) = Sample.driver(scored: [1, 2])
        try coder.press(.claimNext); try coder.press(.acceptTop)
        try coder.press(.claimNext); try coder.press(.rankDown); try coder.press(.acceptSelected); try coder.press(.toggleReason(0)); try coder.press(.choose)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        let audit = ReviewDriver(state: AppState(view: .audit, user: "audrey", size: Size(width: 80, height: 24), now: clock.now(), modelName: nil),
                                 environment: env, source: source, scorer: nil, clock: clock)
        audit.start()
        #expect(audit.state.chain?.verified == true)
        #expect(audit.state.audit.shown?.id == 100)
        try audit.press(.auditNext)
        #expect(AuditFilter.selected(audit.state)?.seq == 2)
        try audit.press(.auditDisagreements)
        #expect(AuditFilter.rows(audit.state).map(\.seq) == [2])
        #expect(audit.frame.text.contains("chose 292 · model top 291"))
        try audit.press(.auditFilterUser)
        #expect(audit.state.audit.userFilter == "alice")
        #expect(throws: DriverError.self) { try audit.press(.acceptTop) }     // no coder key here: findings only (a/d)
    }

    @Test func trainerExports() throws {
        let (coder, source, clock) = Sample.driver(scored: [1])
        try coder.press(.claimNext); try coder.press(.rankDown); try coder.press(.acceptSelected); try coder.press(.toggleReason(0)); try coder.press(.choose)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats, exportDirectory: URL(fileURLWithPath: "/tmp/x"))
        let train = ReviewDriver(state: AppState(view: .train, user: "tess", size: Size(width: 80, height: 24), now: clock.now(), modelName: nil),
                                 environment: env, source: source, scorer: nil, clock: clock)
        train.start()
        #expect(train.frame.text.contains("291 → 292 ×1"))
        try train.press(.cycleExportFormat)
        try train.press(.export)
        let last = try #require(train.runner.log.last)
        guard case .export(let format, let correctionsOnly, let url) = last else { Issue.record("no export"); return }
        #expect(format == "jsonl")
        #expect(correctionsOnly)
        #expect(url.lastPathComponent.hasSuffix(".jsonl"))
        #expect(train.state.train.lastExport?.hasPrefix("1 rows →") == true)
    }
}

@Suite struct StatsTests {
    @Test func summaryCountsAgreementAndCMIError() throws {
        let (driver, _, _) = Sample.driver(scored: [1, 2])
        try driver.press(.claimNext); try driver.press(.acceptTop)
        try driver.press(.claimNext); try driver.press(.rankDown); try driver.press(.acceptSelected); try driver.press(.toggleReason(0)); try driver.press(.choose)
        let s = QueueSummary.compute(queue: driver.state.queue, log: driver.state.decisions, catalog: FakeCatalog(), now: driver.state.now)
        #expect(s.codedToday == 2)
        #expect(s.agreements == 1)
        #expect(s.codings == 2)
        #expect(s.predictedCMI == 1.3563)
        // Both scored cases predict 291 (1.3563) and have final DRG 292 (0.8936).
        #expect(abs((s.cmiError ?? 0) - (1.3563 - 0.8936)) < 1e-9)
        #expect(s.confidenceBins[4] == 2)
    }
}

@Suite struct ReviewKeyMapTests {
    @Test func noKeyIsBoundTwiceInOneScope() {
        #expect(ReviewKeyMap.table.conflicts() == [])
    }

    @Test func keybindingsDocumentIsCurrent() throws {
        // Never rewritten by a test run: regenerate it with the command in the message below.
        let url = SharedReferenceRoot.url.appendingPathComponent("docs/KEYBINDINGS.md")
        let onDisk = try String(contentsOf: url, encoding: .utf8)
        #expect(onDisk == ReviewKeyMap.markdown, "docs/KEYBINDINGS.md is stale: run `drgcoder review --print-keybindings > docs/KEYBINDINGS.md`")
    }

    /// Every kind of action has a key in some scope. `ActionKind` mirrors `Action` without payloads so
    /// it can be `CaseIterable`, and `kind(of:)` is an exhaustive switch: a new action does not compile
    /// until it has a kind here, and then this test fails until the key table binds it.
    @Test func everyActionHasAKey() {
        let bound = Set(ReviewKeyMap.table.bindings.map { Self.kind(of: $0.action) })
        #expect(ActionKind.allCases.filter { !bound.contains($0) } == [])
    }

    enum ActionKind: CaseIterable {
        case help, quit, switchPane
        case queueDown, queueUp, queueTop, queueBottom, openCase, claimNext, cycleFilter, cycleSort, startSearch
        case rankDown, rankUp, acceptTop, acceptSelected, override, deferCase, flag, undo
        case noteDown, noteUp, nextSpan, previousSpan, toggleFullNote, zoomNote, closeCase, occlude
        case whatIf, whatIfToggle
        case pickerDown, pickerUp, choose, cancel, deleteBackward
        case reasonDown, reasonUp, toggleReasonAtCursor, toggleReason, switchField
        case auditNext, auditPrevious, auditFilterUser, auditFilterDate, auditDisagreements, auditFlagged, verifyChain
        case auditAgree, auditDisagree, exportFindings
        case trainDown, trainUp, export, cycleExportFormat, toggleCorrectionsOnly
    }

    static func kind(of action: Action) -> ActionKind {
        switch action {
        case .help: .help
        case .quit: .quit
        case .switchPane: .switchPane
        case .queueDown: .queueDown
        case .queueUp: .queueUp
        case .queueTop: .queueTop
        case .queueBottom: .queueBottom
        case .openCase: .openCase
        case .claimNext: .claimNext
        case .cycleFilter: .cycleFilter
        case .cycleSort: .cycleSort
        case .startSearch: .startSearch
        case .rankDown: .rankDown
        case .rankUp: .rankUp
        case .acceptTop: .acceptTop
        case .acceptSelected: .acceptSelected
        case .override: .override
        case .deferCase: .deferCase
        case .flag: .flag
        case .undo: .undo
        case .noteDown: .noteDown
        case .noteUp: .noteUp
        case .nextSpan: .nextSpan
        case .previousSpan: .previousSpan
        case .toggleFullNote: .toggleFullNote
        case .zoomNote: .zoomNote
        case .whatIf: .whatIf
        case .whatIfToggle: .whatIfToggle
        case .closeCase: .closeCase
        case .occlude: .occlude
        case .pickerDown: .pickerDown
        case .pickerUp: .pickerUp
        case .choose: .choose
        case .cancel: .cancel
        case .deleteBackward: .deleteBackward
        case .reasonDown: .reasonDown
        case .reasonUp: .reasonUp
        case .toggleReasonAtCursor: .toggleReasonAtCursor
        case .toggleReason: .toggleReason
        case .switchField: .switchField
        case .auditNext: .auditNext
        case .auditPrevious: .auditPrevious
        case .auditFilterUser: .auditFilterUser
        case .auditFilterDate: .auditFilterDate
        case .auditDisagreements: .auditDisagreements
        case .auditFlagged: .auditFlagged
        case .verifyChain: .verifyChain
        case .auditAgree: .auditAgree
        case .auditDisagree: .auditDisagree
        case .exportFindings: .exportFindings
        case .trainDown: .trainDown
        case .trainUp: .trainUp
        case .export: .export
        case .cycleExportFormat: .cycleExportFormat
        case .toggleCorrectionsOnly: .toggleCorrectionsOnly
        }
    }
}

import TestSupport
enum SharedReferenceRoot { static var url: URL { SharedReference.projectRoot } }
