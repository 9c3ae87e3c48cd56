/// Wraps a single sequence in the template's special tokens (HF `processors.TemplateProcessing`,
/// its `single` template). LLaMA: `<s> $A` / `<|begin_of_text|> $A`.
///
/// Template tokens get the empty offset range 0..<0, as HF reports `(0, 0)`.
/// Not supported: pair templates (this tokenizer encodes one text at a time).
struct TemplatePostProcessor: PostProcessor {
    enum Piece: Sendable {
        case special(ids: [Int])
        case sequence
    }

    let single: [Piece]

    func process(_ tokens: [Token]) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(tokens.count + 2)
        for piece in single {
            switch piece {
            case .special(let ids): result.append(contentsOf: ids.map { Token(id: $0, origin: 0..<0) })
            case .sequence: result.append(contentsOf: tokens)
            }
        }
        return result
    }
}
