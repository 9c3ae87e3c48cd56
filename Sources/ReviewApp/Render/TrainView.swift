import Foundation
import TerminalUI

/// The trainer's view: agreement, the most frequent confusion pairs, corrections per DRG family,
/// and the export action (the store's formats, which the training scripts read).
enum TrainView {
    static func draw(_ state: AppState, _ env: ReviewEnvironment, _ layout: ReviewLayout, _ buffer: inout CellBuffer) {
        let stats = TrainingStats.compute(log: state.decisions, catalog: env.catalog)
        if let top = layout.detailPanel {
            let inner = buffer.panel(top, title: "Agreement with the model")
            let corrections = stats.codings - stats.agreements
            buffer.line("Agreement " + (stats.agreementRate.map { Format.percent($0) } ?? "—")
                        + " · \(stats.agreements) accepted, \(corrections) corrected, of \(stats.codings) coded cases with a model answer",
                        in: inner.row(0))
            let perCoder = stats.coders.map { "\($0.user) \(Format.percent(Double($0.agreements) / Double(max(1, $0.codings)))) (\($0.agreements)/\($0.codings))" }
            buffer.line("Per coder: " + (perCoder.isEmpty ? "—" : perCoder.joined(separator: " · ")), in: inner.row(1))
            for (i, line) in populationCMI(state, env).enumerated() { buffer.line(line, in: inner.row(2 + i)) }
        }
        if let pairs = layout.listPanel {
            let inner = buffer.panel(pairs, title: "Confusion pairs (model → coder)", focused: true)
            if stats.pairs.isEmpty { buffer.line("no corrections yet", in: inner.row(0), style: CellStyle(.muted)) }
            let cursor = min(state.train.cursor, max(0, stats.pairs.count - 1))
            let scroll = max(0, cursor - inner.height + 1)
            for (i, p) in stats.pairs.dropFirst(scroll).prefix(inner.height).enumerated() {
                let selected = scroll + i == cursor
                let to = env.catalog.entry(p.coder)?.description ?? ""
                buffer.line((selected ? "▸" : " ") + "\(p.model) → \(p.coder) ×\(p.count) " + to, in: inner.row(i),
                            style: CellStyle(selected ? .selection : .text))
            }
        }
        if let panel = layout.casesPanel {
            let cursor = min(state.train.cursor, max(0, stats.pairs.count - 1))
            let pair = stats.pairs.isEmpty ? nil : stats.pairs[cursor]
            let inner = buffer.panel(panel, title: pair.map { "Cases \($0.model) → \($0.coder): who and why" } ?? "Cases of the selected pair")
            let rows = pair.map { TrainingStats.cases(of: $0, log: state.decisions) } ?? []
            if rows.isEmpty { buffer.line("select a confusion pair (j/k)", in: inner.row(0), style: CellStyle(.muted)) }
            for (i, d) in rows.prefix(inner.height).enumerated() {
                let why = (d.reasons.isEmpty ? "no reason" : d.reasons.joined(separator: ",")) + (d.note.map { " · \($0)" } ?? "")
                buffer.line("\(d.caseExternalID) \(d.user) \(why)", in: inner.row(i))
            }
        }
        if let families = layout.sidePanel {
            let inner = buffer.panel(families, title: "Corrections per family")
            if stats.families.isEmpty { buffer.line("no corrections yet", in: inner.row(0), style: CellStyle(.muted)) }
            for (i, f) in stats.families.prefix(inner.height).enumerated() {
                buffer.line(TextWidth.pad("\(f.corrected)/\(f.total)", to: 6) + " " + f.family, in: inner.row(i))
            }
        }
        if let export = layout.bottomPanel {
            let inner = buffer.panel(export, title: "Export training labels")
            let format = env.exportFormats.isEmpty ? "—" : env.exportFormats[state.train.formatIndex % env.exportFormats.count]
            buffer.line("format \(format) (f) · \(state.train.correctionsOnly ? "corrections only" : "every coded case") (c) · x exports", in: inner.row(0))
            buffer.line("to \(env.exportDirectory.path)" + (env.exportLabelSpace.map { " · labels \($0)" } ?? ""), in: inner.row(1), style: CellStyle(.muted))
            buffer.line(state.train.lastExport.map { "last export: \($0)" } ?? "nothing exported yet", in: inner.row(2),
                        style: CellStyle(state.train.lastExport == nil ? .muted : .success))
        }
    }

    /// Two lines: predicted vs final population CMI with the bootstrap interval, and the payment at
    /// the catalogue's base rate (``PopulationCMI``); one line saying why when there is nothing to show.
    static func populationCMI(_ state: AppState, _ env: ReviewEnvironment) -> [String] {
        guard let p = PopulationCMI.compute(queue: state.queue, catalog: env.catalog) else {
            return ["Population CMI — needs cases with a model DRG and a final DRG of \(env.catalog.versionName)"]
        }
        let b = p.estimate
        let level = Format.percent(b.confidence)
        let left = p.withoutWeight > 0 ? " · \(p.withoutWeight) without a \(env.catalog.versionName) weight left out" : ""
        return [
            "Population CMI predicted \(Format.weight(b.predictedCMI.value)) (\(level) CI \(Format.weight(b.predictedCMI.lower))–\(Format.weight(b.predictedCMI.upper)))"
                + " · final \(Format.weight(b.finalCMI.value)) · error \(String(format: "%+.1f%%", 100 * b.error.value)) · \(b.stays) cases\(left)",
            "Payment at \(Format.money(b.baseRate)) predicted \(Format.money(b.predictedPayment.value)) (\(Format.money(b.predictedPayment.lower))–\(Format.money(b.predictedPayment.upper)))"
                + " · final \(Format.money(b.finalPayment))",
        ]
    }
}
