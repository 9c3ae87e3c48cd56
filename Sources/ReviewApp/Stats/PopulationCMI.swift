import DRGKit
import Foundation

/// The trainer's population CMI (CAML paper, ../shared/papers/003, "CMI prediction"): over the
/// queue's cases that have both a model top DRG and a final DRG with a weight in the catalogue's
/// version, the predicted and final case-mix index with DRGKit's seeded percentile bootstrap
/// (``CaseMixBootstrap``), and the payment at the catalogue's base rate.
///
///     PopulationCMI.compute(queue: state.queue, catalog: env.catalog)?.estimate.predictedCMI.value
///
/// Codes the catalogue does not know (an APR-DRG `194-4`, an MS-DRG of another version) are left out
/// and counted in `withoutWeight`, never priced with another system's weights. The render computes it
/// from the queue it shows, so it uses 200 resamples (O(200 × cases), a few milliseconds for ten
/// thousand cases); `drgcoder eval` gives the full 1,000-resample interval.
public struct PopulationCMI: Sendable, Equatable {
    public var estimate: CaseMixBootstrap
    /// Cases with a top DRG and a final DRG, but a code without a weight in the catalogue.
    public var withoutWeight: Int
    public static let resamples = 200

    public static func compute(queue: [CaseSummary], catalog: DRGCatalog) -> PopulationCMI? {
        var predicted: [Double] = [], final: [Double] = [], without = 0
        for c in queue {
            guard let top = c.topDRG, let f = c.finalDRG else { continue }
            guard let w = catalog.entry(top)?.weight, let fw = catalog.entry(f)?.weight else { without += 1; continue }
            predicted.append(w); final.append(fw)
        }
        let baseRate = catalog.payment(forWeight: 1) ?? Payment.defaultBaseRate
        guard let estimate = CaseMixBootstrap(predicted: predicted, final: final, payment: Payment(baseRate: baseRate),
                                              resamples: resamples, seed: 0) else { return nil }
        return PopulationCMI(estimate: estimate, withoutWeight: without)
    }
}
