import Foundation

/// All tensors of one checkpoint by name, whichever of the four Hugging Face layouts holds them:
/// `model.safetensors`, safetensors shards listed by `model.safetensors.index.json`,
/// `pytorch_model.bin`, or `.bin` shards listed by `pytorch_model.bin.index.json`
/// (`{"weight_map": {"model.norm.weight": "pytorch_model-00033-of-00033.bin", ...}}`), in that order of
/// preference — transformers' own order when a directory holds both.
///
/// Contract: every shard the index names is opened (and mapped); a tensor the index lists must be in
/// the shard it names, and no tensor may appear in two shards. `.bin` files are read as data by
/// ``TorchCheckpoint`` (no pickle is executed).
public struct TensorStore: Sendable {
    /// Where the tensors came from, for messages.
    public var source: String
    public var tensors: [String: TensorView]
    /// The weight files read, in file-name order (hashed into a prediction's model identity).
    public var files: [URL]
    /// `safetensors` or `pytorch` (zip or legacy), for `model inspect`.
    public var format: String

    public init(source: String, tensors: [String: TensorView], files: [URL] = [], format: String = "safetensors") {
        self.source = source; self.tensors = tensors; self.files = files; self.format = format
    }

    /// The layouts, in the order they are looked for: file name, index name, format, reader.
    static let layouts: [(single: String, index: String, format: String, read: @Sendable (URL) throws -> [String: TensorView])] = [
        ("model.safetensors", "model.safetensors.index.json", "safetensors", { try SafeTensorsFile(url: $0).tensors }),
        ("pytorch_model.bin", "pytorch_model.bin.index.json", "pytorch", { try TorchCheckpoint(url: $0).tensors }),
    ]

    /// The checkpoint of `directory` (see the type's documentation for the order).
    public static func load(modelDirectory directory: URL) throws -> TensorStore {
        let fileManager = FileManager.default
        for layout in layouts {
            let single = directory.appendingPathComponent(layout.single)
            if fileManager.fileExists(atPath: single.path) {
                return TensorStore(source: single.path, tensors: try layout.read(single), files: [single], format: layout.format)
            }
            let index = directory.appendingPathComponent(layout.index)
            if fileManager.fileExists(atPath: index.path) {
                return try loadSharded(index: index, format: layout.format, read: layout.read)
            }
        }
        throw LoadError.unreadable(path: directory.path, reason: "no model.safetensors, pytorch_model.bin or a shard index (.index.json) of either")
    }

    static func loadSharded(index: URL, format: String = "safetensors",
                            read: (URL) throws -> [String: TensorView] = { try SafeTensorsFile(url: $0).tensors }) throws -> TensorStore {
        struct Index: Decodable {
            var weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let parsed: Index
        do {
            parsed = try JSONDecoder().decode(Index.self, from: Data(contentsOf: index))
        } catch let error as DecodingError {
            throw LoadError.badConfig(path: index.path, reason: SafeTensorsFile.summary(of: error))
        } catch {
            throw LoadError.unreadable(path: index.path, reason: error.localizedDescription)
        }
        let directory = index.deletingLastPathComponent()
        var tensors: [String: TensorView] = [:]
        var shardOf: [String: String] = [:]
        let shards = Set(parsed.weightMap.values).sorted()
        for shard in shards {
            guard !shard.contains("/"), !shard.hasPrefix(".") else {
                throw LoadError.badConfig(path: index.path, reason: "shard name \"\(shard)\" must be a file in the model directory")
            }
            for (name, view) in try read(directory.appendingPathComponent(shard)) {
                guard tensors[name] == nil else {
                    throw LoadError.badConfig(path: index.path, reason: "tensor \(name) appears in more than one shard")
                }
                tensors[name] = view
                shardOf[name] = shard
            }
        }
        let misplaced = parsed.weightMap.filter { name, shard in shardOf[name] != shard }.keys.sorted()
        guard misplaced.isEmpty else {
            throw LoadError.badConfig(path: index.path, reason: "tensors listed but not found in their shard: \(misplaced.joined(separator: ", "))")
        }
        return TensorStore(source: index.path, tensors: tensors, files: shards.map { directory.appendingPathComponent($0) }, format: format)
    }
}
