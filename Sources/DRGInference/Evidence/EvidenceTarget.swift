import DRGKit
import Foundation
import LlamaInference

/// What an attribution explains: the log-probability of one DRG, of its base DRG, or of its CC/MCC
/// split within the base.
///
///     let target = EvidenceTarget.base(of: "291")                       // HEART FAILURE AND SHOCK
///     let objective = try target.objective(logits: logits, in: space)
///     objective.logProbability                                          // log P(base | note)
///     objective.gradient                                                // ∂ log P / ∂ logits
///
/// How each is read from the logits (`z`, `p = softmax(z)`):
/// - **single-label** space (one logit per DRG; `S` = the DRGs of the base among the labels):
///   `log P(drg) = z_d − LSE(z)`; `log P(base) = LSE_S(z) − LSE(z)` (the base marginal);
///   `log P(drg | base) = z_d − LSE_S(z)` (the CC/MCC split, given the base).
/// - **two-label** space (base head, then the 5-class CC/MCC head):
///   `log P(base) = log softmax(base head)_b`; `log P(drg | base) = log` of the class head's
///   softmax renormalised over the classes valid for the base (DRGKit's inference);
///   `log P(drg)` is their sum.
/// The gradients are the familiar `onehot − p` shapes: for the base marginal `[i∈S]·p_i/P(S) − p_i`,
/// for the split `e_d − [i∈S]·p_i/P(S)`. A base with one DRG (no split) has `log P(drg | base) = 0`
/// and a zero gradient: there is no CC/MCC evidence to find, and none is reported.
///
/// It does not run a model; it only reads logits.
public enum EvidenceTarget: Sendable, Equatable, Hashable {
    /// `log P(drg)`.
    case drg(String)
    /// `log P(base of drg)`: the base DRG (principal diagnosis / procedure) the DRG belongs to.
    case base(of: String)
    /// `log P(drg | its base)`: the CC/MCC class of the DRG against its siblings.
    case ccMcc(of: String)
    /// `log P(MDC of drg)`: the major diagnostic category, which the principal diagnosis decides.
    /// A surgical base DRG is "this MDC" (from the principal diagnosis) and "this operating-room
    /// procedure" (which picks the surgical base inside the MDC); `.base` sees mostly the second,
    /// because the diagnosis is shared with the MDC's medical DRGs it is contrasted with. This
    /// target finds the first: ``DRGEvidence`` uses it for surgical DRGs.
    case mdc(of: String)

    /// The DRG code the target is about.
    public var drg: String {
        switch self { case .drg(let c), .base(of: let c), .ccMcc(of: let c), .mdc(of: let c): return c }
    }

    /// Which aspect of the DRG the target explains (`.drg` and `.mdc` count as base).
    public var aspect: EvidenceAspect {
        if case .ccMcc = self { return .ccMcc }
        return .base
    }

    /// `log P(target)` and its gradient with respect to the logits. Throws when the DRG is not in
    /// the label space (or the logits are too few).
    public func objective(logits: [Float], in space: LabelSpace) throws -> TargetObjective {
        guard logits.count >= space.logitCount else {
            throw EvidenceError.logitCount(expected: space.logitCount, got: logits.count)
        }
        guard let entry = space.table.entry(drg) else { throw EvidenceError.unknownDRG(drg, space.name) }
        let z = logits[..<space.logitCount].map(Double.init)
        switch space.scheme {
        case .single:
            guard let d = space.singleLabelIndex(of: entry.code) else { throw EvidenceError.unknownDRG(drg, space.name) }
            let base = EvidenceTarget.base(of: drg).group(of: entry, in: space)
            return singleLabel(z, drg: d, base: base, group: self.isMDC ? group(of: entry, in: space) : base)
        case .two:
            guard let (b, ccMcc) = space.twoLabelTarget(of: entry.code),
                  let base = space.table.base(index: entry.baseIndex) else { throw EvidenceError.unknownDRG(drg, space.name) }
            let classOffset = space.baseIndices.count
            if isMDC { return groupMarginal(z, members: group(of: entry, in: space), logits: classOffset) }
            return twoLabel(z, base: b, classOffset: classOffset, ccMcc: ccMcc.rawValue, valid: base.classes.map(\.rawValue))
        }
    }

    /// How a single-label model's base target is turned into an attribution direction.
    public enum BaseDirection: String, Sendable, CaseIterable {
        /// Mean logit of the base's DRGs minus mean logit of all other labels (the default).
        case uniform
        /// The gradient of `log P(base)` itself.
        case marginal
    }

