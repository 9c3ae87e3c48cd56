import DRGKit
import Foundation
import TerminalUI

/// The coder's screen: queue, queue summary, and the open case (ranking, note, CC/MCC breakdown).
enum CodeView {
    static func draw(_ state: AppState, _ env: ReviewEnvironment, _ layout: ReviewLayout, _ buffer: inout CellBuffer) {
        if let q = layout.queuePanel { queue(state, env, q, &buffer) }
        if let s = layout.summaryPanel { summary(state, env, s, &buffer) }
        guard let session = state.session else { return }
        let focused = state.focus == .caseView
        if let r = layout.rankingPanel { ranking(session, state, env, focused: focused, r, &buffer) }
        if let n = layout.notePanel { note(session, n, focused: focused, &buffer) }
        if let b = layout.breakdownPanel { breakdown(session, env, b, &buffer) }
    }

    // MARK: - Queue

    static func queue(_ state: AppState, _ env: ReviewEnvironment, _ rect: Rect, _ buffer: inout CellBuffer) {
        let rows = state.visibleQueue
        var title = "Queue \(rows.count)/\(state.queue.count) · \(state.statusFilter.rawValue)"
        if state.sort != .queue { title += " · by \(state.sort.rawValue)" }
        if state.searching || !state.search.isEmpty { title += " · /\(state.search)\(state.searching ? "▏" : "")" }
        let inner = buffer.panel(rect, title: title, focused: state.focus == .queue)
        guard !inner.isEmpty else { return }
        let (head, list) = inner.splitTop(1)
        // The columns are measured over the whole queue, not the filtered rows, so the header stays
        // put when a filter or search empties the list.
        let columns = QueueColumns.fitted(width: inner.width - 1, state: state, catalog: env.catalog)
        buffer.line(QueueColumns.header(columns), in: head, style: CellStyle(.muted))
        if !state.queueLoaded { buffer.line(" loading…", in: list.row(0), style: CellStyle(.muted)); return }
        if rows.isEmpty { buffer.line(" no cases match (f: filter, /: search)", in: list.row(0), style: CellStyle(.muted)); return }
        let scroll = ReviewLayout.queueScroll(state, rows: list.height)
        let context = QueueColumns.Context(state: state, catalog: env.catalog)
        for (i, c) in rows.dropFirst(scroll).prefix(list.height).enumerated() {
            let index = scroll + i
            let selected = index == state.queueCursor
            let open = state.session?.id == c.id
            let text = QueueColumns.line(columns, marker: selected ? "▸" : open ? "•" : " ", cells: columns.map { $0.cell(c, context) })
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
            // Money is always labelled with the rate it assumes.
            if let pay = env.catalog.payment(forWeight: expectedWeight) {
                title += " · expected payment \(Format.money(pay)) at \(Format.money(env.settings.baseRate)) base rate"
            } else {
                title += " · expected weight \(Format.weight(expectedWeight))"
            }
        }
        if let decision = state.decisions.last(where: { $0.caseID == session.id && $0.kind != .undo }),
           !DecisionLog.reversed(state.decisions).contains(decision.seq) {
            title += " · " + decision.kind.rawValue + (decision.chosenDRG.map { " \($0)" } ?? "")
        }
        let inner = buffer.panel(rect, title: title, focused: focused)
        guard !inner.isEmpty else { return }
        let (head, rows) = inner.splitTop(1)
        buffer.line(ReviewRender.RankingColumns(width: inner.width).header(), in: head, style: CellStyle(.muted))
        guard session.prediction != nil else {
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
        let scroll = ReviewLayout.rankingScroll(state, rows: rows.height)
        for (i, r) in session.topTen.enumerated().dropFirst(scroll).prefix(rows.height) {
            ReviewRender.rankingRow(r, rank: i + 1, selected: i == session.rankCursor, focused: focused, env: env, row: rows.row(i - scroll), &buffer)
        }
        if scroll + rows.height < session.topTen.count {
            let more = " ↓ \(session.topTen.count - scroll - rows.height) more "
            buffer.write(more, x: rect.maxX - 1 - TextWidth.columns(of: more), y: rect.maxY - 1, style: CellStyle(.border), clip: rect)
        }
    }

    // MARK: - Note

    static func note(_ session: CaseSession, _ rect: Rect, focused: Bool, _ buffer: inout CellBuffer) {
        var title = session.showFullNote ? "Note (whole) · e: model's section"
            : session.detail.summary.wholeNote ? "Note (whole: no brief hospital course found)" : "Note as the model read it · e: whole"
        if !session.showFullNote, let p = session.prediction, p.truncated {
            // Where the model stopped: ✂ in the gutter (the prediction recorded it), or only that it did.
            title = "Note · model read to ✂ (\(p.tokenCount ?? 512) tokens)" + (p.readUpTo == nil ? " · where not recorded" : "") + " · e: whole"
        }
        if let o = session.occlusion { title = o.spans == nil ? "Note · occluding \(o.drg)…" : "Note · occlusion \(o.drg) · e: whole" }
        if !session.spans.isEmpty { title += " · B base C CC/MCC" }
        let inner = buffer.panel(rect, title: title, focused: false)
        let shift = session.showFullNote ? (session.sectionOffset ?? 0) : 0
        let spans = session.showFullNote && session.sectionOffset == nil ? [] : session.spans
        ReviewRender.note(text: session.showFullNote ? session.detail.noteText : session.detail.sectionText,
                          spans: spans, currentSpan: session.spanCursor, readUpTo: session.prediction?.readUpTo,
                          shift: shift, scroll: session.noteScroll, in: inner, &buffer)
    }

    // MARK: - CC/MCC breakdown

    /// The base-DRG marginals, the CC/MCC classes that exist in the selected DRG's family (with the
    /// model's probability of each), the note's CC/MCC evidence, and the family's members with their
    /// weight, payment and payment difference against the model's top DRG: what the CC/MCC call is worth.
    static func breakdown(_ session: CaseSession, _ env: ReviewEnvironment, _ rect: Rect, _ buffer: inout CellBuffer) {
        let inner = buffer.panel(rect, title: "CC/MCC breakdown")
        guard !inner.isEmpty else { return }
        let codes = session.detail.codes
        guard let p = session.prediction?.prediction else {
            if codes.isEmpty { buffer.line("waiting for the model", in: inner.row(0), style: CellStyle(.muted)); return }
            for (i, line) in codeLines(codes, width: inner.width).prefix(inner.height).enumerated() { buffer.line(line.0, in: inner.row(i), style: CellStyle(line.1)) }
            return
        }
        let selected = session.selectedDRG
        let siblings = selected.map { env.catalog.siblings(of: $0.drg) } ?? []
        // Lines every height shows: the family with its money; the rest are added while they fit.
        var family: [(String, Role)] = []
        if let selected {
            let entry = env.catalog.entry(selected.drg)
            family.append(("\(entry?.family ?? "family"): \(entry?.base ?? selected.base ?? selected.drg)", .title))
            let probabilities = Dictionary(p.ranked.map { ($0.drg, $0.probability) }, uniquingKeysWith: { a, _ in a })
            let topPay = (p.ranked.first?.weight ?? p.ranked.first.flatMap { env.catalog.entry($0.drg)?.weight }).flatMap(env.catalog.payment(forWeight:))
            for sibling in siblings {
                let mark = sibling.code == selected.drg ? "▸" : " "
                let money = sibling.weight.flatMap { env.catalog.payment(forWeight: $0) }
                let delta = money.flatMap { m in topPay.map { m - $0 } }
                var text = mark + sibling.code + " " + TextWidth.pad(Format.shortClass(sibling.ccMccClass ?? ""), to: 6) + " " + Format.weight(sibling.weight)
                text += " " + TextWidth.pad(Format.money(money), to: 8, alignRight: true)
                text += " " + TextWidth.pad(Format.percent(probabilities[sibling.code]), to: 4, alignRight: true)
                if inner.width >= text.count + 10 { text += " " + TextWidth.pad(delta.map { Format.signedMoney($0) } ?? "", to: 9, alignRight: true) }
                family.append((text, sibling.code == selected.drg ? .accent : .text))
            }
            if siblings.count > 1, inner.width >= 40 { family.insert(("  DRG  class  weight  payment    P  vs model", .muted), at: 1) }
        }
        var lines: [(String, Role)] = [("Base DRG", .title)]
        let room = inner.height - family.count
        let bases = room >= 14 ? 3 : room >= 9 ? 2 : 1
        for m in p.baseDRGs.prefix(bases) {
            lines.append((TextWidth.pad(Format.percent(m.probability), to: 4, alignRight: true) + " " + m.label, .text))
        }
        // Only the classes this family splits into (a three-way family has no "without MCC").
        let familyClasses = Set(siblings.compactMap { $0.ccMccClass?.lowercased() })
        let classes = familyClasses.isEmpty ? Array(p.ccMcc.prefix(3)) : p.ccMcc.filter { familyClasses.contains($0.label.lowercased()) }
        if !codes.isEmpty {
            lines += codeLines(codes, width: inner.width)  // the codes say why, instead of the class probabilities
        } else {
            lines.append(("CC/MCC " + classes.map { "\(Format.shortClass($0.label)) \(Format.percent($0.probability))" }.joined(separator: " "), .text))
        }
        if let why = p.evidence.filter({ $0.aspect == "cc_mcc" }).max(by: { $0.score < $1.score }), lines.count + family.count + 1 < inner.height {
            lines.append(("C evidence: \"" + why.text + "\"", .evidenceCcMcc))
        }
        lines += suggestionLines(session.detail.suggestions)
        let all = Array(lines.prefix(max(1, inner.height - family.count))) + family
        for (i, line) in all.prefix(inner.height).enumerated() { buffer.line(line.0, in: inner.row(i), style: CellStyle(line.1)) }
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
