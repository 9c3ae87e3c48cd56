import DRGKit

/// A prediction whose top DRG is `top` (probability 0.6) followed by `others` (the store suites' model answer).
public func samplePrediction(top: String, others: [String] = ["292", "293"]) -> DRGPrediction {
    let ranked = [RankedDRG(drg: top, description: "DRG \(top)", probability: 0.6)]
        + others.map { RankedDRG(drg: $0, description: "DRG \($0)", probability: 0.4 / Double(others.count)) }
    return DRGPrediction(ranked: ranked, baseDRGs: [Marginal(label: "BASE", probability: 1)],
                         ccMcc: [Marginal(label: "with MCC", probability: 1)])
}

/// The model identity the store suites' predictions carry.
public let demoIdentity = ModelIdentity(path: "/models/demo", weightsSHA256: String(repeating: "a", count: 64),
                                         adapterSHA256: nil, labelSpace: "drg-llama-single")
