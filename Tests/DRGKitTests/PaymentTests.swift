import Testing
@testable import DRGKit

@Suite struct PaymentTests {
    @Test func paymentIsWeightTimesBaseRate() throws {
        let entry = try #require(DRGTable.table(for: .v43).entry("291"))
        #expect(Payment.defaultBaseRate == 6000)
        #expect(abs((Payment().amount(for: entry) ?? 0) - 7702.8) < 1e-9)
        #expect(Payment(baseRate: 10_000).amount(weight: 2) == 20_000)
        #expect(Payment(baseRate: 100).total(weights: [1, 2, 3]) == 600)
        #expect(Payment().amount(for: try #require(DRGTable.table(for: .v34).entry("291"))) == nil)
    }

    @Test func caseMixIndexAndError() {
        #expect(CaseMix.index(weights: [1, 2, 3]) == 2)
        #expect(CaseMix.index(weights: []) == nil)
        let error = CaseMix.error(predicted: [1.1, 2.0, 3.0], actual: [1.0, 2.0, 3.0])
        #expect(abs((error ?? 0) - 0.1 / 6) < 1e-12)
        #expect(CaseMix.error(predicted: [1], actual: [1, 2]) == nil)
        let (cmi, skipped) = CaseMix.index(codes: ["291", "001", "999", "xyz"], in: DRGTable.table(for: .v43))
        #expect(abs((cmi ?? 0) - (1.2838 + 28.0239) / 2) < 1e-12 && skipped == 2)
    }
}
