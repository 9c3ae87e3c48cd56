import Foundation

/// The tensors of a `LlamaForSequenceClassification`, one field per checkpoint key, loaded strictly.
///
/// The name map (safetensors key → field, shape from the config; `L` layers, `d` head_dim):
/// ```
/// model.embed_tokens.weight                      embedTokens        (vocab, hidden)
/// model.layers.{i}.input_layernorm.weight        inputNorm          (hidden)
/// model.layers.{i}.self_attn.q_proj.weight       q                  (heads·d, hidden)
/// model.layers.{i}.self_attn.k_proj.weight       k                  (kvHeads·d, hidden)
/// model.layers.{i}.self_attn.v_proj.weight       v                  (kvHeads·d, hidden)
/// model.layers.{i}.self_attn.o_proj.weight       o                  (hidden, heads·d)
/// model.layers.{i}.post_attention_layernorm.weight  postAttentionNorm (hidden)
/// model.layers.{i}.mlp.gate_proj.weight          gate               (intermediate, hidden)
/// model.layers.{i}.mlp.up_proj.weight            up                 (intermediate, hidden)
/// model.layers.{i}.mlp.down_proj.weight          down               (hidden, intermediate)
/// model.norm.weight                              norm               (hidden)
/// score.weight                                   score              (num_labels, hidden)
/// ```
/// `sanitize` drops the known extras a checkpoint may carry that the classifier does not use:
/// `lm_head.weight` (a causal-LM base whose `score` comes from the adapter) and the old
/// `*.rotary_emb.inv_freq` buffers (recomputed from the config). Anything else not in the map is an
/// error, as is anything missing, mis-shaped or not F32/F16/BF16 — all reported together.
///
/// Memory: matrices stay as mapped (half stays half); norms are widened (tiny); LoRA targets of an
/// f32 checkpoint become owned merged copies, those of a half checkpoint keep `A` and `B` in f32
/// beside the mapped weight (see `mergeLoRA`).
public struct LlamaWeights: Sendable {
    public struct Block: Sendable {
        public var inputNorm: [Float]            // (hidden)
        public var q: WeightMatrix               // (heads·headDim, hidden)
        public var k: WeightMatrix               // (kvHeads·headDim, hidden)
        public var v: WeightMatrix               // (kvHeads·headDim, hidden)
        public var o: WeightMatrix               // (hidden, heads·headDim)
        public var postAttentionNorm: [Float]    // (hidden)
        public var gate: WeightMatrix            // (intermediate, hidden)
        public var up: WeightMatrix              // (intermediate, hidden)
        public var down: WeightMatrix            // (hidden, intermediate)
    }
    public var embedTokens: WeightMatrix         // (vocab, hidden)
    public var layers: [Block]
    public var norm: [Float]                     // (hidden)
    public var score: WeightMatrix               // (labels, hidden)

    /// Number of logits the head produces.
    public var labelCount: Int { score.rows }

    /// Every key the config implies, with its shape, in checkpoint order.
    public static func expectedShapes(_ config: LlamaConfig, labels: Int) -> [(key: String, shape: [Int])] {
        let hidden = config.hiddenSize, d = config.headDimension
        let qRows = config.numAttentionHeads * d, kvRows = config.kvHeads * d, inter = config.intermediateSize
        var shapes: [(String, [Int])] = [("model.embed_tokens.weight", [config.vocabSize, hidden])]
        for i in 0..<config.numHiddenLayers {
            let p = "model.layers.\(i)."
            shapes += [
                (p + "input_layernorm.weight", [hidden]),
                (p + "self_attn.q_proj.weight", [qRows, hidden]),
                (p + "self_attn.k_proj.weight", [kvRows, hidden]),
                (p + "self_attn.v_proj.weight", [kvRows, hidden]),
                (p + "self_attn.o_proj.weight", [hidden, qRows]),
                (p + "post_attention_layernorm.weight", [hidden]),
                (p + "mlp.gate_proj.weight", [inter, hidden]),
                (p + "mlp.up_proj.weight", [inter, hidden]),
                (p + "mlp.down_proj.weight", [hidden, inter]),
            ]
        }
        shapes += [("model.norm.weight", [hidden]), ("score.weight", [labels, hidden])]
        return shapes
    }

    /// Known extras that are dropped, not reported (see the type's documentation).
    public static func sanitize(_ tensors: [String: TensorView]) -> [String: TensorView] {
        tensors.filter { key, _ in key != "lm_head.weight" && !key.hasSuffix(".rotary_emb.inv_freq") }
    }

