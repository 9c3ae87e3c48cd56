import TerminalUI

/// The modals: the `?` help (from the key-binding table), the DRG picker, the reason form.
enum Overlays {
    static func help(_ state: AppState, _ buffer: inout CellBuffer) {
        var under = state
        under.modal = nil
        let scopes = under.activeScopes
        var lines: [(String, Role)] = []
        let groups = ReviewKeyMap.table.groups(in: scopes)
        let keyWidth = min(12, groups.flatMap { $0.bindings.map { TextWidth.columns(of: $0.keyLabel) } }.max() ?? 0)
        for (group, bindings) in groups {
            lines.append((group, .title))
            for b in bindings {
                var text = TextWidth.pad(b.keyLabel, to: keyWidth) + " " + b.description
                var role = Role.text
                if let why = b.disabledReason(under) {
                    text = TextWidth.pad(b.keyLabel, to: keyWidth) + " ✗ " + b.description + " (\(why))"
                    role = .disabled
                }
                lines.append((text, role))
            }
        }
        let area = buffer.area
        let width = min(area.width - 2, 110)
        let columns = lines.count + 2 > area.height - 2 ? 2 : 1
        let perColumn = (lines.count + columns - 1) / columns
        let rect = area.centered(width: width, height: min(area.height - 2, perColumn + 2))
        buffer.fill(rect, style: CellStyle(.panel))
        let inner = buffer.panel(rect, title: "Keys · ✗ unavailable now · Esc or ? closes", focused: true)
        guard !inner.isEmpty else { return }
        let columnWidth = inner.width / columns
        for (i, line) in lines.enumerated() {
            let column = i / perColumn, row = i % perColumn
            guard row < inner.height else { continue }
            let cell = Rect(x: inner.x + column * columnWidth, y: inner.y + row, width: columnWidth - (column < columns - 1 ? 1 : 0), height: 1)
            buffer.line(line.0, in: cell, style: CellStyle(line.1))
        }
    }

    /// The DRG picker, beside the note (over the breakdown column and the ranking's right part) so the
    /// coder reads the note while choosing; each row shows the payment change against the model's top DRG.
    static func picker(_ picker: PickerState, _ state: AppState, _ env: ReviewEnvironment, _ buffer: inout CellBuffer) {
        let layout = ReviewLayout(state)
        let rect: Rect
        if let note = layout.notePanel, let area = layout.caseArea, area.maxX - note.maxX >= 30 {
            rect = Rect(x: note.maxX, y: area.y, width: area.maxX - note.maxX, height: area.height)
        } else {
            rect = buffer.area.centered(width: min(buffer.area.width - 4, 90), height: min(buffer.area.height - 2, 20))
        }
        buffer.fill(rect, style: CellStyle(.panel))
        let inner = buffer.panel(rect, title: "Override · \(env.catalog.versionName)", focused: true)
        guard inner.height >= 3 else { return }
        buffer.line("DRG: \(picker.query)▏", in: inner.row(0), style: CellStyle(.input))
        let hint = picker.query.isEmpty ? "code or words; model's top 10 below" : "\(picker.results.count) matches · ↑↓ · Enter · Esc"
        buffer.line(hint, in: inner.row(1), style: CellStyle(.muted))
        let list = inner.splitTop(2).rest
        if picker.results.isEmpty { buffer.line("no DRG matches \"\(picker.query)\"", in: list.row(0), style: CellStyle(.warning)); return }
        let top = state.session?.prediction?.top
        let topPay = (top?.weight ?? top.flatMap { env.catalog.entry($0.drg)?.weight }).flatMap(env.catalog.payment(forWeight:))
        let scroll = max(0, picker.cursor - list.height + 1)
        for (i, e) in picker.results.dropFirst(scroll).prefix(list.height).enumerated() {
            let selected = scroll + i == picker.cursor
            let money = e.weight.flatMap { env.catalog.payment(forWeight: $0) }
            let delta = e.code == top?.drg ? "model" : money.flatMap { m in topPay.map { Format.signedMoney(m - $0) } } ?? ""
            var tail = " " + TextWidth.pad(delta, to: 8, alignRight: true)
            if list.width >= 70 {
                tail = " " + TextWidth.pad(e.type ?? "", to: 4) + " " + TextWidth.pad(Format.weight(e.weight), to: 6, alignRight: true)
                    + " " + TextWidth.pad(Format.money(money), to: 8, alignRight: true) + tail
            }
            let head = (selected ? "▸" : " ") + e.code + " "
            let room = max(0, list.width - TextWidth.columns(of: head) - TextWidth.columns(of: tail))
            let desc = TextWidth.pad(DRGTitle.fit(e.description, code: e.code, catalog: env.catalog, width: room), to: room)
            buffer.line(head + desc + tail, in: list.row(i), style: CellStyle(selected ? .selection : .text))
        }
    }

    static func reasons(_ form: ReasonForm, _ buffer: inout CellBuffer) {
        let rect = buffer.area.centered(width: min(buffer.area.width - 4, 70), height: min(buffer.area.height - 2, ReasonCode.all.count + 7))
        buffer.fill(rect, style: CellStyle(.panel))
        var title: String
        switch (form.kind, form.recode) {
        case (.override, false): title = "Override to DRG \(form.drg ?? "?") · why?"
        case (.override, true): title = "Re-code to DRG \(form.drg ?? "?") · why? (a reason is required)"
        case (.accept, true): title = "Re-code to the model's DRG \(form.drg ?? "?") · why? (a reason is required)"
        case (.defer, true): title = "Re-open this coded case (defer) · why? (a reason is required)"
        case (.defer, false): title = "Defer this case · why?"
        default: title = "Flag for an auditor · why?"
        }
        if let f = form.finding {
            title = f.agree ? "Finding on \(f.audited.caseExternalID): agree with DRG \(form.drg ?? "?") · note optional"
                            : "Finding on \(f.audited.caseExternalID): DRG \(form.drg ?? "?") instead of \(f.audited.chosenDRG ?? "?") · why?"
        }
        let inner = buffer.panel(rect, title: title, focused: true)
        guard !inner.isEmpty else { return }
        for (i, r) in ReasonCode.all.enumerated() {
            let ticked = form.chosen.contains(r.code) ? "[x]" : "[ ]"
            let cursor = !form.editingNote && i == form.cursor
            buffer.line("\(ticked) \(i + 1) \(TextWidth.pad(r.code, to: 14)) \(r.label)", in: inner.row(i), style: CellStyle(cursor ? .selection : .text))
        }
        let noteRow = ReasonCode.all.count + 1
        buffer.line("Note: \(form.note)\(form.editingNote ? "▏" : "")", in: inner.row(noteRow), style: CellStyle(form.editingNote ? .input : .muted))
        buffer.line("Space tick · Tab note · Enter record · Esc cancel", in: inner.row(noteRow + 2), style: CellStyle(.muted))
    }
}
