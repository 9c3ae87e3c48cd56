import DRGKit
import Foundation
import TerminalUI

/// The coder's screen: queue, queue summary, and the open case (ranking, note, CC/MCC breakdown).
enum CodeView {
    static func draw(_ state: AppState, _ env: ReviewEnvironment, _ layout: ReviewLayout, _ buffer: inout CellBuffer) {
        if let q = layout.queuePanel { queue(state, q, &buffer) }
        if let s = layout.summaryPanel { summary(state, env, s, &buffer) }
        guard let session = state.session else { return }
        let focused = state.focus == .caseView
        if let r = layout.rankingPanel { ranking(session, state, env, focused: focused, r, &buffer) }
        if let n = layout.notePanel { note(session, n, focused: focused, &buffer) }
        if let b = layout.breakdownPanel { breakdown(session, env, b, &buffer) }
    }

    // MARK: - Queue

    static func queue(_ state: AppState, _ rect: Rect, _ buffer: inout CellBuffer) {
        let rows = state.visibleQueue
        var title = "Queue \(rows.count)/\(state.queue.count) · \(state.statusFilter.rawValue)"
        if state.searching || !state.search.isEmpty { title += " · /\(state.search)\(state.searching ? "▏" : "")" }
        let inner = buffer.panel(rect, title: title, focused: state.focus == .queue)
        guard !inner.isEmpty else { return }
        let (head, list) = inner.splitTop(1)
        // The id column grows to the longest id (MIMIC note ids are 14+ characters) when the panel
        // has room; the other columns take 29 cells.
        let longestID = rows.map { TextWidth.columns(of: $0.externalID) }.max() ?? 0
        let idWidth = max(13, min(longestID, inner.width - 29))
        buffer.line(" " + TextWidth.pad("Case", to: idWidth) + " Stat Pri DRG  Conf", in: head, style: CellStyle(.muted))
        if !state.queueLoaded { buffer.line(" loading…", in: list.row(0), style: CellStyle(.muted)); return }
        if rows.isEmpty { buffer.line(" no cases match (f: filter, /: search)", in: list.row(0), style: CellStyle(.muted)); return }
        let scroll = ReviewLayout.queueScroll(state, rows: list.height)
        for (i, c) in rows.dropFirst(scroll).prefix(list.height).enumerated() {
            let index = scroll + i
            let selected = index == state.queueCursor
            let open = state.session?.id == c.id
            let marker = selected ? "▸" : open ? "•" : " "
            var mark = ""
            switch state.scoring[c.id] {
            case .some(.running): mark = String(ReviewRender.spinner[state.spinnerPhase % ReviewRender.spinner.count])
            case .some(.waiting): mark = "…"
            case .some(.failed): mark = "!"
            case nil: mark = c.isScored ? " " : "?"
            }
            // A patient in hospital shows the working DRG of the early prediction, marked "~".
            let drg = c.codedDRG.map { "→\($0)" } ?? c.topDRG.map { " \($0)" } ?? c.inHospital?.workingDRG.map { "~\($0)" } ?? " ···"
            if c.inHospital != nil, !c.isScored, state.scoring[c.id] == nil { mark = " " }
            let conf = c.confidence.map { Format.percent($0) } ?? "—"
            let text = marker + TextWidth.pad(c.externalID, to: idWidth) + " " + c.status.short + " " + TextWidth.pad("P\(c.priority)", to: 3)
                + drg + " " + TextWidth.pad(conf, to: 4, alignRight: true) + " " + mark
                + (c.queueStayMarker.map { " " + $0 } ?? (c.isScored ? "" : " unscored"))
            let style = CellStyle(selected ? (state.focus == .queue ? .selection : .cursor) : c.status == .coded ? .muted : .text)
            buffer.line(text, in: list.row(i), style: style)
        }
    }

    // MARK: - Summary

