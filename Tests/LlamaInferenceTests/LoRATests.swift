import Foundation
import Testing
import TestSupport
@testable import LlamaInference

/// PEFT adapters merged at load against PEFT's own *unmerged* forward.
@Suite struct LoRATests {
    @Test(arguments: ["adapter-lora", "adapter-rslora"])
    func mergedAdapterMatchesPEFTUnmerged(_ adapter: String) throws {
        let base = Fixtures.model("tiny-f32")
        let model = try LlamaSequenceClassifier.load(modelDirectory: base,
                                                     adapterDirectory: base.appendingPathComponent(adapter), threads: 1)
        for reference in try Fixtures.cases("tiny-f32/\(adapter)") {
            let logits = try model.logits(tokenIDs: reference.tokenIDs)
            let worst = maxAbsoluteDifference(logits, reference.logits)
            #expect(worst.value <= ReferenceLogitsTests.tolerance, "\(adapter) \(reference.name): |Δ| \(worst.value) at \(worst.index)")
        }
    }

    @Test func adapterChangesTheLogits() throws {
        // Guards the test above against an adapter that merges nothing.
        let base = try Fixtures.tinyF32.get()
        let plain = try base.logits(tokenIDs: [1, 5, 9, 12])
        let adapted = try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("tiny-f32"),
            adapterDirectory: Fixtures.model("tiny-f32/adapter-lora"), threads: 1).logits(tokenIDs: [1, 5, 9, 12])
        #expect(maxAbsoluteDifference(plain, adapted).value > 0.1)
    }

    @Test func adapterKeysAndScalesAreReadAsPEFTWritesThem() throws {
        let lora = try LoRAAdapter.load(directory: Fixtures.model("tiny-f32/adapter-lora"))
        #expect(lora.updates.count == 14)  // 7 linears × 2 layers
        #expect(lora.updates["model.layers.1.mlp.down_proj.weight"]?.scale == 2)  // alpha 8 / r 4
        #expect(lora.replacements.keys.sorted() == ["score.weight"])
        #expect(lora.unrecognised.isEmpty)
        let rs = try LoRAAdapter.load(directory: Fixtures.model("tiny-f32/adapter-rslora"))
        #expect(rs.updates.count == 4)
        #expect(rs.updates["model.layers.0.self_attn.q_proj.weight"]?.scale == 3)  // alpha 6 / √4
    }

    @Test func mergeIsWPlusScaledBA() throws {
        // W (2×3), B (2×1), A (1×3), s = 0.5  →  W + 0.5·B·A, checked by hand.
        var file = SafeTensorsWriter()
        file.add("w", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        file.add("a", shape: [1, 3], floats: [1, 0, -1])
        file.add("b", shape: [2, 1], floats: [2, 4])
        let parsed = try SafeTensorsFile(buffer: ByteBuffer(copying: file.data()), path: "memory")
        let w = try #require(parsed.tensors["w"]), a = try #require(parsed.tensors["a"]), b = try #require(parsed.tensors["b"])
        let merged = mergeLoRA(into: WeightMatrix(view: w, rows: 2, columns: 3), update: .init(a: a, b: b, scale: 0.5))
        var values = [Float](repeating: 0, count: 6)
        values.withUnsafeMutableBufferPointer { merged.widenRows(0, count: 2, into: $0.baseAddress!) }
        #expect(values == [2, 2, 2, 6, 5, 4])
    }

    @Test func unsupportedAdapterSettingsAreRefusedByName() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        for (setting, word) in [("\"use_dora\": true", "use_dora"), ("\"fan_in_fan_out\": true", "fan_in_fan_out"),
                                ("\"peft_type\": \"IA3\"", "IA3"), ("\"bias\": \"all\"", "bias")] {
            try "{\"r\": 4, \"lora_alpha\": 8, \(setting)}".write(to: temp.url.appendingPathComponent("adapter_config.json"),
                                                                atomically: true, encoding: .utf8)
            #expect { try LoRAAdapter.load(directory: temp.url) } throws: { "\($0)".contains(word) }
        }
    }

    @Test func adapterTargetingAnUnknownModuleIsListed() throws {
        let temp = try TemporaryDirectory(); defer { temp.cleanUp() }
        let source = Fixtures.model("tiny-f32/adapter-lora")
        try FileManager.default.copyItem(at: source.appendingPathComponent("adapter_config.json"),
                                         to: temp.url.appendingPathComponent("adapter_config.json"))
        var file = SafeTensorsWriter()
        file.add("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", shape: [4, 32], floats: .init(repeating: 0, count: 128))
        file.add("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", shape: [31, 4], floats: .init(repeating: 0, count: 124))
        file.add("base_model.model.model.layers.9.self_attn.q_proj.lora_A.weight", shape: [4, 32], floats: .init(repeating: 0, count: 128))
        file.add("base_model.model.model.layers.9.self_attn.q_proj.lora_B.weight", shape: [32, 4], floats: .init(repeating: 0, count: 128))
        file.add("base_model.model.model.layers.0.mlp.up_proj.lora_A.weight", shape: [4, 32], floats: .init(repeating: 0, count: 128))
        try file.data().write(to: temp.url.appendingPathComponent("adapter_model.safetensors"))
        let error = #expect(throws: LoadError.self) {
            try LlamaSequenceClassifier.load(modelDirectory: Fixtures.model("tiny-f32"), adapterDirectory: temp.url)
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("model.layers.9.self_attn.q_proj.lora_A/B"))
        #expect(message.contains("up_proj.lora_A.weight (no lora_B)"))
        #expect(message.contains("q_proj.lora_B.weight is [31, 4] but the config implies [32, 4]"))
    }
}
