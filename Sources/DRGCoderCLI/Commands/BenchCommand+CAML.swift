import DRGInference
import Foundation
import LlamaInference

extension BenchCommand {
    /// `bench` on a CAML run: notes per second, end to end (preprocessing, forward pass, ranking and
    /// evidence) and for the forward pass alone, on a synthetic clinical note (``benchParagraph``
    /// repeated) long enough to fill all `max_seq_length` positions: the model always reads every
    /// position, and the preprocessing of a longer note costs more. One warm-up, then
    /// `max(--repeats, 10)` timed notes; the mean is reported. `--tokens` does not apply.
    func runCAML() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let caml = try modelOptions.loadCAML(model: model)
        if let threads = modelOptions.threads { BLAS.setThreads(threads) }
        let loadMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let length = caml.hyperparameters.maxSequenceLength
        let perParagraph = max(1, CAMLPreprocessing.tokenize(Self.benchParagraph).count)
        let note = [String](repeating: Self.benchParagraph, count: length / perParagraph + 1).joined(separator: "\n")
        let notes = max(repeats, 10)
        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        do { _ = try caml.predict(text: note) } catch { throw CLIError("\(error)") }
        let endToEnd = try seconds { for _ in 0..<notes { _ = try caml.predict(text: note) } }
        let ids = CAMLPreprocessing.ids(CAMLPreprocessing.tokenize(note), vocabulary: caml.vocabulary, length: length).ids
        let forward = seconds { for _ in 0..<notes { _ = caml.model.forward(ids: ids) } }
        let report = CAMLBenchReport(
            model: model, kind: "caml", labelSystem: caml.rules.system.rawValue, labels: caml.rules.labels.count,
            maxSequenceLength: length, embedding: caml.model.config.embedding, filters: caml.model.config.filters,
            kernel: caml.model.config.kernel, threads: BLAS.threads, openBLASCore: BLAS.coreName, notes: notes,
            loadMilliseconds: loadMilliseconds, notesPerSecond: Double(notes) / endToEnd, forwardNotesPerSecond: Double(notes) / forward,
            millisecondsPerNote: 1e3 * endToEnd / Double(notes))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
        print("model       \(model) (CAML, \(report.labels) \(report.labelSystem) labels, \(length) positions, embedding \(report.embedding), \(report.filters) filters, kernel \(report.kernel))")
        print("threads     \(report.threads) (OpenBLAS core: \(report.openBLASCore))")
        print("load        \(f(loadMilliseconds, 0)) ms")
        print("notes       \(f(report.notesPerSecond)) notes/s end to end (\(f(report.millisecondsPerNote, 2)) ms a note, \(notes) notes of \(length) tokens)")
        print("forward     \(f(report.forwardNotesPerSecond)) notes/s (the model alone)")
    }
}

extension BenchCommand {
    /// A synthetic ICU note (no patient's): sentences, numbers, abbreviations, a de-identification
    /// bracket, as the notes CAML reads have them.
    static let benchParagraph = """
        HISTORY: 71 yo woman admitted to the MICU from the ED with hypotension and fever. Lactate 4.1, \
        WBC 18.2; blood cultures drawn and she was started on vancomycin and piperacillin-tazobactam. \
        CXR showed a right lower lobe consolidation. Dr. [**Last Name 1234**] placed a central line; \
        norepinephrine was weaned off by day 2. Creatinine peaked at 2.3 (baseline 0.9) and improved \
        with fluids. IMPRESSION: Septic shock from pneumonia, acute kidney injury, resolving.
        """
}

/// What `drgcoder bench --json` prints for a CAML model.
struct CAMLBenchReport: Encodable {
    var model: String
    var kind: String
    var labelSystem: String
    var labels: Int
    var maxSequenceLength: Int
    var embedding: Int
    var filters: Int
    var kernel: Int
    var threads: Int
    var openBLASCore: String
    var notes: Int
    var loadMilliseconds: Double
    var notesPerSecond: Double
    var forwardNotesPerSecond: Double
    var millisecondsPerNote: Double
    enum CodingKeys: String, CodingKey {
        case model, kind = "model_kind", labelSystem = "label_system", labels, maxSequenceLength = "max_seq_length", embedding, filters, kernel
        case threads, openBLASCore = "openblas_core", notes, loadMilliseconds = "load_ms", notesPerSecond = "notes_per_second"
        case forwardNotesPerSecond = "forward_notes_per_second", millisecondsPerNote = "ms_per_note"
    }
}
