import DRGKit
import Foundation
import TerminalUI

/// The render function: `render(state, env) -> CellBuffer`. Pure: the same state draws the same
/// frame, which is what the whole-frame tests compare. Every panel draws only inside its rectangle,
/// so 0x0 and 1x1 terminals get what fits and smaller-than-80x24 ones get a message.
public enum ReviewRender {
    static let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    public static func render(_ state: AppState, _ env: ReviewEnvironment) -> CellBuffer {
        var buffer = CellBuffer(size: state.size)
        if let need = ReviewLayout.tooSmall(state) {
            buffer.tooSmall(buffer.area, need: need)
            return buffer
        }
        let layout = ReviewLayout(state)
        header(state, layout.header, &buffer)
        switch state.view {
        case .code: CodeView.draw(state, env, layout, &buffer)
        case .audit: AuditView.draw(state, env, layout, &buffer)
        case .train: TrainView.draw(state, env, layout, &buffer)
        }
        let scopes = state.activeScopes
        buffer.footer(ReviewKeyMap.table.footer(in: scopes, context: state, typingText: scopes.first?.typesText ?? false), in: layout.footer)
        switch state.modal {
        case .help: Overlays.help(state, &buffer)
        case .picker(let picker): Overlays.picker(picker, state, env, &buffer)
        case .whatIf(let panel): WhatIfView.draw(panel, state, env, &buffer)
        case .reasons(let form): Overlays.reasons(form, &buffer)
        case nil: break
        }
        return buffer
    }

    /// " drgcoder · code · alice · model demo ······ ⠋ scoring C-0003 40% "
    static func header(_ state: AppState, _ row: Rect, _ buffer: inout CellBuffer) {
        buffer.fill(row, style: CellStyle(.header))
        var left = " drgcoder · \(state.view.rawValue) · \(state.user) · "
        left += state.modelName.map { "model \($0)" } ?? "no model"
        var right = ""
        let outage = ReviewUpdate.outageLine(state)
        if let outage {
            // What the last key did first (it clears on the next key), then the outage.
            right = state.flash.map { "\($0.text) · \(outage)" } ?? outage
        } else if let flash = state.flash {
            right = flash.text
        } else if state.view == .code, let running = state.scoring.first(where: { if case .running = $0.value { return true }; return false }) {
            let externalID = state.queue.first { $0.id == running.key }?.externalID ?? "#\(running.key)"
            if case .running(let p) = running.value {
                right = "\(spinner[state.spinnerPhase % spinner.count]) scoring \(externalID) \(Format.percent(p))"
            }
        } else if state.view == .audit, let chain = state.chain {
            right = chain.verified ? "chain ✓ \(chain.count) verified" : "chain ✗ \(chain.message)"
        }
        let roomForLeft = max(0, row.width - TextWidth.columns(of: right) - 2)
        buffer.write(TextWidth.truncate(left, to: roomForLeft), x: row.x, y: row.y, style: CellStyle(.header), clip: row)
        if !right.isEmpty {
            let cut = TextWidth.truncate(right, to: max(0, row.width - 2))
            let style: CellStyle
            switch outage == nil ? state.flash?.role : .some(.error) {
            case .some(.error): style = CellStyle(.error, [.reverse])
            case .some(.warning): style = CellStyle(.header, [.bold])
            default: style = CellStyle(.header)
            }
            buffer.write(cut, x: row.maxX - 1 - TextWidth.columns(of: cut), y: row.y, style: style, clip: row)
        }
    }

    // MARK: - Shared pieces

