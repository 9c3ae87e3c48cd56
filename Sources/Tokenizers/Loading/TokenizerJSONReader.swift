import Foundation

/// Builds a `Tokenizer` from the bytes of a Hugging Face `tokenizer.json`.
///
/// Every id in the file must lie below `vocab` count + `added_tokens` count (true of any file
/// HF writes, whose ids are dense); this bound keeps a corrupt id from allocating gigabytes.
/// Errors name the field: `invalid tokenizer.json: model.vocab must be an object, found an array`.
/// The file's `truncation` and `padding` settings are ignored on purpose: `encode` never cuts or
/// pads, and `encodeForModel` applies DRG-LLaMA's truncation whatever the file says.
enum TokenizerJSONReader {
    static func read(_ bytes: [UInt8], roles: SpecialTokenRoles = SpecialTokenRoles()) throws(TokenizerError) -> Tokenizer {
        let root = ConfigNode(try JSONParser.parse(bytes), path: "")
        let modelNode = try root.required("model")
        let addedNodes = try root.member("added_tokens")?.array() ?? []
        let result = try BPEModelReader.read(modelNode, addedTokenCount: addedNodes.count)
        let (model, vocabulary, idLimit) = (result.model, result.vocabulary, result.idLimit)
        var added: [AddedToken] = []
        for node in addedNodes {
            let content = try node.required("content").string()
            guard !content.isEmpty else { throw .invalidTokenizer("\(node.path).content is empty") }
            added.append(AddedToken(id: try node.required("id").int(below: idLimit),
                                    content: Array(content.unicodeScalars),
                                    special: try node.flag("special", default: false),
                                    singleWord: try node.flag("single_word", default: false),
                                    leftStrip: try node.flag("lstrip", default: false),
                                    rightStrip: try node.flag("rstrip", default: false)))
        }

        let normalizer = try root.member("normalizer").map { node throws(TokenizerError) in try ComponentReaders.normalizer(node) }
        let preTokenizer = try root.member("pre_tokenizer").map { node throws(TokenizerError) in try ComponentReaders.preTokenizer(node) }
        let decoder = try root.member("decoder").map { node throws(TokenizerError) in try ComponentReaders.decoder(node) }
        var postProcessor: (any PostProcessor)?
        var templateIDs: [Int] = []
        if let node = try root.member("post_processor") {
            (postProcessor, templateIDs) = try ComponentReaders.postProcessor(node, idLimit: idLimit)
        }
        let addedIDs = Set(added.map(\.id))
        if let unknown = templateIDs.first(where: { vocabulary.piece(for: $0) == nil && !addedIDs.contains($0) }) {
            throw .invalidTokenizer("post_processor inserts id \(unknown), which no token has")
        }
        let templateBOS = templateIDs.first

        return assemble(vocabulary: vocabulary, model: model, added: added, normalizer: normalizer,
                        preTokenizer: preTokenizer, postProcessor: postProcessor, decoder: decoder,
                        templateBOS: templateBOS, roles: roles)
    }

    /// Joins the model's pieces with the added tokens and resolves BOS / EOS / PAD.
    static func assemble(vocabulary: Vocabulary, model: any TokenizationModel, added: [AddedToken],
                         normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?,
                         postProcessor: (any PostProcessor)?, decoder: (any Decoder)?,
                         templateBOS: Int?, roles: SpecialTokenRoles) -> Tokenizer {
        let count = max(vocabulary.pieces.count, (added.map(\.id).max() ?? -1) + 1)
        var pieces = vocabulary.pieces + [String?](repeating: nil, count: count - vocabulary.pieces.count)
        for token in added {
            var text = String.UnicodeScalarView()
            text.append(contentsOf: token.content)
            pieces[token.id] = String(text)
        }
        func id(named name: String?) -> Int? {
            guard let name else { return nil }
            let wanted = Array(name.unicodeScalars)
            if let token = added.first(where: { $0.content == wanted }) { return token.id }
            return vocabulary.id(of: Array(name.utf8))
        }
        let bos = id(named: roles.bos) ?? templateBOS ?? SpecialTokenRoles.defaultBOS.lazy.compactMap(id(named:)).first
        let eos = id(named: roles.eos) ?? SpecialTokenRoles.defaultEOS.lazy.compactMap(id(named:)).first
        return Tokenizer(addedTokens: AddedTokenSplitter(tokens: added), normalizer: normalizer,
                         preTokenizer: preTokenizer, model: model, postProcessor: postProcessor,
                         decoder: decoder, pieces: pieces,
                         specialTokenIDs: Set(added.filter(\.special).map(\.id)),
                         bosTokenID: bos, eosTokenID: eos, padTokenID: id(named: roles.pad))
    }
}

/// The names of the BOS, EOS and PAD tokens, from `tokenizer_config.json` when a model directory
/// has one (`"bos_token": "<s>"` or `{"content": "<s>", ...}`). Without it BOS is the template's
/// first special token and EOS the usual LLaMA name; PAD stays unknown (LLaMA has none; the
/// classifier takes its pad id from config.json).
struct SpecialTokenRoles: Sendable {
    var bos: String?
    var eos: String?
    var pad: String?
    var unk: String?
    /// `add_bos_token` (transformers' slow `LlamaTokenizer` default: true).
    var addBOS: Bool?
    /// Whether any of this came from a file (then a SentencePiece model follows the slow tokenizer's
    /// rules for special tokens; see `SentencePieceModel.makeTokenizer`).
    var fromFiles = false

    static let defaultBOS = ["<s>", "<|begin_of_text|>"]
    static let defaultEOS = ["</s>", "<|end_of_text|>"]

    init(bos: String? = nil, eos: String? = nil, pad: String? = nil) {
        self.bos = bos
        self.eos = eos
        self.pad = pad
    }

    /// Sets every role `bytes` (a `tokenizer_config.json` or `special_tokens_map.json`) names; an
    /// empty string is a name too (decapoda's LLaMA-1 files give `""` for BOS, EOS and UNK).
    mutating func apply(_ bytes: [UInt8], file: String) throws(TokenizerError) {
        let root: ConfigNode
        do {
            root = ConfigNode(try JSONParser.parse(bytes), path: "")
        } catch {
            throw .invalidTokenizer("\(file): \(error)")
        }
        func name(_ key: String) throws(TokenizerError) -> String? {
            guard let node = try root.member(key) else { return nil }
            if case .string(let text) = node.value { return text }
            if case .null = node.value { return nil }
            return try node.member("content")?.string()
        }
        bos = try name("bos_token") ?? bos
        eos = try name("eos_token") ?? eos
        pad = try name("pad_token") ?? pad
        unk = try name("unk_token") ?? unk
        if let node = try root.member("add_bos_token"), case .bool(let flag) = node.value { addBOS = flag }
        fromFiles = true
    }
}
