import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// The review queue marks patients still in hospital with their working DRG (early prediction, issue 19).
@Suite struct InHospitalQueueTests {
    @Test func theQueueRowSaysInHospitalWithTheWorkingDRG() {
        var state = AppState(user: "carol", size: Size(width: 100, height: 24), now: Date(timeIntervalSince1970: 1_796_000_000), modelName: "demo-caml")
        var early = CaseSummary(id: 1, externalID: "stay-30", status: .queued)
        early.inHospital = InHospital(workingDRG: "291", cutoff: "24 h", stale: true)
        var waiting = CaseSummary(id: 2, externalID: "stay-31", status: .queued)
        waiting.inHospital = InHospital()
        let discharged = CaseSummary(id: 3, externalID: "stay-01", status: .queued, topDRG: "871", confidence: 0.6)
        state.queue = [early, waiting, discharged]
        state.queueLoaded = true
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: [], exportDirectory: URL(fileURLWithPath: "/tmp"))
        let lines = ReviewRender.render(state, env).lines
        #expect(lines.contains { $0.contains("stay-30") && $0.contains("~291") && $0.contains("in hosp (24 h) stale") })
        #expect(lines.contains { $0.contains("stay-31") && $0.contains("in hospital · no DRG") && !$0.contains("?") })
        #expect(early.stayMarker == "in hospital · working DRG 291 (24 h) · stale")
        #expect(lines.contains { $0.contains("stay-01") && !$0.contains("in hospital") })
        #expect(discharged.stayMarker == nil)
    }
}
