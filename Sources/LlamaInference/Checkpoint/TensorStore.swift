import Foundation

/// All tensors of one checkpoint by name, whether it is one `model.safetensors` or shards listed by
/// `model.safetensors.index.json` (`{"weight_map": {"model.norm.weight": "model-00002-of-00002.safetensors", ...}}`).
///
/// Contract: every shard the index names is opened (and mapped); a tensor the index lists must be in
/// the shard it names, and no tensor may appear in two shards. Does not: load `.bin` (pickle)
/// checkpoints — convert them with `safetensors` first.
public struct TensorStore: Sendable {
    /// Where the tensors came from, for messages.
    public var source: String
    public var tensors: [String: TensorView]
    /// The safetensors files read, in file-name order (hashed into a prediction's model identity).
    public var files: [URL]

    public init(source: String, tensors: [String: TensorView], files: [URL] = []) {
        self.source = source; self.tensors = tensors; self.files = files
    }

    /// `directory/model.safetensors`, else the shards of `directory/model.safetensors.index.json`.
    public static func load(modelDirectory directory: URL) throws -> TensorStore {
        let single = directory.appendingPathComponent("model.safetensors")
        let index = directory.appendingPathComponent("model.safetensors.index.json")
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: single.path) {
            let file = try SafeTensorsFile(url: single)
            return TensorStore(source: single.path, tensors: file.tensors, files: [single])
        }
        guard fileManager.fileExists(atPath: index.path) else {
            throw LoadError.unreadable(path: directory.path, reason: "no model.safetensors or model.safetensors.index.json")
        }
        return try loadSharded(index: index)
    }

    static func loadSharded(index: URL) throws -> TensorStore {
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
            let file = try SafeTensorsFile(url: directory.appendingPathComponent(shard))
            for (name, view) in file.tensors {
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
        return TensorStore(source: index.path, tensors: tensors, files: shards.map { directory.appendingPathComponent($0) })
    }
}
