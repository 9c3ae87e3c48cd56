import DRGKit
import Foundation
import TerminalUI

/// The auditor's replay (its only writes are findings, `a`/`d`): the filtered log, the selected decision with what the model
/// showed then, and the note with that prediction's evidence. The header shows the chain's state.
enum AuditView {
    static func draw(_ state: AppState, _ env: ReviewEnvironment, _ layout: ReviewLayout, _ buffer: inout CellBuffer) {
        let rows = AuditFilter.rows(state)
        let a = state.audit
        if let list = layout.listPanel {
            let title = "Decisions \(rows.isEmpty ? 0 : a.cursor + 1)/\(rows.count) of \(state.decisions.count) · user \(a.userFilter ?? "all") · \(a.dateRange.rawValue)"
                + (a.disagreementsOnly ? " · disagreements" : "") + (a.flaggedOnly ? " · flags" : "")
            let inner = buffer.panel(list, title: title, focused: true)
            if rows.isEmpty {
                buffer.line(state.decisions.isEmpty ? " the log is empty" : " no decision matches the filters", in: inner.row(0), style: CellStyle(.muted))
            }
            let scroll = max(0, a.cursor - inner.height + 1)
            let gone = DecisionLog.reversed(state.decisions)
            // The case id column takes the longest id of the log (MIMIC note ids run to 14+
            // characters): never cut while the row has room for it.
            let fixed = 1 + 5 + 1 + 11 + 1 + 10 + 1 + 1 + 24
            let idWidth = max(12, min(state.decisions.map { TextWidth.columns(of: $0.caseExternalID) }.max() ?? 0, inner.width - fixed))
            for (i, d) in rows.dropFirst(scroll).prefix(inner.height).enumerated() {
                let selected = scroll + i == a.cursor
                let agree: String
                if let m = d.modelTopDRG, let c = d.chosenDRG { agree = m == c ? "=" : "≠" } else { agree = " " }
                let kind = d.finding.map { $0 == "agree" ? "finding=" : "finding≠" } ?? d.kind.rawValue
                let what = TextWidth.pad(kind, to: 8) + " " + TextWidth.pad(d.chosenDRG ?? "", to: 3) + " model " + TextWidth.pad(d.modelTopDRG ?? "—", to: 3) + " " + agree
                let text = (selected ? "▸" : " ") + TextWidth.pad("#\(d.seq)", to: 5) + " " + String(Format.minute(d.decidedAt).dropFirst(5)) + " "
                    + TextWidth.pad(d.user, to: 10) + " " + TextWidth.pad(d.caseExternalID, to: idWidth) + " " + what + (gone.contains(d.seq) ? " (undone)" : "")
                buffer.line(text, in: inner.row(i), style: CellStyle(selected ? .selection : gone.contains(d.seq) ? .muted : .text))
            }
        }
        let selected = AuditFilter.selected(state)
        if let detail = layout.detailPanel {
            let inner = buffer.panel(detail, title: (selected.map { "\($0.caseExternalID) · " } ?? "") + "what the model showed then")
            var lines: [(String, Role)] = []
            if let d = selected {
                lines.append(("#\(d.seq) \(d.kind.rawValue) of \(d.caseExternalID) by \(d.user)", .title))
                lines.append(("at \(Format.minute(d.decidedAt)) UTC · \(Format.duration(milliseconds: d.timeSpentMilliseconds))", .text))
                lines.append(("chose \(d.chosenDRG ?? "—") · model top \(d.modelTopDRG ?? "—")", (d.chosenDRG != nil && d.modelTopDRG != nil && d.chosenDRG != d.modelTopDRG) ? .warning : .text))
                if !d.reasons.isEmpty { lines.append(("reasons " + d.reasons.joined(separator: ", "), .text)) }
                if let n = d.note { lines.append(("note: " + n, .text)) }
                if let undone = d.reverses { lines.append(("reverses #\(undone)", .muted)) }
                if let shown = state.audit.shown {
                    lines.append(("Ranking shown (\(shown.modelName))", .title))
                    for r in shown.prediction.ranked.prefix(5) {
                        let mark = r.drg == d.chosenDRG ? "▸" : " "
                        let title = DRGTitle.fit(r.description, code: r.drg, catalog: env.catalog, width: max(0, inner.width - 9))
                        lines.append((mark + r.drg + " " + TextWidth.pad(Format.percent(r.probability), to: 4, alignRight: true) + " " + title, .text))
                    }
                } else if d.predictionID != nil {
                    lines.append(("loading the prediction…", .muted))
                } else {
                    lines.append(("no prediction was shown", .muted))
                }
            } else {
                lines.append(("select a decision", .muted))
            }
            for (i, l) in lines.prefix(inner.height).enumerated() { buffer.line(l.0, in: inner.row(i), style: CellStyle(l.1)) }
        }
        if let notePanel = layout.notePanel {
            let inner = buffer.panel(notePanel, title: "Note" + (selected.map { " of \($0.caseExternalID)" } ?? "") + " as the model read it · B base C CC/MCC")
            if let detail = state.audit.detail, detail.summary.id == selected?.caseID {
                let spans = (state.audit.shown?.prediction.evidence ?? []).sorted { $0.start < $1.start }
                ReviewRender.note(text: detail.sectionText, spans: spans, currentSpan: nil, readUpTo: state.audit.shown?.readUpTo,
                                  shift: 0, scroll: state.audit.noteScroll, in: inner, &buffer)
            } else if selected != nil {
                buffer.line("loading…", in: inner.row(0), style: CellStyle(.muted))
            }
        }
    }
}
