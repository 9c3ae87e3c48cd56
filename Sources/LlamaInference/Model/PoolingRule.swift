/// Which position's hidden state `LlamaForSequenceClassification`'s `score` head reads.
///
/// transformers changed the rule twice, and a checkpoint must be read with the rule it was trained
/// with: DRG-LLaMA (transformers 4.30.2) sets `pad_token_id = 0` at run time while decapoda's
/// LLaMA-1 tokenizer prepends BOS id **0**, so its BOS counts as padding and the 4.30 head reads the
/// *second-to-last* token of an unpadded note. Today's rule reads the last.
///
/// | rule | transformers | position for ids `x` of length `n` with pad id `p` |
/// |---|---|---|
/// | `count-minus-one` | ≤ 4.33 | `(Σ [xᵢ ≠ p]) − 1` (−1 wraps to `n − 1`) |
/// | `first-pad-minus-one` | 4.34 – 4.46 | `(argmax [xᵢ = p]) − 1 mod n` (first pad, or `n − 1` when none) |
/// | `last-non-pad` | ≥ 4.47 | `max { i : xᵢ ≠ p }` (0 when every token is a pad) |
///
/// All three agree when the pad id occurs only as right padding; they differ when it occurs inside
/// the text (decapoda's BOS). Without a pad id every rule reads the last token.
public enum PoolingRule: String, CaseIterable, Sendable, Codable {
    case countMinusOne = "count-minus-one"
    case firstPadMinusOne = "first-pad-minus-one"
    case lastNonPad = "last-non-pad"

    /// The position read for `ids` (non-empty) with `pad`.
    public func position(of ids: [Int], pad: Int?) -> Int {
        guard !ids.isEmpty else { return 0 }
        guard let pad else { return ids.count - 1 }
        switch self {
        case .countMinusOne:
            let position = ids.reduce(0) { $0 + ($1 != pad ? 1 : 0) } - 1
            return position < 0 ? ids.count - 1 : position
        case .firstPadMinusOne:
            let first = ids.firstIndex(of: pad) ?? 0
            return (first - 1 + ids.count) % ids.count
        case .lastNonPad:
            return ids.lastIndex { $0 != pad } ?? 0
        }
    }

    /// The rule of a checkpoint's era, and why: the PEFT version an adapter's README names (the
    /// training run's), else the `transformers_version` of `config.json`. The version boundaries are
    /// our reading of transformers' history; `--pooling` overrides when a checkpoint says otherwise.
    public static func `default`(transformersVersion: String?, peftVersion: String?) -> (rule: PoolingRule, reason: String) {
        if let peftVersion, let peft = Version(peftVersion) {
            // PEFT releases paired with transformers: 0.5 ↔ 4.33, 0.6 ↔ 4.35, 0.14 ↔ 4.47.
            if peft < Version(0, 6) { return (.countMinusOne, "adapter written by PEFT \(peftVersion) (transformers ≤ 4.33)") }
            if peft < Version(0, 14) { return (.firstPadMinusOne, "adapter written by PEFT \(peftVersion) (transformers 4.34–4.46)") }
            return (.lastNonPad, "adapter written by PEFT \(peftVersion) (transformers ≥ 4.47)")
        }
        guard let transformersVersion, let version = Version(transformersVersion) else {
            return (.lastNonPad, "no transformers_version in config.json: today's rule")
        }
        if version < Version(4, 34) { return (.countMinusOne, "config.json written by transformers \(transformersVersion)") }
        if version < Version(4, 47) { return (.firstPadMinusOne, "config.json written by transformers \(transformersVersion)") }
        return (.lastNonPad, "config.json written by transformers \(transformersVersion)")
    }

    /// `major.minor` of a version string such as `4.27.0.dev0`.
    struct Version: Comparable {
        var major: Int, minor: Int
        init(_ major: Int, _ minor: Int) { self.major = major; self.minor = minor }
        init?(_ text: String) {
            let parts = text.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) }
            guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return nil }
            self.init(major, minor)
        }
        static func < (a: Version, b: Version) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    }
}
