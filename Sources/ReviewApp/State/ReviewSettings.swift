import Foundation

/// What a site or a coder can set about the review screens (`drgcoder review` reads them from
/// `$XDG_CONFIG_HOME/drgcoder/config.toml`; command-line options win). A value: update reads it
/// from `ReviewEnvironment.settings`, nothing else changes it while the program runs.
///
/// ```swift
/// var settings = ReviewSettings()
/// settings.reasonRule = .optional      // overrides and defers may be recorded without a reason
/// settings.baseRate = 6_500            // "expected payment at $6,500 base rate"
/// ```
public struct ReviewSettings: Sendable, Equatable {
    /// Whether a decision that departs from the model (an override), puts a case off (a defer) or
    /// flags it must carry a reason code. One rule for every path: Enter on a ranking row that is not
    /// the top, `o`, `d` and `!` all open the same reasons form, which applies it. A re-code of a
    /// coded case always needs a reason, whatever the rule.
    public enum ReasonRule: String, Sendable, Equatable, CaseIterable {
        case required, optional
    }

    public var reasonRule: ReasonRule = .required
    /// Dollars per unit of relative weight (payment = weight × base rate); the CAML paper's
    /// illustrative $6,000 by default. Shown beside every amount: money is never unlabelled.
    public var baseRate: Double = 6_000
    /// After an accept, override, defer or flag, claim and open the next case (`n` without the key).
    public var advanceAfterDecision = false

    public init() {}
}
