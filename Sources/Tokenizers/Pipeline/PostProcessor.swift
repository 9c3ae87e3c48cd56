/// Stage 4: wraps the model's tokens for the network, e.g. puts BOS in front (HF `post_processor`).
/// Runs only when the caller asks for special tokens.
protocol PostProcessor: Sendable {
    func process(_ tokens: [Token]) -> [Token]
}
