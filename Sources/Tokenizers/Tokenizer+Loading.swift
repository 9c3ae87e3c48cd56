import Foundation

extension Tokenizer {
    /// Loads the tokenizer of a model directory: `tokenizer.json` if present, else a SentencePiece
    /// `tokenizer.model`. A `tokenizer_config.json` beside it, if any, names BOS / EOS / PAD.
    ///
    /// Throws `TokenizerError.notFound` when neither file exists, and a one-line error naming the
    /// problem for an unreadable or malformed file.
    public static func load(directory: URL) throws(TokenizerError) -> Tokenizer {
        let roles = try readRoles(directory.appendingPathComponent("tokenizer_config.json"))
        let json = directory.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: json.path) {
            return try TokenizerJSONReader.read(try readBytes(json), roles: roles)
        }
        let model = directory.appendingPathComponent("tokenizer.model")
        if FileManager.default.fileExists(atPath: model.path) {
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

    private static func readRoles(_ url: URL) throws(TokenizerError) -> SpecialTokenRoles {
        guard FileManager.default.fileExists(atPath: url.path) else { return SpecialTokenRoles() }
        return try SpecialTokenRoles(tokenizerConfig: try readBytes(url))
    }
}

extension Tokenizer {
    /// Builds a tokenizer from the bytes of a SentencePiece `tokenizer.model`.
    public static func load(sentencePieceModelBytes bytes: [UInt8]) throws(TokenizerError) -> Tokenizer {
        try SentencePieceModel.read(bytes).makeTokenizer(roles: SpecialTokenRoles())
    }
}
