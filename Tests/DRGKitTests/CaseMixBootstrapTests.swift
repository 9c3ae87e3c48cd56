import Testing
@testable import DRGKit

@Suite struct CaseMixBootstrapTests {
    @Test func pointEstimatesAreThePopulationCMIsAndPayment() throws {
        let b = try #require(CaseMixBootstrap(predicted: [1.2, 0.9, 2.1, 3.0], final: [1.0, 0.9, 2.4, 2.7], resamples: 500, seed: 3))
        #expect(abs(b.predictedCMI.value - 1.8) < 1e-12 && abs(b.finalCMI.value - 1.75) < 1e-12)
        #expect(abs(b.error.value - (1.8 - 1.75) / 1.75) < 1e-12)
        #expect(abs(b.predictedPayment.value - 1.8 * 6000 * 4) < 1e-6 && abs(b.finalPayment - 7.0 * 6000) < 1e-6)
        for e in [b.predictedCMI, b.finalCMI, b.error] { #expect(e.lower <= e.value && e.value <= e.upper && e.lower < e.upper) }
        // Every resampled mean lies between the smallest and largest weight.
        #expect(b.predictedCMI.lower >= 0.9 && b.predictedCMI.upper <= 3.0)
    }

    @Test func sameSeedSameIntervalAndOtherSeedAnother() throws {
        let predicted = (0..<200).map { 0.5 + Double($0 % 13) / 4 }, final = (0..<200).map { 0.6 + Double($0 % 11) / 4 }
        let a = try #require(CaseMixBootstrap(predicted: predicted, final: final, seed: 1))
        #expect(a == CaseMixBootstrap(predicted: predicted, final: final, seed: 1))
        #expect(a.error != CaseMixBootstrap(predicted: predicted, final: final, seed: 2)?.error)
        // A 95% interval of the mean of 200 stays is about ±1.96 σ/√n wide around the CMI.
        let mean = predicted.reduce(0, +) / 200
        let sd = (predicted.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 200).squareRoot()
        let expectedHalfWidth = 1.96 * sd / 200.0.squareRoot()
        #expect(abs((a.predictedCMI.upper - a.predictedCMI.lower) / 2 - expectedHalfWidth) < 0.15 * expectedHalfWidth)
    }

    @Test func identicalStaysHaveNoSpread() throws {
        let b = try #require(CaseMixBootstrap(predicted: [2, 2, 2], final: [1, 1, 1], payment: Payment(baseRate: 100)))
        #expect(b.predictedCMI == .init(value: 2, lower: 2, upper: 2) && b.error == .init(value: 1, lower: 1, upper: 1))
        #expect(b.predictedPayment.value == 600 && b.finalPayment == 300)
    }

    @Test func refusesWhatHasNoCMI() {
        #expect(CaseMixBootstrap(predicted: [], final: []) == nil)
        #expect(CaseMixBootstrap(predicted: [1], final: [1, 2]) == nil)
        #expect(CaseMixBootstrap(predicted: [1], final: [0]) == nil)
        #expect(CaseMixBootstrap(predicted: [1], final: [1], resamples: 1) == nil)
    }

    @Test func quantileInterpolatesLikeNumpy() {
        #expect(CaseMixBootstrap.quantile([1, 2, 3, 4], 0.25) == 1.75)
        #expect(CaseMixBootstrap.quantile([1, 2, 3, 4], 0.975) == 3.925)
    }
}
