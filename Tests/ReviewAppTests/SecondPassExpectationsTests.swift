import DRGKit
import Foundation
import Testing
import TerminalUI
import TestSupport
@testable import ReviewApp

/// Issue 16, "what a coder expects": moving on, occlusion on demand, auditor findings and their
/// export, the trainer's pair → cases and agreement per coder.
@Suite struct SecondPassExpectationsTests {
    /// Case 1 accepted (291), case 2 overridden to 292 with CC-MISSED, by alice; then an auditor's driver.
    func codedThenAudited(size: Size = Size(width: 80, height: 24), exportDirectory: URL = URL(fileURLWithPath: "/tmp")) throws -> (ReviewDriver, FakeSource) {
        let (coder, source, clock) = Sample.driver(scored: [1, 2])
        try coder.press(.claimNext); try coder.press(.acceptTop)
        try coder.press(.claimNext); try coder.press(.rankDown); try coder.press(.acceptSelected)
        try coder.press(.toggleReason(1)); try coder.press(.choose)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: exportDirectory)
        let audit = ReviewDriver(state: AppState(view: .audit, user: "audrey", size: size, now: clock.now(), modelName: nil),
                                 environment: env, source: source, scorer: nil, clock: clock)
        audit.start()
        return (audit, source)
    }

    @Test func movingOnAfterADecisionOpensTheNextCase() throws {
        var settings = ReviewSettings()
        settings.advanceAfterDecision = true
        let (d, source, _) = Sample.driver(scored: [1, 2], settings: settings)
        try d.press(.claimNext)
        try d.press(.acceptTop)
        #expect(source.log.map(\.kind) == [.accept])
        #expect(d.state.session?.id == 2)                    // one key: accept and move on
        try d.press(.undo)                                   // nothing on case 2 yet: disabled
        #expect(source.log.count == 1)
    }

    @Test func deferredCasesComeBackWhenNothingIsQueued() throws {
        var cases = Sample.cases(count: 2)
        cases[1].prediction = cases[0].prediction
        let clock = FixedClock()
        let source = FakeSource(cases: cases, clock: clock)
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        let d = ReviewDriver(state: AppState(user: "alice", size: Size(width: 80, height: 24), now: clock.now(), modelName: "fake"),
                             environment: env, source: source, scorer: nil, clock: clock)
        d.start()
        try d.press(.claimNext); try d.press(.deferCase); try d.press(.toggleReason(4)); try d.press(.choose)
        try d.press(.claimNext); try d.press(.deferCase); try d.press(.toggleReason(4)); try d.press(.choose)
        #expect(d.state.session?.id == 2)
        try d.press(.claimNext)                                   // nothing queued: the oldest deferred case comes back
        #expect(d.state.session?.id == 1)
        #expect(d.state.flash?.text == "Nothing queued: back to deferred N-1001")
    }

    @Test func sentenceOcclusionRunsOnDemand() throws {
        let model = GatedScorer(prediction: Sample.prediction)
        model.occlusionSpans = [Sample.span("Discharged home on oral diuretics", supports: "HEART FAILURE AND SHOCK", aspect: "base")]
        let (d, _, _) = Sample.driver(scorer: model)
        try d.press(.claimNext)
        try d.press(.occlude)
        #expect(d.state.session?.occlusion?.drg == "291")
        try d.waitFor("occlusion") { $0.session?.occlusion?.spans != nil }
        #expect(d.state.session?.spans.map(\.text) == ["Discharged home on oral diuretics"])
        #expect(d.frame.text.contains("─ Note · occlusion 291"))
        #expect(d.frame.lines.contains { $0.contains("│B ") && $0.contains("Discharged") })
        #expect(model.started.contains("occlude 291"))
    }

    @Test func anAuditorAgreesAndDisagreesInTheChain() throws {
        let (audit, source) = try codedThenAudited()
        try audit.press(.auditNext)                                           // #2: override 292
        try audit.press(.auditAgree)
        guard case .reasons(let form) = audit.state.modal else { Issue.record("no finding form"); return }
        #expect(form.finding?.agree == true && form.drg == "292")
        try audit.press(.choose)                                              // agreeing needs no reason
        var row = try #require(source.log.last)
        #expect(row.role == .auditor && row.user == "audrey" && row.kind == .override && row.chosenDRG == "292")
        #expect(row.reasons == [ReasonCode.auditAgree] && row.finding == "agree")
        try audit.press(.auditPrevious)                                       // #1: accept 291
        try audit.press(.auditDisagree)
        guard case .picker(let picker) = audit.state.modal else { Issue.record("no picker"); return }
        #expect(picker.results.map(\.code).prefix(3) == ["291", "292", "293"])  // the family first
        try audit.press(.pickerDown); try audit.press(.pickerDown)            // 293
        try audit.press(.choose)
        try audit.press(.choose)                                              // a disagreement needs a reason
        #expect(source.log.count == 3)
        #expect(audit.state.flash?.text.hasPrefix("A disagreeing finding needs a reason") == true)
        try audit.press(.toggleReason(2)); try audit.press(.choose)
        row = try #require(source.log.last)
        #expect(row.role == .auditor && row.chosenDRG == "293" && row.reasons == [ReasonCode.auditDisagree, "CC-UNSUPPORTED"])
        #expect(audit.frame.text.contains("finding≠"))
    }

    @Test func findingsExportAndJumpToACase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("findings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (audit, _) = try codedThenAudited(exportDirectory: directory)
        try audit.press(.startSearch)
        audit.type("1002")
        try audit.press(.choose)
        #expect(AuditFilter.selected(audit.state)?.caseExternalID == "N-1002")
        try audit.press(.auditDisagree); try audit.press(.choose)              // 291 instead of 292
        try audit.press(.switchField); audit.type("no MCC documented, \"really\""); try audit.press(.switchField)
        try audit.press(.toggleReason(2)); try audit.press(.choose)
        try audit.press(.exportFindings)
        let file = try #require(try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).first)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == FindingsExport.header)
        #expect(lines.count == 2)
        #expect(lines[1].contains(",N-1002,audrey,") && lines[1].contains(",disagree,291,291,2,alice,292,CC-UNSUPPORTED,\"no MCC documented, \"\"really\"\"\""))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(audit.state.flash?.text.hasPrefix("Exported 1 rows") == true)
    }

    @Test func theTrainerSeesCasesOfAPairAndAgreementPerCoder() throws {
        let (audit, source) = try codedThenAudited()
        _ = audit
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats, exportDirectory: URL(fileURLWithPath: "/tmp/x"))
        let train = ReviewDriver(state: AppState(view: .train, user: "tess", size: Size(width: 120, height: 40), now: Date(), modelName: nil),
                                 environment: env, source: source, scorer: nil, clock: FixedClock())
        train.start()
        let text = train.frame.text
        #expect(text.contains("Per coder: alice 50% (1/2)"))
        #expect(text.contains("Cases 291 → 292: who and why"))
        #expect(text.contains("N-1002 alice CC-MISSED"))
    }
}
