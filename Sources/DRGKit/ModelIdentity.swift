import Foundation

/// Which model produced a prediction: recorded with every prediction, so an audit can tell models
/// apart and batch scoring can skip cases a model has already scored.
///
/// Made by the engine (`DRGClassifier.identity`, which hashes the files) and stored by the store
/// (`predictions` columns). `key` (weights + adapter + label space) decides whether two runs are
/// "the same model"; `path` is provenance only, so moving a model directory does not cause a rescore.
/// It lives in DRGKit, the module both depend on, so there is one type and no conversions.
public struct ModelIdentity: Codable, Sendable, Equatable, Hashable {
    /// The model directory as given.
    public var path: String
    /// SHA-256 (hex) of the weights: the bytes of every safetensors file, in file-name order.
    public var weightsSHA256: String
    /// SHA-256 (hex) of `adapter_model.safetensors`, when an adapter was merged.
    public var adapterSHA256: String?
    /// The label space's name (`drg-llama-single`, `drg-llama-two`, or a file path).
    public var labelSpace: String

    public init(path: String, weightsSHA256: String, adapterSHA256: String?, labelSpace: String) {
        self.path = path; self.weightsSHA256 = weightsSHA256
        self.adapterSHA256 = adapterSHA256; self.labelSpace = labelSpace
    }

    /// `weights|adapter-or-none|label space`, e.g. `"ab12…|none|drg-llama-single"`.
    public var key: String { "\(weightsSHA256)|\(adapterSHA256 ?? "none")|\(labelSpace)" }

    enum CodingKeys: String, CodingKey {
        case path, weightsSHA256 = "weights_sha256", adapterSHA256 = "adapter_sha256", labelSpace = "label_space"
    }
}
