import Foundation

extension Tokenizer {
    /// Loads the tokenizer of a model directory: `tokenizer.json` if present (unless `sentencePiece`
    /// asks for `tokenizer.model` and there is one), else a SentencePiece `tokenizer.model`.
    /// `tokenizer_config.json`, then `special_tokens_map.json` (which wins, as in transformers'
    /// `from_pretrained`), name BOS / EOS / PAD / UNK; with them, a `tokenizer.model` is read with the
    /// slow `LlamaTokenizer`'s rules (transformers 4.30, what DRG-LLaMA's scripts use).
    ///
    /// Throws `TokenizerError.notFound` when neither file exists, and a one-line error naming the
    /// problem for an unreadable or malformed file.
    public static func load(directory: URL, sentencePiece: Bool = false) throws(TokenizerError) -> Tokenizer {
        var roles = SpecialTokenRoles()
        for file in ["tokenizer_config.json", "special_tokens_map.json"] {
            let url = directory.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: url.path) { try roles.apply(try readBytes(url), file: file) }
        }
        let json = directory.appendingPathComponent("tokenizer.json")
        let model = directory.appendingPathComponent("tokenizer.model")
        let hasModel = FileManager.default.fileExists(atPath: model.path)
        if FileManager.default.fileExists(atPath: json.path), !(sentencePiece && hasModel) {
            return try TokenizerJSONReader.read(try readBytes(json), roles: roles)
        }
        if hasModel {
            return try SentencePieceModel.read(try readBytes(model)).makeTokenizer(roles: roles)
        }
        throw .notFound("neither tokenizer.json nor tokenizer.model in \(directory.path)")
    }

    /// Loads a `tokenizer.json` file.
    public static func load(tokenizerJSON url: URL) throws(TokenizerError) -> Tokenizer {
        try TokenizerJSONReader.read(try readBytes(url))
    }

    /// Loads a SentencePiece `tokenizer.model` file (BPE models only).
    public static func load(sentencePieceModel url: URL) throws(TokenizerError) -> Tokenizer {
        try SentencePieceModel.read(try readBytes(url)).makeTokenizer(roles: SpecialTokenRoles())
    }

    /// Builds a tokenizer from the bytes of a `tokenizer.json` (for callers that hold them already).
    public static func load(tokenizerJSONBytes bytes: [UInt8]) throws(TokenizerError) -> Tokenizer {
        try TokenizerJSONReader.read(bytes)
    }

    private static func readBytes(_ url: URL) throws(TokenizerError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notFound(url.path) }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw .unreadable("\(url.path): \(error.localizedDescription)")
        }
    }
}

extension Tokenizer {
    /// Builds a tokenizer from the bytes of a SentencePiece `tokenizer.model`.
    public static func load(sentencePieceModelBytes bytes: [UInt8]) throws(TokenizerError) -> Tokenizer {
        try SentencePieceModel.read(bytes).makeTokenizer(roles: SpecialTokenRoles())
    }
}
