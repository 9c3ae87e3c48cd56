/// Everything that can go wrong while reading a model directory, a safetensors file or an adapter.
///
/// Each case prints as one line that names the file and what is wrong with it, so the CLI can show it
/// as is (`drgcoder predict: config.json: num_attention_heads (5) does not divide hidden_size (32)`).
/// Strict loading collects *every* missing, unexpected and mis-shaped tensor before failing, so one run
/// shows the whole mismatch instead of the first name.
public enum LoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file could not be opened or mapped.
    case unreadable(path: String, reason: String)
    /// A safetensors file whose bytes do not follow the format.
    case malformedSafetensors(path: String, reason: String)
    /// A PyTorch `torch.save` file (`.bin`) that cannot be read as a state dict, or names a global a
    /// state dict never uses.
    case malformedPyTorch(path: String, reason: String)
    /// `config.json` (or `adapter_config.json`) is not usable.
    case badConfig(path: String, reason: String)
    /// The tensors of a checkpoint do not match the architecture its config describes.
    case tensorMismatch(TensorMismatch)
    /// A PEFT adapter that cannot be merged into this model.
    case badAdapter(path: String, reason: String)
    /// `DRGCODER_KERNELS` holds something other than `native` or `widen` (``NativeKernels``).
    case badKernelSetting(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .malformedSafetensors(let path, let reason): return "\(path): not a valid safetensors file: \(reason)"
        case .malformedPyTorch(let path, let reason): return "\(path): not a readable PyTorch checkpoint: \(reason)"
        case .badConfig(let path, let reason): return "\(path): \(reason)"
        case .tensorMismatch(let mismatch): return mismatch.description
        case .badAdapter(let path, let reason): return "\(path): \(reason)"
        case .badKernelSetting(let value):
            return "\(NativeKernels.environmentKey)=\(value) in the environment: expected native or widen"
        }
    }
}

/// The full list of differences between the tensors a config implies and the tensors a checkpoint holds.
public struct TensorMismatch: Equatable, Sendable, CustomStringConvertible {
    public struct Shape: Equatable, Sendable {
        public var name: String
        public var expected: [Int]
        public var actual: [Int]
        public init(name: String, expected: [Int], actual: [Int]) { self.name = name; self.expected = expected; self.actual = actual }
    }
    public struct DType: Equatable, Sendable {
        public var name: String
        public var dtype: String
        public init(name: String, dtype: String) { self.name = name; self.dtype = dtype }
    }
    /// Where the tensors came from (a directory or an adapter), for the message.
    public var source: String
    public var missing: [String] = []
    public var unexpected: [String] = []
    public var misShaped: [Shape] = []
    public var unsupportedDType: [DType] = []

    public var isEmpty: Bool { missing.isEmpty && unexpected.isEmpty && misShaped.isEmpty && unsupportedDType.isEmpty }

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.count): \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { parts.append("unexpected \(unexpected.count): \(unexpected.joined(separator: ", "))") }
        if !misShaped.isEmpty {
            let list = misShaped.map { "\($0.name) is \($0.actual) but the config implies \($0.expected)" }
            parts.append("mis-shaped \(misShaped.count): \(list.joined(separator: ", "))")
        }
        if !unsupportedDType.isEmpty {
            let list = unsupportedDType.map { "\($0.name) (\($0.dtype))" }
            parts.append("unsupported dtype (F32, F16 or BF16 expected) \(unsupportedDType.count): \(list.joined(separator: ", "))")
        }
        return "\(source): tensors do not match the config: " + parts.joined(separator: "; ")
    }
}

extension TensorMismatch {
    /// An empty list for `source`; public (with the two below) for the models above the engine, such as
    /// DRGInference's CAML, which report their mismatches the same way. In an extension so the memberwise
    /// initialisers stay.
    public init(source: String) { self.init(source: source, missing: []) }
}
