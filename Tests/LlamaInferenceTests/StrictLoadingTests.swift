import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// A checkpoint that does not match its config fails with *every* difference listed.
@Suite struct StrictLoadingTests {
    /// A 1-layer config and the tensors it implies (hidden 4, 2 heads of 2, 1 kv-head, inter 6, vocab 10, 3 labels).
    static let config = LlamaConfig(hiddenSize: 4, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 1,
                                    intermediateSize: 6, vocabSize: 10, numLabels: 3)

    static func completeCheckpoint() -> SafeTensorsWriter {
        var file = SafeTensorsWriter()
        for (key, shape) in LlamaWeights.expectedShapes(config, labels: 3) {
            file.add(key, shape: shape, floats: (0..<shape.reduce(1, *)).map { Float($0 % 7) * 0.1 })
        }
        return file
    }

    static func store(_ file: SafeTensorsWriter) throws -> TensorStore {
        let parsed = try SafeTensorsFile(buffer: ByteBuffer(copying: file.data()), path: "memory.safetensors")
        return TensorStore(source: "memory.safetensors", tensors: parsed.tensors)
    }

    @Test func aCompleteCheckpointLoads() throws {
        let weights = try LlamaWeights.load(config: Self.config, store: Self.store(Self.completeCheckpoint()))
        #expect(weights.layers.count == 1 && weights.labelCount == 3)
        let model = try LlamaSequenceClassifier(config: Self.config, weights: weights, threads: 1)
        #expect(try model.logits(tokenIDs: [1, 2, 3]).count == 3)
    }

    @Test func missingUnexpectedMisShapedAndWrongDTypeAreAllListed() throws {
        var file = Self.completeCheckpoint()
        file.entries.removeAll { $0.name == "model.norm.weight" || $0.name == "model.layers.0.mlp.up_proj.weight" }
        file.add("model.layers.7.self_attn.q_proj.weight", shape: [1], floats: [0])
        file.add("lm_head.weight", shape: [10, 4], floats: .init(repeating: 0, count: 40))            // sanitized
        file.add("model.layers.0.self_attn.rotary_emb.inv_freq", shape: [1], floats: [1])           // sanitized
        if let i = file.entries.firstIndex(where: { $0.name == "model.layers.0.self_attn.k_proj.weight" }) {
            file.entries[i] = .init(name: file.entries[i].name, dtype: "F32", shape: [4, 4], bytes: .init(repeating: 0, count: 64))
        }
        if let i = file.entries.firstIndex(where: { $0.name == "score.weight" }) {
            file.entries[i] = .init(name: "score.weight", dtype: "I32", shape: [3, 4], bytes: .init(repeating: 0, count: 48))
        }
        let error = #expect(throws: LoadError.self) { try LlamaWeights.load(config: Self.config, store: Self.store(file)) }
        guard case .tensorMismatch(let mismatch)? = error else { Issue.record("not a tensor mismatch: \(String(describing: error))"); return }
        #expect(mismatch.missing == ["model.layers.0.mlp.up_proj.weight", "model.norm.weight"])
        #expect(mismatch.unexpected == ["model.layers.7.self_attn.q_proj.weight"])
        #expect(mismatch.misShaped == [.init(name: "model.layers.0.self_attn.k_proj.weight", expected: [2, 4], actual: [4, 4])])
        #expect(mismatch.unsupportedDType == [.init(name: "score.weight", dtype: "I32")])
        let line = mismatch.description
        #expect(!line.contains("\n") && line.contains("missing 2") && line.contains("unexpected 1") && line.contains("mis-shaped 1"))
    }

    @Test func aCausalLMBaseNeedsTheScoreFromTheAdapterOrFails() throws {
        var file = Self.completeCheckpoint()
        file.entries.removeAll { $0.name == "score.weight" }
        var config = Self.config
        config.numLabels = nil
        #expect { try LlamaWeights.load(config: config, store: Self.store(file)) } throws: {
            "\($0)".contains("no num_labels or id2label")
        }
        config.numLabels = 3
        #expect { try LlamaWeights.load(config: config, store: Self.store(file)) } throws: {
            "\($0)".contains("missing 1: score.weight")
        }
    }

    @Test func aShardIndexNamingAMissingFileFails() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        try "{\"weight_map\": {\"model.norm.weight\": \"model-00001-of-00002.safetensors\"}}"
            .write(to: temp.url.appendingPathComponent("model.safetensors.index.json"), atomically: true, encoding: .utf8)
        #expect { try TensorStore.load(modelDirectory: temp.url) } throws: { "\($0)".contains("model-00001-of-00002.safetensors: cannot read") }
        try "{\"weight_map\": {\"model.norm.weight\": \"../x.safetensors\"}}"
            .write(to: temp.url.appendingPathComponent("model.safetensors.index.json"), atomically: true, encoding: .utf8)
        #expect { try TensorStore.load(modelDirectory: temp.url) } throws: { "\($0)".contains("must be a file in the model directory") }
        #expect { try TensorStore.load(modelDirectory: temp.url.appendingPathComponent("nowhere")) } throws: {
            "\($0)".contains("no model.safetensors")
        }
    }

    @Test func theShippedFixturesHaveExactlyTheNameMap() throws {
        let store = try TensorStore.load(modelDirectory: Fixtures.model("llama3-bf16"))
        let config = try LlamaConfig.load(directory: Fixtures.model("llama3-bf16"))
        #expect(Set(store.tensors.keys) == Set(LlamaWeights.expectedShapes(config, labels: 345).map(\.key)))
    }
}