    static func summary(_ state: AppState, _ env: ReviewEnvironment, _ rect: Rect, _ buffer: inout CellBuffer) {
        let inner = buffer.panel(rect, title: "Summary")
        guard !inner.isEmpty else { return }
        let s = QueueSummary.compute(queue: state.queue, log: state.decisions, catalog: env.catalog, now: state.now)
        let c = s.counts
        var lines: [(String, Role)] = [
            ("Cases \(s.total) · scored \(s.scored)", .text),
            ("open \(c[.queued, default: 0]) busy \(c[.inProgress, default: 0]) done \(c[.coded, default: 0])", .text),
            ("deferred \(c[.deferred, default: 0]) flagged \(c[.flagged, default: 0])", .text),
            ("Coded today \(s.codedToday)", .text),
            ("Agreement " + (s.agreementRate.map { "\(Format.percent($0)) (\(s.agreements)/\(s.codings))" } ?? "—"), .text),
            ("Pred. CMI " + (s.predictedCMI.map { Format.weight($0) } ?? "—"), .text),
            ("CMI error " + (s.cmiError.map { "\(Format.signed($0)) (n=\(s.cmiErrorCases))" } ?? "— (no final DRGs)"), .text),
            ("Confidence of top DRG", .muted),
            (CellBuffer.sparkline(s.confidenceBins), .bar),
            ("0%      100%", .muted),
        ]
        if inner.height < lines.count { lines.removeLast() }
        for (i, line) in lines.prefix(inner.height).enumerated() { buffer.line(line.0, in: inner.row(i), style: CellStyle(line.1)) }
    }

    // MARK: - Ranking

    static func ranking(_ session: CaseSession, _ state: AppState, _ env: ReviewEnvironment, focused: Bool,
                        _ rect: Rect, _ buffer: inout CellBuffer) {
        // An APR-DRG model's ranking is named as such: its codes (194-4) are not MS-DRGs.
        let ranked = session.prediction?.prediction.isAPRDRG == true ? "Ranked APR-DRGs" : "Ranked DRGs"
        var title = "\(session.detail.summary.externalID) · \(ranked)"
        if let p = session.prediction {
            let expectedWeight = p.prediction.ranked.reduce(0.0) { sum, r in
                sum + r.probability * (r.weight ?? env.catalog.entry(r.drg)?.weight ?? 0)
            }
            title += " · E[weight] \(Format.weight(expectedWeight))"
            if let pay = env.catalog.payment(forWeight: expectedWeight) { title += " · expected \(Format.money(pay))" }
        }
        if let decision = state.decisions.last(where: { $0.caseID == session.id && $0.kind != .undo }),
           !DecisionLog.reversed(state.decisions).contains(decision.seq) {
            title += " · " + decision.kind.rawValue + (decision.chosenDRG.map { " \($0)" } ?? "")
        }
        let inner = buffer.panel(rect, title: title, focused: focused)
        guard !inner.isEmpty else { return }
        let (head, rows) = inner.splitTop(1)
        buffer.line(ReviewRender.RankingColumns(width: inner.width).header(), in: head, style: CellStyle(.muted))
        guard let prediction = session.prediction else {
            let message: String
            switch state.scoring[session.id] {
            case .some(.running(let p)):
                message = "\(ReviewRender.spinner[state.spinnerPhase % ReviewRender.spinner.count]) scoring… \(Format.percent(p)) \(CellBuffer.barText(p, width: 20))"
            case .some(.waiting): message = "… waiting for the model"
            case .some(.failed(let why)): message = "scoring failed: \(why) — override with o"
            case nil: message = state.modelName == nil ? "no model loaded — code it with o (override)" : "not scored yet"
            }
            buffer.line(" " + message, in: rows.row(0), style: CellStyle(.muted))
            buffer.line(" the case is codable now: o override · d defer · ! flag", in: rows.row(1), style: CellStyle(.muted))
            return
        }
        for (i, r) in prediction.prediction.ranked.prefix(min(10, rows.height)).enumerated() {
            ReviewRender.rankingRow(r, rank: i + 1, selected: i == session.rankCursor, focused: focused, env: env, row: rows.row(i), &buffer)
        }
    }

    // MARK: - Note

    static func note(_ session: CaseSession, _ rect: Rect, focused: Bool, _ buffer: inout CellBuffer) {
        var title = session.showFullNote ? "Whole note · e: model's section" : "Note as the model read it · e: whole"
        if !session.spans.isEmpty { title += " · B base C CC/MCC" }
        let inner = buffer.panel(rect, title: title, focused: false)
        let shift = session.showFullNote ? (session.sectionOffset ?? 0) : 0
        let spans = session.showFullNote && session.sectionOffset == nil ? [] : session.spans
        ReviewRender.note(text: session.showFullNote ? session.detail.noteText : session.detail.sectionText,
                          spans: spans, currentSpan: session.spanCursor, readUpTo: session.prediction?.readUpTo,
                          shift: shift, scroll: session.noteScroll, in: inner, &buffer)
    }

