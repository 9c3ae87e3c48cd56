/// Stage 5 (the way back): rewrites the list of token pieces towards text (HF `decoder`,
/// its `decode_chain`). A chain ends with the pieces concatenated into the decoded string.
protocol Decoder: Sendable {
    func decode(_ pieces: [String]) -> [String]
}
