import CodingStore
import DRGKit
import Foundation
import ReviewApp
import Testing
import TestSupport
@testable import DRGCoderCLI

/// The adapter reads a case's stored codes and assesses them (rule 3 with the predicted DRG).
@Suite struct StoredCaseCodesTests {
    @Test func detailCarriesTheAssessedCodes() throws {
        let database = try AppDatabase.inMemory()
        var incoming = IncomingCase(externalID: "S-1", noteText: "Brief Hospital Course: pneumonia")
        incoming.codes = [CaseCode(kind: .pdx, code: "J850", seq: 1), CaseCode(kind: .sdx, code: "J15211", seq: 1)]
        let id = try database.enqueue(incoming, source: "jsonl")
        let identity = ModelIdentity(path: "/m", weightsSHA256: "w", adapterSHA256: nil, labelSpace: "test")
        var prediction = ReviewWiringTests.Sample.prediction
        prediction.ranked[0].drg = "177"
        try database.savePrediction(caseID: id, identity: identity, prediction: prediction, elapsedMilliseconds: 1)
        let detail = try StoreReviewSource(store: database, scorer: GatedScorer(prediction: prediction, identity: identity)).detail(of: id)
        #expect(detail.codes.map(\.code) == ["J85.0", "J15.211"])
        #expect(detail.codes[1].reason == "not a CC/MCC in DRGs 177-179 Respiratory Infections and Inflammations")
    }
}
