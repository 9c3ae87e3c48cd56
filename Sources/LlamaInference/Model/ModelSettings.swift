import Foundation

/// What a checkpoint needs, beyond its Hugging Face files, to be read exactly as it was trained, kept
/// beside the model as `drgcoder.json` so that a coder's `review` needs no flags.
///
/// DRG-LLaMA's scripts set `pad_token_id = 0` at run time and save it nowhere; the pooling rule and
/// the slow tokenizer belong to the transformers of the training run. `drgcoder model set DIR
/// --pad-token-id 0` writes `{"pad_token_id": 0}`; command-line flags override the file.
///
/// Example file: `{"pad_token_id": 0, "pooling": "count-minus-one", "tokenizer": "sentencepiece"}`
public struct ModelSettings: Codable, Sendable, Equatable {
    /// Which tokenizer file to read when a directory has both.
    public enum TokenizerSource: String, Codable, CaseIterable, Sendable {
        /// `tokenizer.json`: the fast tokenizer, as today's `AutoTokenizer` loads it.
        case json
        /// `tokenizer.model`: SentencePiece with transformers' slow `LlamaTokenizer` rules (DRG-LLaMA).
        case sentencepiece
    }

    public var padTokenID: Int?
    public var pooling: PoolingRule?
    public var tokenizer: TokenizerSource?

    public static let fileName = "drgcoder.json"

    enum CodingKeys: String, CodingKey {
        case padTokenID = "pad_token_id", pooling, tokenizer
    }

    public init(padTokenID: Int? = nil, pooling: PoolingRule? = nil, tokenizer: TokenizerSource? = nil) {
        self.padTokenID = padTokenID; self.pooling = pooling; self.tokenizer = tokenizer
    }

    /// `self`, with every field `other` sets taken from `other`.
    public func overridden(by other: ModelSettings) -> ModelSettings {
        ModelSettings(padTokenID: other.padTokenID ?? padTokenID, pooling: other.pooling ?? pooling,
                      tokenizer: other.tokenizer ?? tokenizer)
    }

    /// `directory/drgcoder.json`, or empty settings when there is none.
    public static func load(directory: URL) throws -> ModelSettings {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return ModelSettings() }
        do {
            return try JSONDecoder().decode(ModelSettings.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw LoadError.badConfig(path: url.path, reason: SafeTensorsFile.summary(of: error))
        } catch {
            throw LoadError.unreadable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes `directory/drgcoder.json` atomically.
    public func save(directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = directory.appendingPathComponent(Self.fileName)
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw LoadError.unreadable(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// The pad id, pooling rule and tokenizer file a model will be read with, each with the reason it
/// was chosen (``ModelSettings`` flags and file first, then the checkpoint's own files and era).
public struct ModelReading: Sendable, Equatable {
    public var padTokenID: Int?
    public var padReason: String
    public var pooling: PoolingRule
    public var poolingReason: String
    public var tokenizer: ModelSettings.TokenizerSource
    public var tokenizerReason: String
    /// Plain-words warnings (`config has no valid pad id; …`).
    public var warnings: [String]

    /// Resolves the reading of `modelDirectory` (+ adapter): `flags` (the command line's) over the
    /// directory's `drgcoder.json`, over what the checkpoint's files and era imply.
    public static func resolve(config: LlamaConfig, modelDirectory: URL, adapterDirectory: URL?,
                               flags: ModelSettings = ModelSettings()) throws -> ModelReading {
        let settings = try ModelSettings.load(directory: modelDirectory).overridden(by: flags)
        var warnings: [String] = []
        let fileManager = FileManager.default
        let peftVersion = adapterDirectory.flatMap(peftVersion(adapterDirectory:))

        let pad: Int?, padReason: String
        if let explicit = settings.padTokenID {
            pad = explicit; padReason = "set by --pad-token-id or \(ModelSettings.fileName)"
        } else if let valid = config.validPadTokenID {
            pad = valid; padReason = "config.json pad_token_id"
        } else {
            pad = nil
            padReason = config.padTokenID.map { "config.json pad_token_id \($0) names no token: none" } ?? "config.json has no pad_token_id: none"
            if adapterDirectory != nil {
                warnings.append("config has no valid pad id; the DRG-LLaMA scripts set 0: pass --pad-token-id 0 (or run `drgcoder model set DIR --pad-token-id 0`)")
            }
        }

        let era = PoolingRule.default(transformersVersion: config.transformersVersion, peftVersion: peftVersion)
        let pooling = settings.pooling ?? era.rule
        let poolingReason = settings.pooling != nil ? "set by --pooling or \(ModelSettings.fileName)" : era.reason

        let hasJSON = fileManager.fileExists(atPath: modelDirectory.appendingPathComponent("tokenizer.json").path)
        let hasModel = fileManager.fileExists(atPath: modelDirectory.appendingPathComponent("tokenizer.model").path)
        let tokenizer: ModelSettings.TokenizerSource, tokenizerReason: String
        if let chosen = settings.tokenizer {
            tokenizer = chosen; tokenizerReason = "set by --tokenizer or \(ModelSettings.fileName)"
        } else if hasJSON && hasModel {
            let slow = era.rule == .countMinusOne
            tokenizer = slow ? .sentencepiece : .json
            tokenizerReason = slow ? "both files; a 2023 checkpoint was trained with the slow LlamaTokenizer (tokenizer.model)"
                                   : "both files; today's AutoTokenizer reads tokenizer.json"
        } else {
            tokenizer = hasModel ? .sentencepiece : .json
            tokenizerReason = hasModel ? "only tokenizer.model" : "tokenizer.json"
        }
        return ModelReading(padTokenID: pad, padReason: padReason, pooling: pooling, poolingReason: poolingReason,
                            tokenizer: tokenizer, tokenizerReason: tokenizerReason, warnings: warnings)
    }

    /// A model built in memory (tests): the config's pad id, today's pooling rule, tokenizer.json.
    public static func plain(_ config: LlamaConfig) -> ModelReading {
        ModelReading(padTokenID: config.validPadTokenID, padReason: "config.json pad_token_id", pooling: .lastNonPad,
                     poolingReason: "built in memory: today's rule", tokenizer: .json, tokenizerReason: "built in memory", warnings: [])
    }

    /// The PEFT version in an adapter's `README.md` model card (`- PEFT 0.4.0`), if it names one.
    public static func peftVersion(adapterDirectory: URL) -> String? {
        guard let text = try? String(contentsOf: adapterDirectory.appendingPathComponent("README.md"), encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if let index = words.firstIndex(of: "PEFT"), index + 1 < words.count, words[index + 1].first?.isNumber == true {
                return String(words[index + 1])
            }
        }
        return nil
    }
}