    // MARK: - CC/MCC breakdown

    static func breakdown(_ session: CaseSession, _ env: ReviewEnvironment, _ rect: Rect, _ buffer: inout CellBuffer) {
        let inner = buffer.panel(rect, title: "CC/MCC breakdown")
        guard !inner.isEmpty else { return }
        let codes = session.detail.codes
        guard let p = session.prediction?.prediction else {
            if codes.isEmpty { buffer.line("waiting for the model", in: inner.row(0), style: CellStyle(.muted)); return }
            for (i, line) in codeLines(codes, width: inner.width).prefix(inner.height).enumerated() { buffer.line(line.0, in: inner.row(i), style: CellStyle(line.1)) }
            return
        }
        let roomy = inner.height >= 16
        var lines: [(String, Role)] = []
        lines.append(("Base DRG", .title))
        for m in p.baseDRGs.prefix(roomy ? 3 : inner.height >= 10 ? 2 : 1) {   // at 80x24: room for three siblings
            lines.append((TextWidth.pad(Format.percent(m.probability), to: 4, alignRight: true) + " " + m.label, .text))
        }
        if !codes.isEmpty {
            lines += codeLines(codes, width: inner.width)  // the codes say why, instead of the class probabilities
        } else if roomy {
            lines.append(("CC/MCC class", .title))
            for m in p.ccMcc { lines.append((TextWidth.pad(Format.percent(m.probability), to: 4, alignRight: true) + " " + m.label, .text)) }
        } else {
            lines.append(("CC/MCC " + p.ccMcc.prefix(3).map { "\(Format.shortClass($0.label)) \(Format.percent($0.probability))" }.joined(separator: " "), .text))
        }
        lines += suggestionLines(session.detail.suggestions)
        if let selected = session.selectedDRG {
            let entry = env.catalog.entry(selected.drg)
            let family = entry?.family ?? "family"
            lines.append(("\(family): \(entry?.base ?? selected.base ?? selected.drg)", .title))
            let probabilities = Dictionary(p.ranked.map { ($0.drg, $0.probability) }, uniquingKeysWith: { a, _ in a })
            for sibling in env.catalog.siblings(of: selected.drg) {
                let mark = sibling.code == selected.drg ? "▸" : " "
                let money = sibling.weight.flatMap { env.catalog.payment(forWeight: $0) }
                let cls = Format.shortClass(sibling.ccMccClass ?? "")
                var text = mark + sibling.code + " " + TextWidth.pad(cls, to: 6) + " " + Format.weight(sibling.weight)
                text += " " + TextWidth.pad(Format.money(money), to: 8, alignRight: true)
                text += " " + TextWidth.pad(Format.percent(probabilities[sibling.code]), to: 4, alignRight: true)
                lines.append((text, sibling.code == selected.drg ? .accent : .text))
            }
        }
        for (i, line) in lines.prefix(inner.height).enumerated() { buffer.line(line.0, in: inner.row(i), style: CellStyle(line.1)) }
    }

    /// The case's codes: "MCC because of J96.01 …", then each code with its level and, when a CC/MCC
    /// does not count, why.
    static func codeLines(_ codes: [ShownCode], width: Int) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        if let because = ShownCode.because(codes) { lines.append((because, .accent)) }
        for c in codes {
            let tag = c.kind == .secondary ? (c.level ?? "—") : c.kind.rawValue
            let text = TextWidth.pad(tag, to: 3) + " " + c.code + (c.icdVersion == 9 ? " (ICD-9)" : "") + " " + (c.title ?? "")
            lines.append((text, c.kind == .secondary && !c.counts ? .muted : .text))
            for (i, part) in wrap(c.reason ?? "", width: max(8, width - 6)).enumerated() {
                lines.append(((i == 0 ? "    ✗ " : "      ") + part, .warning))
            }
        }
        return lines
    }

    /// Words of `text` in lines of at most `width` columns (a longer word gets a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && TextWidth.columns(of: line) + 1 + TextWidth.columns(of: String(word)) > width {
                lines.append(line); line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Codes suggested for the CC/MCC evidence: "? N17.9 Acute kidney failure, unspecified".
    static func suggestionLines(_ suggestions: [CodeSuggestion]) -> [(String, Role)] {
        guard !suggestions.isEmpty else { return [] }
        return [("Evidence suggests (confirm)", .title)] + suggestions.map { ("? \($0.code) \($0.title)", .muted) }
    }
}
