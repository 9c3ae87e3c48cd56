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
    /// SHA-256 (hex) of the weights: the bytes of every weight file, in file-name order; prefixed
    /// `q8:` when the weights were quantized at load (``weights(sha256:quantizedAs:)``).
    public var weightsSHA256: String
    /// SHA-256 (hex) of `adapter_model.safetensors`, when an adapter was merged.
    public var adapterSHA256: String?
    /// The label space's name (`drg-llama-single`, `drg-llama-two`, or a file path).
    public var labelSpace: String

    public init(path: String, weightsSHA256: String, adapterSHA256: String?, labelSpace: String) {
        self.path = path; self.weightsSHA256 = weightsSHA256
        self.adapterSHA256 = adapterSHA256; self.labelSpace = labelSpace
    }

    /// The `weightsSHA256` value for weights read as stored (`quantizedAs` nil) or quantized at load
    /// (`"q8"` → `"q8:ab12…"`). A quantized model answers differently from the stored one, so it is a
    /// different model for batch scoring's "already scored by this model" and for an auditor.
    public static func weights(sha256: String, quantizedAs format: String?) -> String {
        format.map { "\($0):\(sha256)" } ?? sha256
    }

    /// `weights|adapter-or-none|label space`, e.g. `"ab12…|none|drg-llama-single"`.
    public var key: String { "\(weightsSHA256)|\(adapterSHA256 ?? "none")|\(labelSpace)" }

    enum CodingKeys: String, CodingKey {
        case path, weightsSHA256 = "weights_sha256", adapterSHA256 = "adapter_sha256", labelSpace = "label_space"
    }
}
