/// A LLaMA tokenizer read from a Hugging Face `tokenizer.json` (or a SentencePiece `tokenizer.model`).
///
/// The pipeline is HF `tokenizers`', one stage per protocol:
/// added tokens (`AddedTokenSplitter`) → `Normalizer` → `PreTokenizer` → `TokenizationModel`
/// (`BPEModel`) → `PostProcessor`; and back: `Decoder`. It reproduces HF's ids, offsets and decoded
/// strings for the LLaMA-1/2 SentencePiece-style BPE and the LLaMA-3 byte-level BPE
/// (Tests/TokenizersTests check llama.cpp's 94 vectors and ≥1,000 texts against HF).
///
/// ```swift
/// let tokenizer = try Tokenizer.load(directory: modelDirectory)
/// let encoding = tokenizer.encode("Pt c/o SOB.")      // BOS first
/// let (input, truncated) = tokenizer.encodeForModel(note)  // ≤ 512 ids, DRG-LLaMA style
/// ```
///
/// Thread safety: immutable after loading; `encode` keeps its state on the stack, so one instance
/// may serve many threads. Complexity: `encode` is O(n log n) in the text length.
/// It deliberately does not do: pairs of sequences, padding, truncation other than
/// `encodeForModel`'s, BPE dropout, or any Python-side `transformers` post-processing
/// (`clean_up_tokenization_spaces`).
public final class Tokenizer: Sendable {
    let addedTokens: AddedTokenSplitter
    let normalizer: (any Normalizer)?
    let preTokenizer: (any PreTokenizer)?
    let model: any TokenizationModel
    let postProcessor: (any PostProcessor)?
    let decoder: (any Decoder)?
    /// id → piece for model and added tokens.
    let pieces: [String?]
    let specialTokenIDs: Set<Int>

    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let padTokenID: Int?
    /// One more than the highest id (model vocabulary plus added tokens): LLaMA-2 32000, LLaMA-3 128256.
    public var vocabularySize: Int { pieces.count }

    init(addedTokens: AddedTokenSplitter, normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?,
         model: any TokenizationModel, postProcessor: (any PostProcessor)?, decoder: (any Decoder)?,
         pieces: [String?], specialTokenIDs: Set<Int>, bosTokenID: Int?, eosTokenID: Int?, padTokenID: Int?) {
        self.addedTokens = addedTokens
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.pieces = pieces
        self.specialTokenIDs = specialTokenIDs
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
    }

    /// Tokenizes `text`. With `addSpecialTokens` the post-processor's template adds BOS.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> Encoding {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        for segment in addedTokens.split(scalars) {
            switch segment {
            case .token(let id, let origin):
                tokens.append(Token(id: id, origin: origin))
            case .text(let range):
                var piece = NormalizedText(original: scalars, range: range)
                if let normalizer { piece = normalizer.normalize(piece) }
                let words = preTokenizer?.preTokenize(piece) ?? (piece.isEmpty ? [] : [piece])
                for word in words { tokens.append(contentsOf: model.tokenize(word)) }
            }
        }
        if addSpecialTokens, let postProcessor { tokens = postProcessor.process(tokens) }
        return Encoding(ids: tokens.map(\.id), offsets: tokens.map(\.origin))
    }

    /// DRG-LLaMA's input: the encoding with BOS, cut to its first `maxTokens` ids (so BOS plus
    /// the first `maxTokens − 1` text tokens; no EOS, as LLaMA's tokenizer adds none).
    /// `truncated` tells whether anything was cut. A `maxTokens` below 1 is treated as 1.
    public func encodeForModel(_ text: String, maxTokens: Int = 512) -> (encoding: Encoding, truncated: Bool) {
        let full = encode(text, addSpecialTokens: true)
        let limit = max(1, maxTokens)
        guard full.ids.count > limit else { return (full, false) }
        return (Encoding(ids: Array(full.ids.prefix(limit)), offsets: Array(full.offsets.prefix(limit))), true)
    }

    /// Text from ids (HF `Tokenizer.decode`): unknown ids are skipped; special tokens too when
    /// `skipSpecialTokens`; then the decoder chain (without one, pieces are joined by spaces, as HF).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        let selected = ids.compactMap { id -> String? in
            guard let piece = piece(for: id) else { return nil }
            return skipSpecialTokens && specialTokenIDs.contains(id) ? nil : piece
        }
        guard let decoder else { return selected.joined(separator: " ") }
        return decoder.decode(selected).joined()
    }

    /// The vocabulary piece of `id` ("▁the", "Ġworld", "<0x0A>", "<s>"), or nil if no token has it.
    public func piece(for id: Int) -> String? {
        guard id >= 0, id < pieces.count else { return nil }
        return pieces[id]
    }
}