@Suite struct ConfigTests {
    @Test func transformers4And5RopeStylesDecode() throws {
        let old = #"{"hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":4,"vocab_size":5,"num_labels":2,"rope_theta":500000.0,"rope_scaling":{"type":"linear","factor":2.0}}"#
        let new = #"{"hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":1,"head_dim":4,"intermediate_size":4,"vocab_size":5,"id2label":{"0":"a","1":"b","2":"c"},"rope_parameters":{"rope_type":"llama3","rope_theta":500000.0,"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192}}"#
        let a = try JSONDecoder().decode(LlamaConfig.self, from: Data(old.utf8))
        let b = try JSONDecoder().decode(LlamaConfig.self, from: Data(new.utf8))
        #expect(try a.resolvedRope() == .init(theta: 500000, scaling: .linear(factor: 2)))
        #expect(a.kvHeads == 2 && a.headDimension == 4 && a.labelCount == 2)
        #expect(try b.resolvedRope().scaling == .llama3(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContext: 8192))
        #expect(b.kvHeads == 1 && b.labelCount == 3)
    }

    @Test func unsupportedConfigsAreRefusedByField() throws {
        func failure(_ edit: (inout LlamaConfig) -> Void) -> String {
            var config = LlamaConfig(hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 4, vocabSize: 5, numLabels: 2)
            edit(&config)
            do { try config.validate(); return "" } catch { return "\(error)" }
        }
        #expect(failure { _ in } == "")
        #expect(failure { $0.numKeyValueHeads = 3 }.contains("does not divide num_attention_heads"))
        #expect(failure { $0.numAttentionHeads = 3 }.contains("does not divide hidden_size"))
        #expect(failure { $0.hiddenAct = "gelu" }.contains("hidden_act"))
        #expect(failure { $0.attentionBias = true }.contains("attention_bias"))
        #expect(failure { $0.ropeScaling = .init(ropeType: "yarn", factor: 2) }.contains("\"yarn\" is not supported"))
        #expect(failure { $0.ropeScaling = .init(ropeType: "llama3", factor: 2) }.contains("needs low_freq_factor"))
        #expect(failure { $0.headDim = 3 }.contains("must be even"))
        #expect(failure { $0.vocabSize = 0 }.contains("vocab_size must be positive"))
        // Issue 13: nonsense sizes and frequencies are refused, not run.
        #expect(failure { $0.maxPositionEmbeddings = 0 }.contains("max_position_embeddings must be positive"))
        #expect(failure { $0.maxPositionEmbeddings = -4096 }.contains("max_position_embeddings must be positive"))
        #expect(failure { $0.ropeTheta = 0 }.contains("rope_theta must be positive"))
        #expect(failure { $0.ropeTheta = -10000 }.contains("rope_theta must be positive"))
        #expect(failure { $0.rmsNormEps = 0 }.contains("rms_norm_eps must be positive"))
    }

    @Test func llama3ScalingLeavesHighFrequenciesAndDividesLowOnes() {
        let rope = RotaryEmbedding(rope: .init(theta: 500000, scaling: .llama3(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalContext: 8192)), headDim: 128)
        let plain = RotaryEmbedding(rope: .init(theta: 500000, scaling: .none), headDim: 128)
        #expect(rope.inverseFrequencies[0] == plain.inverseFrequencies[0])
        #expect(abs(rope.inverseFrequencies[63] - plain.inverseFrequencies[63] / 8) < 1e-12)
    }
}

@Suite struct HalfPrecisionTests {
    @Test func everyBinary16PatternWidensExactly() {
        var mismatches = 0
        for bits in 0...0xFFFF {
            let expected = Float(Float16(bitPattern: UInt16(bits)))
            let actual = widenBinary16(UInt16(bits))
            if !(expected.bitPattern == actual.bitPattern || (expected.isNaN && actual.isNaN)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func bfloat16IsTheTopHalfOfAFloat() {
        let source: [UInt16] = [0x3F80, 0xC000, 0x0000, 0x7F80]
        var out = [Float](repeating: .nan, count: 4)
        source.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { HalfFormat.bf16.widen(s.baseAddress!, into: $0.baseAddress!, count: 4) }
        }
        #expect(out == [1, -2, 0, .infinity])
    }
}

@Suite struct AdapterHeadTests {
    /// A causal-LM base (no `score`, `lm_head` present, transformers' default 2 labels in its config)
    /// takes its head, and its label count, from the adapter's modules_to_save.
    @Test func theAdaptersScoreDefinesTheHeadOfACausalLMBase() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        var config = StrictLoadingTests.config
        config.numLabels = nil
        config.id2label = ["0": "LABEL_0", "1": "LABEL_1"]
        var base = StrictLoadingTests.completeCheckpoint()
        base.entries.removeAll { $0.name == "score.weight" }
        base.add("lm_head.weight", shape: [10, 4], floats: .init(repeating: 0.5, count: 40))
        try #"{"r": 1, "lora_alpha": 2, "peft_type": "LORA", "task_type": "SEQ_CLS"}"#
            .write(to: temp.url.appendingPathComponent("adapter_config.json"), atomically: true, encoding: .utf8)
        var adapter = SafeTensorsWriter()
        adapter.add("base_model.model.score.weight", shape: [5, 4], floats: (0..<20).map { Float($0) / 10 })
        adapter.add("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", shape: [1, 4], floats: [1, 0, 0, 0])
        adapter.add("base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight", shape: [2, 1], floats: [1, -1])
        try adapter.data().write(to: temp.url.appendingPathComponent("adapter_model.safetensors"))
        let weights = try LlamaWeights.load(config: config, store: StrictLoadingTests.store(base),
                                            adapter: LoRAAdapter.load(directory: temp.url))
        #expect(weights.labelCount == 5)
        let model = try LlamaSequenceClassifier(config: config, weights: weights, threads: 1)
        #expect(try model.logits(tokenIDs: [3, 4]).count == 5)
    }
}
