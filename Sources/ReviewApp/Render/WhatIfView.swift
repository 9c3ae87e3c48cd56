import DRGKit
import Foundation
import TerminalUI

/// The what-if panel over the case screen:
///
///     ┌─ What-if · N-1001 · nothing is recorded ───────────────────────────┐
///     │PDX I50.21 Acute systolic (congestive) heart failure                 │
///     │Add: resp fail hypox▏                                                │
///     │Secondaries · Enter removes or puts back                             │
///     │▸[x] MCC I50.23 ✗ excluded by the principal I50.21 (…) · Acute on …  │
///     │ [ ] CC  N17.9 removed · Acute kidney failure, unspecified           │
///     │Matches · Enter adds                                                 │
///     │  J96.01 MCC Acute respiratory failure with hypoxia                  │
///     │Selects DRG 291 HEART FAILURE AND SHOCK WITH MCC · 1.356 · $8,138    │
///     │MCC because of J96.01 Acute respiratory failure with hypoxia         │
///     │vs model's DRG 291: weight +0.000 · payment +$0                      │
///     │vs coded DRG 292: weight +0.463 · payment +$2,776                    │
///     └─────────────────────────────────────────────────────────────────────┘
///
/// The answer block stays at the bottom; the secondaries and matches scroll to keep the cursor in view.
enum WhatIfView {
    static func draw(_ panel: WhatIfState, _ state: AppState, _ env: ReviewEnvironment, _ buffer: inout CellBuffer) {
        let rect = buffer.area.centered(width: min(buffer.area.width - 2, 110), height: buffer.area.height - 2)
        buffer.fill(rect, style: CellStyle(.panel))
        let id = state.session?.detail.summary.externalID ?? ""
        let inner = buffer.panel(rect, title: "What-if · \(id) · nothing is recorded · Esc leaves", focused: true)
        guard inner.height >= 4, inner.width >= 10 else { return }
        buffer.line("PDX \(panel.principal) \(panel.principalTitle ?? "")", in: inner.row(0), style: CellStyle(.text))
        buffer.line("Add: \(panel.query)▏", in: inner.row(1), style: CellStyle(.input))
        let answer = answerLines(panel, env, width: inner.width)
        let middle = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: max(0, inner.height - 2 - answer.count))
        let list = listLines(panel, width: inner.width)
        let cursorLine = list.firstIndex { $0.cursor } ?? 0
        let scroll = max(0, cursorLine - middle.height + 1)
        for (i, line) in list.dropFirst(scroll).prefix(middle.height).enumerated() {
            buffer.line(line.text, in: middle.row(i), style: CellStyle(line.cursor ? .selection : line.role))
        }
        let bottom = Rect(x: inner.x, y: middle.maxY, width: inner.width, height: inner.height - 2 - middle.height)
        for (i, line) in answer.prefix(bottom.height).enumerated() { buffer.line(line.0, in: bottom.row(i), style: CellStyle(line.1)) }
    }

    /// The secondaries (ticked when kept) with what each does for the stay, then the picker's matches.
    static func listLines(_ panel: WhatIfState, width: Int) -> [(text: String, role: Role, cursor: Bool)] {
        var lines: [(text: String, role: Role, cursor: Bool)] = []
        let assessed = Dictionary((panel.current?.result?.secondaries ?? []).map { (ICD10.dotted($0.code), $0) }, uniquingKeysWith: { a, _ in a })
        lines.append((panel.rows.isEmpty ? "Secondaries · none on the case: type to add one" : "Secondaries · Enter removes or puts back", .title, false))
        for (i, row) in panel.rows.enumerated() {
            let tick = !row.included ? "[ ]" : row.added ? "[+]" : "[x]"
            // What the code does for the stay comes before its title, so a narrow panel still shows it.
            var status = "", role = Role.text
            if !row.included {
                status = "removed · "; role = .muted
            } else if let a = assessed[row.code] {
                if a.counts { status = "counts · " } else if a.level != nil, let why = a.reason { status = "✗ \(why) · "; role = .warning }
            }
            let text = (i == panel.cursor ? "▸" : " ") + tick + " " + TextWidth.pad(row.level ?? "—", to: 3) + " " + row.code + " "
                + status + (row.title ?? "")
            lines.append((text, role, i == panel.cursor))
        }
        if !panel.query.isEmpty {
            lines.append((panel.matches.isEmpty ? "Matches · no ICD-10-CM code matches \"\(panel.query)\" yet" : "Matches · Enter adds", .title, false))
            for (j, m) in panel.matches.enumerated() {
                let selected = panel.rows.count + j == panel.cursor
                lines.append(((selected ? "▸ " : "  ") + TextWidth.pad(m.code, to: 8) + " " + TextWidth.pad(m.level ?? "", to: 3) + " " + m.title,
                              .text, selected))
            }
        } else {
            lines.append(("type a code prefix or words (typos are fine) to add a secondary", .muted, false))
        }
        return lines
    }

    /// What the set selects, against the model's DRG and the coded one, and what else the family reads.
    static func answerLines(_ panel: WhatIfState, _ env: ReviewEnvironment, width: Int) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        guard let answer = panel.current else { return [("working out the DRG…", .muted)] }
        guard let result = answer.result else {
            return [("No what-if for DRG \(panel.drg): \(answer.failure ?? "unknown failure")", .error)]
        }
        // The catalog's weight first, so the differences agree with the ranking the coder sees.
        let weight = env.catalog.entry(result.drg.code)?.weight ?? result.drg.weight
        let money = weight.flatMap { env.catalog.payment(forWeight: $0) }
        lines.append(("Selects DRG \(result.drg.code) \(result.drg.description) · weight \(Format.weight(weight)) · \(Format.money(money))", .accent))
        lines.append((result.because, .text))
        for (label, drg) in [("model's DRG", panel.modelDRG), ("coded DRG", panel.codedDRG)] {
            guard let drg else { lines.append(("vs \(label): none" + (label == "coded DRG" ? " (not coded yet)" : ""), .muted)); continue }
            let other = env.catalog.entry(drg)?.weight
            guard let weight, let other else { lines.append(("vs \(label) \(drg): no weight to compare", .muted)); continue }
            let pay = env.catalog.payment(forWeight: weight).flatMap { a in env.catalog.payment(forWeight: other).map { a - $0 } }
            lines.append(("vs \(label) \(drg) (\(Format.weight(other))): weight \(Format.signed(weight - other))"
                          + (pay.map { " · payment \(signedMoney($0))" } ?? ""), .text))
        }
        if let change = result.familyChange { lines.append(("Family changed: \(change)", .warning)) }
        if !result.dependsOn.isEmpty {
            lines.append(("Not CC/MCC alone: this family also depends on \(result.dependsOn.joined(separator: ", ")); assumed absent here", .warning))
        }
        for skipped in answer.skipped { lines.append(("left out: \(skipped)", .warning)) }
        return lines
    }

    /// "+$2,776", "-$1,200", "+$0".
    static func signedMoney(_ value: Double) -> String {
        let text = Format.money(value)
        return text.hasPrefix("-") ? text : "+" + text
    }
}
