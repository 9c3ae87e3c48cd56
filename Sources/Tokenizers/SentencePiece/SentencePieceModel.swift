/// A SentencePiece `tokenizer.model` (the `ModelProto` of google/sentencepiece's
/// `sentencepiece_model.proto`), read by hand — only the fields a BPE tokenizer needs:
///
///     ModelProto     { 1: repeated SentencePiece pieces; 2: TrainerSpec; 3: NormalizerSpec }
///     SentencePiece  { 1: string piece; 2: float score; 3: Type type (NORMAL=1, UNKNOWN=2,
///                      CONTROL=3, USER_DEFINED=4, UNUSED=5, BYTE=6) }
///     TrainerSpec    { 3: ModelType model_type (BPE=2); 35: bool byte_fallback; 41: int32 bos_id }
///     NormalizerSpec { 1: string name; 2: bytes precompiled_charsmap; 3: add_dummy_prefix;
///                      4: remove_extra_whitespaces; 5: escape_whitespaces } (bools default true)
///
/// `makeTokenizer` builds the pipeline HF's `LlamaConverter` builds from such a file: Prepend "▁"
/// and Replace " " → "▁", BPE with byte fallback and fused unknowns, `<s>` template, and the
/// Replace/ByteFallback/Fuse/Strip decoder. Merge ranks come from scores: a pair may merge when
/// its concatenation is a NORMAL piece, and the higher that piece's score the earlier; equal
/// scores tie and then the leftmost pair wins — SentencePiece's own rule (`bpe_model.cc`).
///
/// Not supported (rejected with a clear error): Unigram/word/char models, a non-identity
/// normalizer (`precompiled_charsmap`), `remove_extra_whitespaces: true`. UNUSED pieces never
/// merge (SentencePiece re-splits them; TODO(tokenizers) if a checkpoint uses them).
struct SentencePieceModel: Sendable {
    enum PieceType: Int, Sendable { case normal = 1, unknown, control, userDefined, unused, byte }

    struct Piece: Sendable {
        var text: String
        var score: Float
        var type: PieceType
    }

    var pieces: [Piece] = []
    var modelType = 1
    var byteFallback = false
    var bosID = 1
    var normalizerName = ""
    var hasCharsMap = false
    var addDummyPrefix = true
    var removeExtraWhitespaces = true
    var escapeWhitespaces = true

    static func read(_ bytes: [UInt8]) throws(TokenizerError) -> SentencePieceModel {
        var model = SentencePieceModel()
        var reader = ProtobufReader(bytes[...])
        while !reader.isAtEnd {
            let field = try reader.readField()
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): model.pieces.append(try readPiece(try reader.readLengthDelimited()))
            case (2, .lengthDelimited): try model.readTrainerSpec(try reader.readLengthDelimited())
            case (3, .lengthDelimited): try model.readNormalizerSpec(try reader.readLengthDelimited())
            default: try reader.skip(field)
            }
        }
        guard !model.pieces.isEmpty else { throw .invalidSentencePieceModel("no pieces") }
        return model
    }

    private static func readPiece(_ bytes: ArraySlice<UInt8>) throws(TokenizerError) -> Piece {
        var reader = ProtobufReader(bytes)
        var piece = Piece(text: "", score: 0, type: .normal)
        while !reader.isAtEnd {
            let field = try reader.readField()
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): piece.text = try reader.readString()
            case (2, .fixed32): piece.score = try reader.readFloat()
            case (3, .varint):
                let raw = try reader.readVarint()
                guard raw <= 6, let type = PieceType(rawValue: Int(raw)) else {
                    throw .invalidSentencePieceModel("piece type \(raw) is not 1...6")
                }
                piece.type = type
            default: try reader.skip(field)
            }
        }
        guard !piece.text.isEmpty else { throw .invalidSentencePieceModel("a piece has empty text") }
        return piece
    }

    private mutating func readTrainerSpec(_ bytes: ArraySlice<UInt8>) throws(TokenizerError) {
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let field = try reader.readField()
            switch (field.number, field.wireType) {
            case (3, .varint): modelType = Int(truncatingIfNeeded: try reader.readVarint())
            case (35, .varint): byteFallback = try reader.readVarint() != 0
            case (41, .varint): bosID = Int(Int32(truncatingIfNeeded: try reader.readVarint()))
            default: try reader.skip(field)
            }
        }
    }

    private mutating func readNormalizerSpec(_ bytes: ArraySlice<UInt8>) throws(TokenizerError) {
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let field = try reader.readField()
            switch (field.number, field.wireType) {
            case (1, .lengthDelimited): normalizerName = try reader.readString()
            case (2, .lengthDelimited): hasCharsMap = !(try reader.readLengthDelimited()).isEmpty
            case (3, .varint): addDummyPrefix = try reader.readVarint() != 0
            case (4, .varint): removeExtraWhitespaces = try reader.readVarint() != 0
            case (5, .varint): escapeWhitespaces = try reader.readVarint() != 0
            default: try reader.skip(field)
            }
        }
    }
}