    /// Loads the weights `config` describes from `store`, with `adapter` merged when given.
    ///
    /// The label count is the rows of the adapter's `score` (modules_to_save) when it has one, else
    /// the config's (`num_labels` / `id2label`), else the rows of the base's `score`.
    /// With `format` ``WeightFormat/q8`` the seven projections of every layer are quantized
    /// (`threads` ways) after any LoRA merge; embeddings, norms and `score` stay as stored.
    public static func load(config: LlamaConfig, store: TensorStore, adapter: LoRAAdapter? = nil,
                            format: WeightFormat = .stored, threads: Int = 1) throws -> LlamaWeights {
        let base = sanitize(store.tensors)
        let replacements = adapter?.replacements ?? [:]
        // The adapter's own head defines the labels: a causal-LM base's config may carry transformers'
        // default two labels.
        guard let labels = replacements["score.weight"]?.shape.first ?? config.labelCount ?? base["score.weight"]?.shape.first else {
            throw LoadError.badConfig(path: store.source, reason: "no num_labels or id2label in config.json and no score.weight to infer it from")
        }
        let expected = expectedShapes(config, labels: labels)
        let expectedKeys = Set(expected.map(\.key))

        var mismatch = TensorMismatch(source: store.source)
        var resolved: [String: TensorView] = [:]
        for (key, shape) in expected {
            guard let view = replacements[key] ?? base[key] else { mismatch.missing.append(key); continue }
            check(view, as: key, shape: shape, into: &mismatch)
            resolved[key] = view
        }
        mismatch.unexpected = base.keys.filter { !expectedKeys.contains($0) }.sorted()
        guard mismatch.isEmpty else { throw LoadError.tensorMismatch(mismatch) }

        if let adapter {
            var adapterMismatch = TensorMismatch(source: adapter.directory.path)
            adapterMismatch.unexpected = adapter.unrecognised
                + adapter.replacements.keys.filter { !expectedKeys.contains($0) }.map { LoRAAdapter.prefix + $0 }.sorted()
            let shapes = Dictionary(expected, uniquingKeysWith: { first, _ in first })
            for (key, update) in adapter.updates.sorted(by: { $0.key < $1.key }) {
                guard let shape = shapes[key], shape.count == 2, key != "model.embed_tokens.weight" else {
                    adapterMismatch.unexpected.append(LoRAAdapter.prefix + key.dropLast(".weight".count) + ".lora_A/B")
                    continue
                }
                let rank = update.a.shape.first ?? 0
                let module = LoRAAdapter.prefix + key.dropLast(".weight".count)
                check(update.a, as: module + ".lora_A.weight", shape: [rank, shape[1]], into: &adapterMismatch)
                check(update.b, as: module + ".lora_B.weight", shape: [shape[0], rank], into: &adapterMismatch)
            }
            guard adapterMismatch.isEmpty else { throw LoadError.tensorMismatch(adapterMismatch) }
        }

        func resolvedView(_ key: String) throws -> TensorView {
            guard let view = resolved[key] else {  // unreachable: every expected key was resolved or reported
                throw LoadError.tensorMismatch(TensorMismatch(source: store.source, missing: [key]))
            }
            return view
        }
        func matrix(_ key: String) throws -> WeightMatrix {
            let view = try resolvedView(key)
            let weight = WeightMatrix(view: view, rows: view.shape[0], columns: view.shape[1])
            guard let update = adapter?.updates[key] else { return weight }
            return mergeLoRA(into: weight, update: update)
        }
        func vector(_ key: String) throws -> [Float] {
            let view = try resolvedView(key)
            var values = [Float](repeating: 0, count: view.elementCount)
            values.withUnsafeMutableBufferPointer { buffer in
                if let base = buffer.baseAddress {
                    WeightMatrix(view: view, rows: 1, columns: view.elementCount).widenRows(0, count: 1, into: base)
                }
            }
            return values
        }
        func projection(_ key: String) throws -> WeightMatrix {
            let weight = try matrix(key)
            return format == .q8 ? weight.quantized(threads: threads) : weight
        }
        let layers = try (0..<config.numHiddenLayers).map { i -> Block in
            let p = "model.layers.\(i)."
            return Block(inputNorm: try vector(p + "input_layernorm.weight"),
                         q: try projection(p + "self_attn.q_proj.weight"), k: try projection(p + "self_attn.k_proj.weight"),
                         v: try projection(p + "self_attn.v_proj.weight"), o: try projection(p + "self_attn.o_proj.weight"),
                         postAttentionNorm: try vector(p + "post_attention_layernorm.weight"),
                         gate: try projection(p + "mlp.gate_proj.weight"), up: try projection(p + "mlp.up_proj.weight"),
                         down: try projection(p + "mlp.down_proj.weight"))
        }
        return LlamaWeights(embedTokens: try matrix("model.embed_tokens.weight"), layers: layers,
                            norm: try vector("model.norm.weight"), score: try matrix("score.weight"))
    }

    private static func check(_ view: TensorView, as key: String, shape: [Int], into mismatch: inout TensorMismatch) {
        if !view.dtype.isFloatingPointWeight {
            mismatch.unsupportedDType.append(.init(name: key, dtype: view.dtype.rawValue))
        } else if view.shape != shape {
            mismatch.misShaped.append(.init(name: key, expected: shape, actual: view.shape))
        }
    }
}
