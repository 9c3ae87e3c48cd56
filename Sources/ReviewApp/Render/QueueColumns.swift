import TerminalUI

/// The queue list's columns: each has a header, a width and the text of its cell, so a view adds a
/// column by adding an entry (the in-hospital "working DRG" of CAML, say) instead of editing a
/// format string. `QueueColumns.fitted` picks the columns that fit a panel width: the case id grows to
/// the longest id of the whole queue (MIMIC note ids are 14+ characters), the optional columns
/// (payment at stake, the top DRG's title) come when there is room. Pure.
struct QueueColumn {
    var header: String
    var width: Int
    var alignRight = false
    /// The cell's text for a row (cut or padded to `width` by the caller).
    var cell: (CaseSummary, QueueColumns.Context) -> String
}

enum QueueColumns {
    /// What cells may read besides the row.
    struct Context {
        var state: AppState
        var catalog: DRGCatalog
    }

    /// Columns for a list `width` columns wide (after the 1-column cursor marker).
    static func fitted(width: Int, state: AppState, catalog: DRGCatalog) -> [QueueColumn] {
        let longestID = state.queue.map { TextWidth.columns(of: $0.externalID) }.max() ?? 0
        let core: [QueueColumn] = [
            QueueColumn(header: "Stat", width: 4) { c, _ in c.status.short },
            QueueColumn(header: "Pri", width: 3) { c, _ in "P\(c.priority)" },
            // A patient in hospital shows the working DRG of its early prediction, marked "~".
            QueueColumn(header: " DRG", width: 4) { c, _ in
                c.codedDRG.map { "→\($0)" } ?? c.topDRG.map { " \($0)" } ?? c.inHospital?.workingDRG.map { "~\($0)" } ?? " ···"
            },
            QueueColumn(header: "Conf", width: 4, alignRight: true) { c, _ in c.confidence.map { Format.percent($0) } ?? "—" },
            QueueColumn(header: " ", width: 1) { c, ctx in scoringMark(c, ctx.state) },
        ]
        let coreWidth = core.reduce(0) { $0 + $1.width + 1 }
        let idWidth = max(13, min(longestID, width - coreWidth))
        var columns = [QueueColumn(header: "Case", width: idWidth) { c, _ in c.externalID }] + core
        var used = idWidth + coreWidth
        let stake = QueueColumn(header: "At stake", width: 8, alignRight: true) { c, ctx in
            c.atStake.map { Format.money($0) } ?? ""
        }
        // With patients in hospital (early prediction), the note column is wider and says where they
        // stand ("in hospital (24 h)"), and comes before the money.
        let stays = state.queue.contains { $0.inHospital != nil }
        let note = QueueColumn(header: "", width: stays ? 20 : 8) { c, _ in
            c.queueStayMarker ?? (c.isScored ? (c.wholeNote ? "no BHC" : "") : (c.wholeNote ? "? no BHC" : "unscored"))
        }
        if stays, width - used >= note.width + 1 { columns.append(note); used += note.width + 1 }
        if width - used >= stake.width + 1 + 12 { columns.append(stake); used += stake.width + 1 }
        if !stays, width - used >= note.width + 1 { columns.append(note); used += note.width + 1 }
        if width - used >= 21 {
            let room = width - used - 1
            columns.append(QueueColumn(header: "Model's top DRG", width: room) { c, ctx in
                guard let code = c.codedDRG ?? c.topDRG, let e = ctx.catalog.entry(code) else { return "" }
                return DRGTitle.fit(e.description, code: code, catalog: ctx.catalog, width: room)
            })
        }
        return columns
    }

    /// "▸N-1001        busy P6   291  46%  …": the marker, then each column padded, one space apart.
    static func line(_ columns: [QueueColumn], marker: String, cells: [String]) -> String {
        marker + zip(columns, cells).map { TextWidth.pad($1, to: $0.width, alignRight: $0.alignRight) }.joined(separator: " ")
    }

    static func header(_ columns: [QueueColumn]) -> String {
        line(columns, marker: " ", cells: columns.map(\.header))
    }

    static func scoringMark(_ c: CaseSummary, _ state: AppState) -> String {
        switch state.scoring[c.id] {
        case .some(.running): return String(ReviewRender.spinner[state.spinnerPhase % ReviewRender.spinner.count])
        case .some(.waiting): return "…"
        case .some(.failed): return "!"
        case nil: return c.isScored || c.inHospital != nil ? " " : "?"  // a stay in hospital says so in words
        }
    }
}
