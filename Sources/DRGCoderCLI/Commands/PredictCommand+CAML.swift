import DRGInference
import Foundation

extension PredictCommand {
    /// `predict` on a CAML run: the JSON of DRG-LLaMA (`token_ids` are the padded `max_seq_length`
    /// ids the model read, `logits`, `ranked`, `base_drgs`, `cc_mcc`, `evidence`, `elapsed_ms`) plus
    /// `label_system` ("MS-DRG" or "APR-DRG"), `rules_file`, `tokens` and `model_kind` "caml".
    func runCAML(text: String) throws {
        let caml = try modelOptions.loadCAML(model: model)
        let result: CAMLClassifier.Result
        do { result = try caml.predict(text: text) } catch { throw CLIError("\(error)") }
        if json {
            let data: Data
            do { data = try JSONEncoder().encode(result) } catch { throw CLIError("cannot encode the prediction as JSON: \(error)") }
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let r = result.result
        func percent(_ p: Double) -> String { String(format: "%5.1f%%", 100 * p) }
        let real = r.tokenIDs.prefix { $0 != 0 }.count
        print("CAML, \(result.system.rawValue) labels of \(URL(fileURLWithPath: result.rulesFile).lastPathComponent): \(real) of \(r.tokenIDs.count) positions\(r.truncated ? " (truncated)" : ""), \(String(format: "%.1f", r.elapsedMilliseconds)) ms")
        for ranked in r.prediction.ranked.prefix(top) {
            let weight = ranked.weight.map { String(format: "  weight %.4f", $0) } ?? ""
            print("\(percent(ranked.probability))  \(result.system.rawValue) \(ranked.drg)  \(ranked.description)\(weight)")
        }
        for span in r.prediction.evidence { print("evidence  \(String(format: "%.3f", span.score))  \(span.text)") }
    }
}
