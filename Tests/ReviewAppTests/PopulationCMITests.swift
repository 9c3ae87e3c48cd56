import DRGKit
import Foundation
import Testing
import TerminalUI
@testable import ReviewApp

/// The trainer's population CMI (issue 19): predicted vs final CMI with the bootstrap interval and
/// the payment at the catalogue's base rate, over the queue's cases with both DRGs.
@Suite struct PopulationCMITests {
    @Test func computedFromTheQueueWithCatalogueWeightsOnly() throws {
        let queue = [
            CaseSummary(id: 1, externalID: "a", status: .queued, topDRG: "291", finalDRG: "292"),
            CaseSummary(id: 2, externalID: "b", status: .coded, topDRG: "871", finalDRG: "871"),
            CaseSummary(id: 3, externalID: "c", status: .queued, topDRG: "194-4", finalDRG: "291"),   // APR-DRG: no MS-DRG weight
            CaseSummary(id: 4, externalID: "d", status: .queued, topDRG: "293"),                       // no final DRG
        ]
        let p = try #require(PopulationCMI.compute(queue: queue, catalog: FakeCatalog()))
        #expect(p.estimate.stays == 2 && p.withoutWeight == 1 && p.estimate.resamples == PopulationCMI.resamples)
        #expect(abs(p.estimate.predictedCMI.value - (1.3563 + 1.9068) / 2) < 1e-12)
        #expect(abs(p.estimate.finalCMI.value - (0.8936 + 1.9068) / 2) < 1e-12)
        #expect(p.estimate.predictedCMI.lower <= p.estimate.predictedCMI.value && p.estimate.predictedCMI.value <= p.estimate.predictedCMI.upper)
        #expect(PopulationCMI.compute(queue: [queue[3]], catalog: FakeCatalog()) == nil)
    }

    @Test func theTrainerViewShowsIt() throws {
        let (_, source, clock) = Sample.driver(size: Size(width: 160, height: 48), scored: [1, 2, 3])
        let env = ReviewEnvironment(catalog: FakeCatalog(), exportFormats: source.exportFormats, exportDirectory: URL(fileURLWithPath: "/tmp/exports"))
        let driver = ReviewDriver(state: AppState(view: .train, user: "tess", size: Size(width: 160, height: 48), now: clock.now(), modelName: nil),
                                  environment: env, source: source, scorer: nil, clock: clock)
        driver.start()
        let expected = try #require(PopulationCMI.compute(queue: try source.queue(), catalog: FakeCatalog()))
        let line = try #require(driver.frame.lines.first { $0.contains("Population CMI predicted") })
        #expect(line.contains(Format.weight(expected.estimate.predictedCMI.value)) && line.contains("final \(Format.weight(expected.estimate.finalCMI.value))"))
        #expect(driver.frame.lines.contains { $0.contains("Payment at $") && $0.contains("final $") })
    }
}
