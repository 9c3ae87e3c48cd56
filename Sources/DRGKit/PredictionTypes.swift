// The shapes every other module exchanges about a model's answer. These are the contract between
// DRGKit (which fills them from logits), the engine (which produces logits), the store (which keeps
// them as JSON) and the TUI (which shows them). Extend them; do not rename fields: the JSON keys are
// part of `drgcoder predict --json` (../shared/DESIGN.md).

/// One DRG in a model's ranking, best first.
public struct RankedDRG: Codable, Sendable, Equatable {
    /// Three-digit MS-DRG code, e.g. "291".
    public var drg: String
    public var description: String
    public var probability: Double
    /// The base DRG (the family without its CC/MCC split), e.g. "HEART FAILURE AND SHOCK".
    public var base: String?
    /// The CC/MCC class of this DRG within its family, e.g. "with MCC".
    public var ccMcc: String?
    /// Relative weight in the label space's MS-DRG version, when that version carries weights.
    public var weight: Double?

    public init(drg: String, description: String, probability: Double,
                base: String? = nil, ccMcc: String? = nil, weight: Double? = nil) {
        self.drg = drg; self.description = description; self.probability = probability
        self.base = base; self.ccMcc = ccMcc; self.weight = weight
    }

    enum CodingKeys: String, CodingKey {
        case drg, description, probability, base, ccMcc = "cc_mcc", weight
    }
}

/// A probability over a label that is not itself a DRG: a base DRG or a CC/MCC class.
public struct Marginal: Codable, Sendable, Equatable {
    public var label: String
    public var probability: Double
    public init(label: String, probability: Double) { self.label = label; self.probability = probability }
}

/// A span of the note that supports part of a prediction (filled by the evidence work).
public struct EvidenceSpan: Codable, Sendable, Equatable {
    /// Unicode-scalar offsets into the text the model read: `start..<end`.
    public var start: Int
    public var end: Int
    public var text: String
    /// The DRG or base DRG this span supports.
    public var supports: String
    /// "base" or "cc_mcc".
    public var aspect: String
    public var score: Double

    public init(start: Int, end: Int, text: String, supports: String, aspect: String, score: Double) {
        self.start = start; self.end = end; self.text = text
        self.supports = supports; self.aspect = aspect; self.score = score
    }
}

/// A model's whole answer about one note, in DRG terms.
public struct DRGPrediction: Codable, Sendable, Equatable {
    /// DRGs best first (every DRG of the label space, or the top N when truncated).
    public var ranked: [RankedDRG]
    /// Marginal probability of each base DRG, best first.
    public var baseDRGs: [Marginal]
    /// Marginal probability of each CC/MCC class, best first.
    public var ccMcc: [Marginal]
    public var evidence: [EvidenceSpan]
    /// Where the model stopped reading when the text was cut to its token window (DRG-LLaMA: 512):
    /// the Unicode-scalar offset into the text where the last token read ends; nil when it read all
    /// of it. JSON `read_up_to`, absent when nil (predictions stored before it existed still load).
    /// Recorded when the model runs, so showing a case never tokenises its note again.
    public var readUpTo: Int?
    /// The DRG system the codes belong to when it is not MS-DRG as DRG-LLaMA speaks it: "MS-DRG" or
    /// "APR-DRG" for a CAML model (`label_system`; absent, and so absent from the stored JSON, for
    /// DRG-LLaMA). An APR-DRG `194-4` and its weight are never compared with MS-DRGs.
    public var labelSystem: String?

    public init(ranked: [RankedDRG], baseDRGs: [Marginal], ccMcc: [Marginal], evidence: [EvidenceSpan] = [], readUpTo: Int? = nil,
                labelSystem: String? = nil) {
        self.ranked = ranked; self.baseDRGs = baseDRGs; self.ccMcc = ccMcc; self.evidence = evidence; self.readUpTo = readUpTo
        self.labelSystem = labelSystem
    }

    /// True for APR-DRG codes (3M's base × severity of illness), which no MS-DRG table knows.
    public var isAPRDRG: Bool { labelSystem == "APR-DRG" }

    enum CodingKeys: String, CodingKey {
        case ranked, baseDRGs = "base_drgs", ccMcc = "cc_mcc", evidence, readUpTo = "read_up_to", labelSystem = "label_system"
    }
}
