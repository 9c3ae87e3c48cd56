import DRGInference
import Foundation

extension ModelOptions {
    /// Loads the CAML run in `model` (`--vocab` and `--labels` name its token2id.dict and rules file
    /// when they are elsewhere); a load error is one CLI line. The DRG-LLaMA options (adapter, pad id,
    /// pooling, tokenizer) do not apply and are refused by name.
    func loadCAML(model: String) throws -> CAMLClassifier {
        let unused = [("--adapter", adapter != nil), ("--pad-token-id", padTokenId != nil), ("--pooling", pooling != nil),
                      ("--tokenizer", tokenizer != nil)].filter(\.1).map(\.0)
        guard unused.isEmpty else {
            throw CLIError("\(model) is a CAML model: \(unused.joined(separator: ", ")) apply to DRG-LLaMA models only")
        }
        do {
            return try CAMLClassifier.load(directory: URL(fileURLWithPath: model), vocabulary: vocab.map { URL(fileURLWithPath: $0) },
                                           labels: labels.map { URL(fileURLWithPath: $0) })
        } catch { throw CLIError("cannot load the model in \(model): \(error)") }
    }
}
