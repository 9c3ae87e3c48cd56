import Foundation

/// A PEFT LoRA adapter directory (`adapter_config.json` + `adapter_model.safetensors` or
/// `adapter_model.bin`, of PEFT 0.3, 0.4 or today), resolved to
/// what the merge needs: for each targeted linear weight its `A`, `B` and scale, and the whole tensors
/// PEFT saves for `modules_to_save` (the `score` head of a `SEQ_CLS` adapter).
///
/// Key layout, as peft 0.21 writes it (checked against its output by
/// training/fixtures/make_model_fixtures.py):
/// ```
/// base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight   (r, in)
/// base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight   (out, r)
/// base_model.model.score.weight                                     (num_labels, hidden)  modules_to_save
/// ```
/// Scale per module: `lora_alpha / r`, or `lora_alpha / √r` with `use_rslora` (Kalajdzievski 2023,
/// arXiv:2312.03732); `rank_pattern` / `alpha_pattern` override `r` / `lora_alpha` for modules whose
/// name equals the pattern or ends with `"." + pattern`.
///
/// A module both LoRA-targeted and in `modules_to_save` (DRG-LLaMA's `score`: `target_modules`
/// names it and `SEQ_CLS` saves it) is saved by PEFT 0.4 as the trained copy's `score.weight` and
/// `score.lora_A/B.weight`, plus the frozen original's `score.original_module.lora_A/B.weight`.
/// `PeftModel.from_pretrained` loads the first three into the copy that runs and drops the
/// `original_module` ones (checked by running it: Tests/LlamaInferenceTests/Fixtures/drg-llama-2023);
/// so do we: the head is `score.weight + s·B·A`, and the dropped keys are listed in ``ignored``.
///
/// Does not: DoRA, LoRA biases, `fan_in_fan_out` (GPT-2 Conv1D), embedding LoRA, regex patterns.
/// Each is refused with its field's name. `adapter_model.bin` is read as data (``TorchCheckpoint``).
public struct LoRAAdapter: Sendable {
    /// The low-rank update of one weight.
    public struct Update: Sendable {
        /// `(r, in_features)`
        public var a: TensorView
        /// `(out_features, r)`
        public var b: TensorView
        public var scale: Float
    }

    public var directory: URL
    /// Keyed by the base checkpoint's weight name, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public var updates: [String: Update]
    /// Whole tensors that replace the base's (modules_to_save), keyed by base name, e.g. `score.weight`.
    public var replacements: [String: TensorView]
    /// Adapter keys that are neither, for the strict-loading report.
    public var unrecognised: [String]
    /// Keys PEFT itself does not load (a frozen `original_module`'s LoRA), dropped on purpose.
    public var ignored: [String] = []
    /// `adapter_model.safetensors` or `adapter_model.bin` (hashed into the identity of a prediction).
    public var weightsPath: URL
    /// `lora_alpha`, `r` and the modules saved whole, for `model inspect`.
    public var alpha: Double = 0
    public var rank: Int = 0
    public var targetModules: [String] = []

    struct Config: Decodable {
        var peftType: String?
        var r: Int
        var loraAlpha: Double
        var useRslora: Bool?
        var useDora: Bool?
        var fanInFanOut: Bool?
        var bias: String?
        var loraBias: Bool?
        var rankPattern: [String: Int]?
        var alphaPattern: [String: Double]?
        var targetModules: TargetModules?
        /// A list of module names, or (newer PEFT) one regular expression string.
        enum TargetModules: Decodable {
            case names([String]), pattern(String)
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let names = try? container.decode([String].self) { self = .names(names) } else { self = .pattern(try container.decode(String.self)) }
            }
            var list: [String] { switch self { case .names(let n): return n; case .pattern(let p): return [p] } }
        }
        enum CodingKeys: String, CodingKey {
            case peftType = "peft_type", r, loraAlpha = "lora_alpha", useRslora = "use_rslora", useDora = "use_dora"
            case fanInFanOut = "fan_in_fan_out", bias, loraBias = "lora_bias"
            case rankPattern = "rank_pattern", alphaPattern = "alpha_pattern", targetModules = "target_modules"
        }

