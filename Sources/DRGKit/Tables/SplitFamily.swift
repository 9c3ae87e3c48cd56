/// How a base DRG is split by CC/MCC status (DRG-LLaMA Supplementary Note 1; CMS calls these
/// "three-way" and "two-way" splits).
///
/// | family            | classes of its DRGs            | example (v34)   |
/// |-------------------|--------------------------------|-----------------|
/// | `threeWay`        | with MCC, with CC, without CC/MCC | DRG 011-013  |
/// | `ccMccVersusNone` | with CC/MCC, without CC/MCC    | DRG 052-053     |
/// | `mccVersusRest`   | with MCC, without MCC          | DRG 056-057     |
/// | `noSplit`         | one DRG (usually "not applicable") | DRG 069     |
///
/// `irregular` is any other combination; neither shipped table has one (a test checks that).
public enum SplitFamily: String, Sendable, CaseIterable, Codable {
    case threeWay = "three-way"
    case mccVersusRest = "MCC vs CC/none"
    case ccMccVersusNone = "MCC/CC vs none"
    case noSplit = "no split"
    case irregular = "irregular"

    /// The family of a base DRG whose DRGs carry `classes`.
    public init(classes: Set<CCMCCClass>) {
        switch classes {
        case [.withMCC, .withCC, .withoutCCMCC]: self = .threeWay
        case [.withMCC, .withoutMCC]: self = .mccVersusRest
        case [.withCC, .withoutCCMCC]: self = .ccMccVersusNone
        default: self = classes.count == 1 ? .noSplit : .irregular
        }
    }

    /// DRG-LLaMA's `map_rule` (utils/eval_utils.py, Supplementary Method 2): the class of the DRG a
    /// predicted CC/MCC class lands on in a base DRG whose valid classes are `valid`.
    ///
    /// A valid prediction stays itself. Otherwise: no split → the one DRG; three-way → without
    /// CC/MCC; MCC vs rest → without MCC; MCC/CC vs none → "with MCC" becomes with CC/MCC and
    /// anything else without CC/MCC. Nil for an invalid class in an `irregular` family.
    ///
    ///     SplitFamily.mccVersusRest.resolve(.withCC, valid: [.withMCC, .withoutMCC]) // .withoutMCC
    public func resolve(_ predicted: CCMCCClass, valid: Set<CCMCCClass>) -> CCMCCClass? {
        if valid.contains(predicted) { return predicted }
        switch self {
        case .noSplit: return valid.first
        case .threeWay: return .withoutCCMCC
        case .mccVersusRest: return .withoutMCC
        case .ccMccVersusNone: return predicted == .withMCC ? .withCC : .withoutCCMCC
        case .irregular: return nil
        }
    }
}
