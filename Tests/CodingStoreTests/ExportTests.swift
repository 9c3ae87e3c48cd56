import DRGKit
import Foundation
import TestSupport
import Testing
@testable import CodingStore

@Suite("Exports for trainers")
struct ExportTests {
    /// case-1 accepted (291), case-2 overridden to 470, case-3 overridden to 690 then undone, case-4 deferred.
    static func coded() throws -> AppDatabase {
        let store = try StoreKind.tempFilePool.make()
        let ids = try addCases(store, count: 4)
        for id in ids { try store.savePrediction(caseID: id, identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 2) }
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "alice", action: .accept))
        try store.recordDecision(DecisionRequest(caseID: ids[1], user: "alice", action: .override, overrideDRG: "470", reasonCode: "PDX"))
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "bob", action: .override, overrideDRG: "690"))
        try store.recordDecision(DecisionRequest(caseID: ids[2], user: "bob", action: .undo))
        try store.recordDecision(DecisionRequest(caseID: ids[3], user: "bob", action: .defer))
        return store
    }

    func exported(_ format: ExportFormat, correctionsOnly: Bool = false) throws -> (String, ExportSummary, URL) {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("out")
        let summary = try Self.coded().export(format, to: url, correctionsOnly: correctionsOnly)
        return (try String(contentsOf: url, encoding: .utf8), summary, url)
    }

    @Test func singleLabelCSVUsesDRGLlamaIndices() throws {
        let (text, summary, url) = try exported(.drgLlamaSingleCSV)
        let labels = TrainingLabels.drgLlama()
        let section = HospitalCourseExtractor.extract("Brief Hospital Course:\nnote 1\nDischarge Medications:\n").text
        #expect(section == "\nnote 1\n")
        #expect(text == "text,label\n\"\nnote 1\n\",\(labels.singleLabel("291")!)\n\"\nnote 2\n\",\(labels.singleLabel("470")!)\n")
        #expect(summary.rows == 2)
        #expect(labels.singleLabel("001") == 0 && labels.singleLabel("1") == 0 && labels.singleLabel("998") == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let (corrections, _, _) = try exported(.drgLlamaSingleCSV, correctionsOnly: true)
        #expect(corrections == "text,label\n\"\nnote 2\n\",\(labels.singleLabel("470")!)\n")
    }

    @Test func twoLabelOneHotIsNumpyText() throws {
        let expected = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: Fixtures.url("one_hot.json")))
        let labels = TrainingLabels.drgLlama()
        #expect(labels.baseCount == 340)
        #expect(expected.count >= 4)
        for (drg, numpyText) in expected { #expect(labels.twoLabelOneHot(drg) == numpyText, "DRG \(drg)") }
        let (text, summary, _) = try exported(.drgLlamaTwoCSV)
        #expect(summary.rows == 2)
        #expect(text.contains("\"[" + (expected["291"]?.dropFirst() ?? "") + "\""))
    }

    @Test func jsonlCarriesProvenance() throws {
        let (text, summary, _) = try exported(.jsonl)
        #expect(summary.rows == 5)
        let lines = text.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let override = try #require(lines[1])
        #expect(override["case_id"] as? String == "case-2")
        #expect(override["chosen_drg"] as? String == "470" && override["model_top_drg"] as? String == "291")
        #expect(override["reason_code"] as? String == "PDX" && override["user"] as? String == "alice")
        #expect(override["section_text"] as? String == "\nnote 2\n")
        #expect((override["model"] as? [String: Any])?["weights_sha256"] as? String == demoIdentity.weightsSHA256)
        #expect((override["model_ranked"] as? [[String: Any]])?.first?["drg"] as? String == "291")
        #expect(lines[2]?["undone"] as? Bool == true)
        let (corrections, onlyOverrides, _) = try exported(.jsonl, correctionsOnly: true)
        #expect(onlyOverrides.rows == 1 && corrections.contains("\"chosen_drg\":\"470\""))
    }

    @Test func aFailedExportLeavesNoFile() throws {
        let url = try TemporaryDirectory(prefix: "codingstore").url.appendingPathComponent("missing-dir/out.csv")
        #expect(throws: StoreError.self) { try Self.coded().export(.jsonl, to: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}

@Suite("Replay")
struct ReplayTests {
    @Test func replayShowsWhatTheModelSaidAndAgreement() throws {
        let store = try ExportTests.coded()
        let all = try store.replay()
        #expect(all.entries.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(all.entries[0].agrees == true && all.entries[1].agrees == false)
        #expect(all.entries[0].modelTopProbability == 0.6 && all.entries[0].modelKey == demoIdentity.key)
        #expect(all.entries[2].undone && all.entries[3].reversesSeq == 3)
        #expect(all.comparable == 2 && all.agreements == 1 && all.agreementRate == 0.5)   // the undone override does not count
        #expect(try store.replay(ReplayFilter(user: "bob")).entries.count == 3)
        #expect(try store.replay(ReplayFilter(disagreementsOnly: true)).entries.map(\.seq) == [2, 3])
        #expect(try store.replay(ReplayFilter(since: "2999-01-01")).entries.isEmpty)
        #expect(try store.replay(ReplayFilter(until: "2000-01-01")).entries.isEmpty)
        #expect(throws: StoreError.self) { try store.replay(ReplayFilter(since: "yesterday")) }
    }
}

@Suite("Batch scoring")
struct ScoringTests {
    @Test(arguments: StoreKind.allCases)
    func scoresInPriorityOrderAndResumes(_ kind: StoreKind) throws {
        let store = try kind.make()
        try addCases(store, count: 5, priority: { $0 == 4 ? 9 : 0 })
        let scorer = FakeScorer()
        let first = try store.scoreQueue(with: scorer, limit: 2)
        #expect(first.scored == 2 && first.remaining == 3)
        #expect(scorer.scoredTexts == ["\nnote 4\n", "\nnote 1\n"])   // priority, then import order; the section is scored
        let rest = try store.scoreQueue(with: scorer)
        #expect(rest.scored == 3 && rest.remaining == 0)
        #expect(scorer.scoredTexts.count == 5)                      // nothing scored twice
        #expect(try store.scoreQueue(with: scorer).scored == 0)
        let other = FakeScorer(identity: ModelIdentity(path: "/m2", weightsSHA256: String(repeating: "e", count: 64),
                                                        adapterSHA256: "f", labelSpace: "drg-llama-two"), top: "470")
        #expect(try store.scoreQueue(with: other).scored == 5)      // a different model scores again
        #expect(try store.queueEntries().allSatisfy { $0.predictionCount == 2 && $0.topDRG == "470" })
    }

    @Test func cancellationStopsBetweenNotesAndLosesNothing() throws {
        let store = try StoreKind.inMemoryQueue.make()
        try addCases(store, count: 4)
        let stop = Flag()
        let scorer = FakeScorer()
        let report = try store.scoreQueue(with: scorer, isCancelled: { stop.isSet }, progress: { p in
            if p.scoredThisRun == 2 { stop.set() }
        })
        #expect(report.cancelled && report.scored == 2 && report.remaining == 2)
        #expect(try store.scoreQueue(with: scorer).scored == 2)
    }

    @Test func codedCasesAreNotScored() throws {
        let store = try StoreKind.inMemoryQueue.make()
        let ids = try addCases(store, count: 2)
        try store.recordDecision(DecisionRequest(caseID: ids[0], user: "a", action: .override, overrideDRG: "470"))
        #expect(try store.scoreQueue(with: FakeScorer()).scored == 1)
    }
}

@Suite("Evaluation sets")
struct EvaluationSetTests {
    @Test func pairsPredictionsWithReferenceDRGs() throws {
        let store = try StoreKind.inMemoryQueue.make()
        var withFinal = IncomingCase(externalID: "a", noteText: "note a")
        withFinal.finalDRG = "291"
        let a = try store.enqueue(withFinal, source: "jsonl")
        var second = IncomingCase(externalID: "b", noteText: "note b")
        second.finalDRG = "470"
        try store.enqueue(second, source: "jsonl")
        let c = try store.enqueue(IncomingCase(externalID: "c", noteText: "note c"), source: "jsonl")
        #expect(throws: StoreError.self) { try store.evaluationSet(modelPath: nil) }   // nothing scored yet
        try store.savePrediction(caseID: a, identity: demoIdentity, prediction: samplePrediction(top: "291"), elapsedMilliseconds: 1)
        try store.savePrediction(caseID: c, identity: demoIdentity, prediction: samplePrediction(top: "470"), elapsedMilliseconds: 1)
        let set = try store.evaluationSet(modelPath: "/models/demo/")
        #expect(set.caseIDs == ["a"] && set.truths == ["291"] && set.unscored == 1 && set.labelSpace == "drg-llama-single")
        try store.recordDecision(DecisionRequest(caseID: c, user: "x", action: .accept))
        #expect(try store.evaluationSet(modelPath: nil, reference: .coded).truths == ["470"])
        #expect(throws: StoreError.self) { try store.evaluationSet(modelPath: "/elsewhere") }
    }
}
