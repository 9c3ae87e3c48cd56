/// Why a tokenizer could not be loaded. Every case reads as one line naming what is wrong,
/// suitable for a CLI's stderr (`drgcoder tokenize` prints `description`).
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// No `tokenizer.json` or `tokenizer.model` in the model directory.
    case notFound(String)
    /// The file exists but could not be read.
    case unreadable(String)
    /// The file is not valid JSON (with the byte position of the first problem).
    case invalidJSON(String)
    /// Valid JSON that is not a valid tokenizer description (a missing field, a wrong type, an id out of range).
    case invalidTokenizer(String)
    /// A valid description using a component this library does not implement (named in the message).
    case unsupported(String)
    /// A `tokenizer.model` that is not a readable SentencePiece model.
    case invalidSentencePieceModel(String)

    public var description: String {
        switch self {
        case .notFound(let message): return "no tokenizer found: \(message)"
        case .unreadable(let message): return "cannot read tokenizer: \(message)"
        case .invalidJSON(let message): return "tokenizer.json is not valid JSON: \(message)"
        case .invalidTokenizer(let message): return "invalid tokenizer.json: \(message)"
        case .unsupported(let message): return "unsupported tokenizer: \(message)"
        case .invalidSentencePieceModel(let message): return "invalid tokenizer.model: \(message)"
        }
    }
}
