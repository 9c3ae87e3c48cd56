import DRGKit
import Foundation
import Testing

/// Issue 16: where the model stopped reading is an additive field of the prediction JSON.
@Suite struct PredictionJSONTests {
    static let ranked = [RankedDRG(drg: "291", description: "HEART FAILURE AND SHOCK WITH MCC", probability: 0.5)]

    @Test func readUpToRoundTripsAsReadUpTo() throws {
        let p = DRGPrediction(ranked: Self.ranked, baseDRGs: [], ccMcc: [], readUpTo: 1234)
        let json = String(decoding: try JSONEncoder().encode(p), as: UTF8.self)
        #expect(json.contains("\"read_up_to\":1234"))
        #expect(try JSONDecoder().decode(DRGPrediction.self, from: Data(json.utf8)) == p)
    }

    @Test func aPredictionWrittenBeforeTheFieldStillLoads() throws {
        let old = #"{"ranked":[{"drg":"291","description":"HEART FAILURE AND SHOCK WITH MCC","probability":0.5}],"base_drgs":[],"cc_mcc":[],"evidence":[]}"#
        let p = try JSONDecoder().decode(DRGPrediction.self, from: Data(old.utf8))
        #expect(p.readUpTo == nil)
        #expect(p.ranked.first?.drg == "291")
        // Nothing new is written for a note read whole.
        #expect(!String(decoding: try JSONEncoder().encode(p), as: UTF8.self).contains("read_up_to"))
    }
}