    /// `log P(target)` with the logit direction the cheap method attributes (what
    /// ``TargetObjective/direction(head:)`` maps into hidden space):
    /// - `.ccMcc`: the gradient of `log P(drg | base)`;
    /// - `.base`, two-label: the gradient of `log P(base)` (the base head);
    /// - `.base`, single-label, ``BaseDirection/uniform``: `(1/|S|)·1_S − (1/(N−|S|))·1_{not S}`,
    ///   the base's mean logit against the rest. The marginal's gradient `[i∈S]·p_i/P(S) − p_i` puts
    ///   nearly all of the base's weight on its most probable DRG, so it also points along that DRG's
    ///   CC/MCC class — base evidence then lands on MCC sentences. Averaging over the base's DRGs
    ///   cancels the severity part (on the demo model's test split, top base span in the principal
    ///   sentence 94.0% against 88.0% with the marginal gradient; docs/EVIDENCE.md);
    /// - `.drg`: base direction + split direction (so a DRG's scores are its base and CC/MCC scores
    ///   added).
    public func attributionDirection(logits: [Float], in space: LabelSpace,
                                     baseDirection: BaseDirection = .uniform) throws -> TargetObjective {
        let value = try objective(logits: logits, in: space)
        switch self {
        case .ccMcc: return value
        case .drg(let code):
            let base = try EvidenceTarget.base(of: code).attributionDirection(logits: logits, in: space, baseDirection: baseDirection)
            let split = try EvidenceTarget.ccMcc(of: code).objective(logits: logits, in: space)
            return TargetObjective(logProbability: value.logProbability, gradient: zip(base.gradient, split.gradient).map { $0 + $1 })
        case .base(of: let code), .mdc(of: let code):
            guard space.scheme == .single, baseDirection == .uniform, let entry = space.table.entry(code) else { return value }
            let members = Set(group(of: entry, in: space))
            let gradient = uniformDirection(inGroup: (0..<space.logitCount).map(members.contains))
            return TargetObjective(logProbability: value.logProbability, gradient: gradient + [Float](repeating: 0, count: max(logits.count - gradient.count, 0)))
        }
    }

    /// `1/|G|` on the group's logits, `−1/(N−|G|)` on the others: the group's mean logit against the rest's.
    private func uniformDirection(inGroup: [Bool]) -> [Float] {
        let members = inGroup.filter { $0 }.count, others = inGroup.count - members
        return inGroup.map { $0 ? 1 / Float(members) : (others > 0 ? -1 / Float(others) : 0) }
    }

    private var isMDC: Bool { if case .mdc = self { return true } else { return false } }

    /// The logit indices whose marginal a `.mdc` target (the labels of `entry`'s MDC; just its own
    /// base when it has no MDC, v34 pre-MDC DRGs 998-999) or any other target (the labels of
    /// `entry`'s base) sums over: DRG labels in a single-label space, base labels in a two-label one.
    func group(of entry: DRGEntry, in space: LabelSpace) -> [Int] {
        let table = space.table
        let byMDC = isMDC && entry.mdc != nil
        switch space.scheme {
        case .single:
            return space.labels.indices.filter { i in
                guard let other = table.entry(space.labels[i]) else { return false }
                return byMDC ? other.mdc == entry.mdc : other.baseIndex == entry.baseIndex
            }
        case .two:
            return space.baseIndices.indices.filter { i in
                guard byMDC else { return space.baseIndices[i] == entry.baseIndex }
                guard let base = table.base(index: space.baseIndices[i]), let first = base.codes.first,
                      let member = table.entry(first) else { return false }
                return member.mdc == entry.mdc
            }
        }
    }

    /// `log P(group) = LSE_G(z) − LSE(z)` over the first `logits` entries (all of them by default),
    /// with its gradient `[i∈G]·p_i/P(G) − p_i`.
    private func groupMarginal(_ z: [Double], members: [Int], logits: Int? = nil) -> TargetObjective {
        let count = logits ?? z.count
        let all = logSumExp(z, 0..<count), inGroup = logSumExp(z, members)
        var gradient = [Double](repeating: 0, count: z.count)
        for i in 0..<count { gradient[i] = -exp(z[i] - all) }
        for i in members { gradient[i] += exp(z[i] - inGroup) }
        return TargetObjective(logProbability: inGroup - all, gradient: gradient.map(Float.init))
    }

    /// `.drg` and `.ccMcc` read the base's labels `members`; `.base` and `.mdc` are the marginal of `group`.
    private func singleLabel(_ z: [Double], drg d: Int, base members: [Int], group: [Int]) -> TargetObjective {
        let all = logSumExp(z, z.indices)
        let inBase = logSumExp(z, members)
        var gradient = [Double](repeating: 0, count: z.count)
        let logP: Double
        switch self {
        case .drg:
            logP = z[d] - all
            for i in z.indices { gradient[i] = -exp(z[i] - all) }
            gradient[d] += 1
        case .base, .mdc:
            return groupMarginal(z, members: group)
        case .ccMcc:
            logP = z[d] - inBase
            for i in members { gradient[i] = -exp(z[i] - inBase) }
            gradient[d] += 1
        }
        return TargetObjective(logProbability: logP, gradient: gradient.map(Float.init))
    }

    private func twoLabel(_ z: [Double], base b: Int, classOffset: Int, ccMcc c: Int, valid: [Int]) -> TargetObjective {
        var gradient = [Double](repeating: 0, count: z.count)
        var logP = 0.0
        if self != .ccMcc(of: drg) {
            let bases = Array(0..<classOffset)
            let all = logSumExp(z, bases)
            logP += z[b] - all
            for i in bases { gradient[i] -= exp(z[i] - all) }
            gradient[b] += 1
        }
        if self != .base(of: drg) {
            let classes = valid.map { classOffset + $0 }
            let all = logSumExp(z, classes)
            logP += z[classOffset + c] - all
            for i in classes { gradient[i] -= exp(z[i] - all) }
            gradient[classOffset + c] += 1
        }
        return TargetObjective(logProbability: logP, gradient: gradient.map(Float.init))
    }

    private func logSumExp(_ z: [Double], _ indices: some Collection<Int>) -> Double {
        guard let top = indices.map({ z[$0] }).max(), top.isFinite else { return -.infinity }
        return top + log(indices.reduce(0) { $0 + exp(z[$1] - top) })
    }
}

