import Foundation
import LlamaInference

/// The run's arguments as `hyperparam.pk` keeps them (`vars(args)` of the repository's `options.py`,
/// with `Y`, the label count, added by `main.py`): the blueprint of a CAML checkpoint.
///
/// Only the keys the forward pass and the label space need are read; the others (`lr`, `data_dir`,
/// …) are ignored. `main.py` overlays this dict on its own defaults (`update_args`), so a missing key
/// takes `options.py`'s default, as here.
///
/// Does not: run MultiResCNN or the `rw` (relative-weight regression) target: those are refused with
/// their names.
public struct CAMLHyperparameters: Sendable, Equatable {
    /// `ms` or `apr`.
    public var cohort: String
    /// Fiscal year of the DRG rules: `12`, `13` or `14` (`rules/<COHORT>DRG_RULE<rule>.csv`).
    public var rule: String
    public var ruleDirectory: String
    /// Positions the model reads: the first `maxSequenceLength` tokens, zero-padded.
    public var maxSequenceLength: Int
    /// Conv1d kernel width; padding is `kernel / 2` (floor) on both sides.
    public var kernelSize: Int
    /// Conv1d output channels (`cnn_filter_maps`).
    public var filterMaps: Int
    /// Number of labels (DRGs of the rules file after `load_rule`'s exclusions).
    public var labelCount: Int?
    /// Hours after ICU admission whose notes were kept (`threshold`, 48 by default).
    public var threshold: Int

    /// `options.py`'s defaults.
    public init(cohort: String = "ms", rule: String = "13", ruleDirectory: String = "rules", maxSequenceLength: Int = 2000,
                kernelSize: Int = 5, filterMaps: Int = 256, labelCount: Int? = nil, threshold: Int = 48) {
        self.cohort = cohort; self.rule = rule; self.ruleDirectory = ruleDirectory; self.maxSequenceLength = maxSequenceLength
        self.kernelSize = kernelSize; self.filterMaps = filterMaps; self.labelCount = labelCount; self.threshold = threshold
    }

    public static let fileName = "hyperparam.pk"

    /// The rules file `main.py` would open: `<COHORT>DRG_RULE<rule>.csv`.
    public var ruleFileName: String { "\(cohort.uppercased())DRG_RULE\(rule).csv" }

    public static func load(url: URL) throws -> CAMLHyperparameters {
        let expected = "a pickled dict of CAML run arguments"
        let (_, entries) = try CAMLPickle.stringKeyedDict(at: url, expected: expected)
        let values = Dictionary(entries, uniquingKeysWith: { _, last in last })
        func fail(_ reason: String) -> CAMLError { CAMLError(path: url.path, reason: reason) }
        func int(_ key: String) throws -> Int? {
            guard let value = values[key], value != .none else { return nil }
            guard let number = value.int else { throw fail("\(key) is a \(value.kind), not an int") }
            return number
        }
        func string(_ key: String) throws -> String? {
            guard let value = values[key], value != .none else { return nil }
            guard let text = value.string else { throw fail("\(key) is a \(value.kind), not a str") }
            return text
        }
        if let model = try string("model"), model != "CAML" {
            throw fail("model \(model) (only CAML is implemented; MultiResCNN is not)")
        }
        if let target = try string("target"), target != "drg" {
            throw fail("target \(target) (only the DRG classifier, target drg, is implemented; not the relative-weight regression)")
        }
        var h = CAMLHyperparameters()
        h.cohort = try string("cohort") ?? h.cohort
        h.rule = try string("rule") ?? h.rule
        h.ruleDirectory = try string("rule_dir") ?? h.ruleDirectory
        h.maxSequenceLength = try int("max_seq_length") ?? h.maxSequenceLength
        h.kernelSize = try int("single_kernel_size") ?? h.kernelSize
        h.filterMaps = try int("cnn_filter_maps") ?? h.filterMaps
        h.labelCount = try int("Y")
        h.threshold = try int("threshold") ?? h.threshold
        guard ["ms", "apr"].contains(h.cohort) else { throw fail("cohort \(h.cohort) is neither ms nor apr") }
        guard h.maxSequenceLength > 0, h.maxSequenceLength <= 1_000_000 else { throw fail("max_seq_length \(h.maxSequenceLength) is out of range") }
        guard h.kernelSize > 0, h.kernelSize <= 1000 else { throw fail("single_kernel_size \(h.kernelSize) is out of range") }
        guard h.filterMaps > 0 else { throw fail("cnn_filter_maps \(h.filterMaps) is not positive") }
        if let y = h.labelCount, y <= 0 { throw fail("Y \(y) is not positive") }
        return h
    }
}