    /// The note with its evidence: a gutter letter per line (B = base-DRG evidence, C = CC/MCC
    /// evidence, * = both), so the two are told apart without colour; spans styled by aspect, the
    /// current span reversed; text past where the model stopped reading is muted, its line marked ✂
    /// in the second gutter column and every later line ┆ (visible without colour).
    static func note(text: String, spans: [EvidenceSpan], currentSpan: Int?, readUpTo: Int?, shift: Int,
                     scroll: Int, in inner: Rect, _ buffer: inout CellBuffer) {
        guard inner.width > 2, inner.height > 0 else { return }
        // Only the lines up to the bottom of the panel (plus one, to know whether more follow).
        let lines = TextWrap.wrap(text, width: inner.width - 2, maxLines: max(0, scroll) + inner.height + 1)
        // Never past the end: the last page shows the last line at the bottom, not a blank panel.
        let first = min(max(0, scroll), max(0, lines.count - inner.height))
        let shifted = spans.map { ($0.start + shift, $0.end + shift, $0.aspect) }
        let current = currentSpan.flatMap { spans.indices.contains($0) ? spans[$0] : nil }.map { ($0.start + shift, $0.end + shift) }
        let readLimit = readUpTo.map { $0 + shift }
        for (row, index) in (first..<min(lines.count, first + inner.height)).enumerated() {
            let line = lines[index]
            let y = inner.y + row
            let start = line.scalarOffset, end = start + line.text.unicodeScalars.count
            let touching = shifted.filter { $0.0 < end && $0.1 > start }
            let hasBase = touching.contains { $0.2 != "cc_mcc" }, hasCC = touching.contains { $0.2 == "cc_mcc" }
            let mark = hasBase && hasCC ? "*" : hasBase ? "B" : hasCC ? "C" : " "
            // Only a marked gutter cell is styled: a blank one stays plain (no underline in monochrome).
            if mark != " " { buffer.write(mark, x: inner.x, y: y, style: CellStyle(hasCC ? .evidenceCcMcc : .evidenceBase), clip: inner) }
            // Truncation: ✂ beside the line where the model stopped reading, ┆ beside every line after it.
            if let r = readLimit, end > r {
                buffer.write(start <= r ? "✂" : "┆", x: inner.x + 1, y: y, style: CellStyle(.warning), clip: inner)
            }
            var x = inner.x + 2, offset = start
            for ch in line.text {
                var style = CellStyle(.text)
                if let r = readLimit, offset >= r { style = CellStyle(.muted) }
                if let span = touching.first(where: { offset >= $0.0 && offset < $0.1 }) {
                    style = CellStyle(span.2 == "cc_mcc" ? .evidenceCcMcc : .evidenceBase)
                }
                if let c = current, offset >= c.0 && offset < c.1 { style = CellStyle(.evidenceCurrent) }
                x = buffer.write(String(ch), x: x, y: y, style: style, clip: inner)
                offset += ch.unicodeScalars.count
            }
        }
        if lines.count > first + inner.height || first > 0 {
            let label = lines.count > first + inner.height ? (first > 0 ? " ↑↓ more " : " ↓ more ") : " ↑ end of note "
            buffer.write(label, x: inner.maxX - TextWidth.columns(of: label), y: inner.maxY, style: CellStyle(.border), clip: Rect(x: inner.x, y: inner.maxY, width: inner.width, height: 1))
        }
    }

    /// The ranking's columns for a row width: "▸ 1 291 <description> 42% <bar> MDC Type Weight Payment".
    struct RankingColumns {
        var bar: Int
        var description: Int
        static let headWidth = 8      // "▸ 1 291 "
        init(width: Int) {
            bar = width >= 100 ? 16 : 6
            description = max(0, width - RankingColumns.headWidth - (1 + 4 + 1 + bar + 1 + 3 + 1 + 4 + 1 + 6 + 1 + 8))
        }
        func header() -> String {
            "  # DRG " + TextWidth.pad("Description", to: description) + " " + TextWidth.pad("P", to: 4, alignRight: true) + " "
                + TextWidth.pad(bar >= 11 ? "Probability" : "Bar", to: bar) + " MDC Type " + TextWidth.pad("Weight", to: 6, alignRight: true) + " "
                + TextWidth.pad("Payment", to: 8, alignRight: true)
        }
    }

    /// One ranking row: "▸ 1 291 HEART FAILURE … 42% ████▌··· 05 MED  1.345  $8,123".
    static func rankingRow(_ r: RankedDRG, rank: Int, selected: Bool, focused: Bool, env: ReviewEnvironment,
                           row: Rect, _ buffer: inout CellBuffer) {
        let entry = env.catalog.entry(r.drg)
        let weight = r.weight ?? entry?.weight
        let style = CellStyle(selected ? (focused ? .selection : .cursor) : .text)
        buffer.fill(row, style: style)
        let columns = RankingColumns(width: row.width)
        let head = (selected ? "▸" : " ") + TextWidth.pad("\(rank)", to: 2, alignRight: true) + " " + TextWidth.pad(r.drg, to: 3) + " "
        var x = buffer.write(head + TextWidth.pad(DRGTitle.fit(r.description, code: r.drg, catalog: env.catalog, width: columns.description), to: columns.description), x: row.x, y: row.y, style: style, clip: row)
        x = buffer.write(" " + TextWidth.pad(Format.percent(r.probability), to: 4, alignRight: true) + " ", x: x, y: row.y, style: style, clip: row)
        if selected { x = buffer.write(CellBuffer.barText(r.probability, width: columns.bar), x: x, y: row.y, style: style, clip: row) }
        else { buffer.bar(r.probability, x: x, y: row.y, width: columns.bar, clip: row); x += columns.bar }
        let mdc = TextWidth.pad(entry?.mdc ?? "", to: 3, alignRight: true)
        let type = TextWidth.pad(entry?.type ?? "", to: 4)
        let money = weight.flatMap { env.catalog.payment(forWeight: $0) }
        buffer.write(" \(mdc) \(type) " + TextWidth.pad(Format.weight(weight), to: 6, alignRight: true) + " "
                     + TextWidth.pad(Format.money(money), to: 8, alignRight: true), x: x, y: row.y, style: style, clip: row)
    }
}