        func value<T>(for module: String, in patterns: [String: T]?, default fallback: T) -> T {
            guard let patterns else { return fallback }
            let matches = patterns.filter { module == $0.key || module.hasSuffix("." + $0.key) }
            return matches.max { $0.key.count < $1.key.count }?.value ?? fallback
        }
    }

    static let prefix = "base_model.model."

    /// `adapter_model.safetensors`, else `adapter_model.bin` (PEFT's own order), else the former's name
    /// (for the "cannot read" message).
    public static func weightsFile(directory: URL) -> URL {
        let safetensors = directory.appendingPathComponent("adapter_model.safetensors")
        let pickled = directory.appendingPathComponent("adapter_model.bin")
        let fileManager = FileManager.default
        return !fileManager.fileExists(atPath: safetensors.path) && fileManager.fileExists(atPath: pickled.path) ? pickled : safetensors
    }

    public static func load(directory: URL) throws -> LoRAAdapter {
        let configURL = directory.appendingPathComponent("adapter_config.json")
        let weightsURL = weightsFile(directory: directory)
        let useSafetensors = weightsURL.pathExtension == "safetensors"
        let data: Data
        do { data = try Data(contentsOf: configURL) } catch {
            throw LoadError.unreadable(path: configURL.path, reason: "no readable adapter_config.json")
        }
        let config: Config
        do { config = try JSONDecoder().decode(Config.self, from: data) } catch let error as DecodingError {
            throw LoadError.badAdapter(path: configURL.path, reason: SafeTensorsFile.summary(of: error))
        }
        func refuse(_ reason: String) -> LoadError { .badAdapter(path: configURL.path, reason: reason) }
        if let type = config.peftType, type != "LORA" { throw refuse("peft_type \(type) is not supported (LORA)") }
        if config.useDora == true { throw refuse("use_dora (DoRA) is not supported") }
        if config.fanInFanOut == true { throw refuse("fan_in_fan_out is not supported (LLaMA has no Conv1D layers)") }
        if let bias = config.bias, bias != "none" { throw refuse("bias \"\(bias)\" is not supported (none)") }
        if config.loraBias == true { throw refuse("lora_bias is not supported") }
        guard config.r > 0 else { throw refuse("r must be positive, got \(config.r)") }

        let tensors = useSafetensors ? try SafeTensorsFile(url: weightsURL).tensors : try TorchCheckpoint(url: weightsURL).tensors
        var ignored: [String] = []
        var halves: [String: (a: TensorView?, b: TensorView?)] = [:]
        var replacements: [String: TensorView] = [:]
        var unrecognised: [String] = []
        for (key, view) in tensors {
            guard key.hasPrefix(prefix) else { unrecognised.append(key); continue }
            let name = String(key.dropFirst(prefix.count))
            if name.contains(".original_module.") || (name.contains(".modules_to_save.") && name.contains("lora_")) {
                ignored.append(key)   // PEFT's loader drops these too (see the type's documentation)
            } else if name.hasSuffix(".lora_A.weight") {
                halves[String(name.dropLast(".lora_A.weight".count)), default: (nil, nil)].a = view
            } else if name.hasSuffix(".lora_B.weight") {
                halves[String(name.dropLast(".lora_B.weight".count)), default: (nil, nil)].b = view
            } else if name.contains("lora_") {
                unrecognised.append(key)
            } else {
                replacements[name.replacingOccurrences(of: ".modules_to_save", with: "")] = view
            }
        }
        var updates: [String: Update] = [:]
        for (module, pair) in halves {
            guard let a = pair.a, let b = pair.b else {
                unrecognised.append(prefix + module + (pair.a == nil ? ".lora_B.weight (no lora_A)" : ".lora_A.weight (no lora_B)"))
                continue
            }
            let rank = config.value(for: module, in: config.rankPattern, default: config.r)
            let alpha = config.value(for: module, in: config.alphaPattern, default: config.loraAlpha)
            guard rank > 0 else { throw refuse("rank_pattern gives \(module) r = \(rank)") }
            let scale = config.useRslora == true ? alpha / Double(rank).squareRoot() : alpha / Double(rank)
            guard a.shape.first == rank else {
                throw refuse("\(module).lora_A has shape \(a.shape), its r is \(rank)")
            }
            updates[module + ".weight"] = Update(a: a, b: b, scale: Float(scale))
        }
        return LoRAAdapter(directory: directory, updates: updates, replacements: replacements,
                           unrecognised: unrecognised.sorted(), ignored: ignored.sorted(), weightsPath: weightsURL,
                           alpha: config.loraAlpha, rank: config.r, targetModules: config.targetModules?.list ?? [])
    }
}
