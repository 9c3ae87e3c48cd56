/// One MS-DRG of a ``DRGTable``: its title and numbers, and where it sits in its base DRG.
///
///     let heartFailure = DRGTable.table(for: .v43).entry("291")
///     heartFailure?.weight       // 1.2838
///     heartFailure?.baseDRG      // "HEART FAILURE AND SHOCK"
///     heartFailure?.ccMccClass   // .withMCC
///     heartFailure?.siblings     // ["291", "292", "293"]
///
/// Fields a version does not publish are nil: v34 (DRG-LLaMA's `DRG_34.tsv`) has no weights, LOS
/// or flags. A value type; equal entries describe the same DRG of the same version.
public struct DRGEntry: Sendable, Hashable {
    /// Three-digit code, zero-padded: "001", "291".
    public var code: String
    /// The CMS title, e.g. "HEART FAILURE AND SHOCK WITH MCC".
    public var description: String
    /// Major diagnostic category: "05", "PRE" (pre-MDC, v43), or nil (pre-MDC in v34, DRG 998-999).
    public var mdc: String?
    /// "MED", "SURG", or "" for DRGs that are neither (998, 999).
    public var type: String
    /// Relative weight ("Weights - 10% Cap Applied" in CMS Table 5).
    public var weight: Double?
    /// Relative weight before the 10% cap.
    public var weightBeforeCap: Double?
    /// Geometric and arithmetic mean length of stay, days.
    public var gmlos: Double?
    public var amlos: Double?
    /// CMS post-acute transfer and special-pay DRG flags (v43).
    public var postAcute: Bool?
    public var specialPay: Bool?
    /// The base DRG's name (the title without its CC/MCC phrase), e.g. "HEART FAILURE AND SHOCK".
    public var baseDRG: String
    /// The base DRG's index: DRG-LLaMA's `principal_diagnosis_lable` in v34 (0..<340).
    public var baseIndex: Int
    public var ccMccClass: CCMCCClass
    /// How this DRG's base is split.
    public var family: SplitFamily
    /// Codes of every DRG of the same base, this one included, ascending.
    public var siblings: [String]
    /// DRG-LLaMA single-label logit index (`id2label.csv`, v34 only; nil for the 19 v34 DRGs
    /// absent from MIMIC-IV and for v43).
    public var singleLabelIndex: Int?

    /// The CC/MCC phrase as this DRG's family words it: class 1 reads "with CC/MCC" in a two-way
    /// MCC/CC-vs-none family (DRG 052), "with CC" elsewhere.
    public var ccMccLabel: String {
        ccMccClass == .withCC && family == .ccMccVersusNone ? "with CC/MCC" : ccMccClass.label
    }

    /// Expected payment at `baseRate` dollars (``Payment``), nil without a weight.
    public func payment(baseRate: Double = Payment.defaultBaseRate) -> Double? {
        weight.map { $0 * baseRate }
    }
}

/// A base DRG: the DRGs that differ only by CC/MCC status, e.g. "HEART FAILURE AND SHOCK" = 291-293.
public struct BaseDRG: Sendable, Hashable {
    /// Position in the table's base list (DRG-LLaMA's two-label logit index in v34).
    public var index: Int
    public var name: String
    public var family: SplitFamily
    /// The member DRGs' codes, ascending, and the class of each.
    public var codes: [String]
    public var classes: [CCMCCClass]

    /// The set of classes a two-label prediction may take for this base.
    public var validClasses: Set<CCMCCClass> { Set(classes) }

    /// The member DRG with class `ccMcc`, if any.
    public func code(for ccMcc: CCMCCClass) -> String? {
        classes.firstIndex(of: ccMcc).map { codes[$0] }
    }
}
