import TerminalUI

/// Where each panel goes for a state and terminal size. Render draws into these rectangles and
/// update uses the same ones for mouse hits and page sizes, so they always agree.
///
/// The coder's view at 80x24 shows one pane at a time (the queue with its summary, or the case:
/// ranking on top, note and CC/MCC breakdown below); from 140x28 the queue stays on the left.
public struct ReviewLayout {
    /// The smallest terminal every view is fully usable in.
    public static let minimum = Size(width: 80, height: 24)

    public var header = Rect(x: 0, y: 0, width: 0, height: 0)
    public var footer = Rect(x: 0, y: 0, width: 0, height: 0)
    public var queuePanel: Rect?
    public var queueRows: Rect?
    public var summaryPanel: Rect?
    public var caseArea: Rect?
    public var rankingPanel: Rect?
    public var rankingRows: Rect?
    public var notePanel: Rect?
    public var breakdownPanel: Rect?
    // Audit and train
    public var listPanel: Rect?
    public var detailPanel: Rect?
    public var sidePanel: Rect?
    public var bottomPanel: Rect?
    /// Train: the cases behind the selected confusion pair.
    public var casesPanel: Rect?

    /// The size the view needs when the terminal is smaller; nil when it fits.
    public static func tooSmall(_ state: AppState) -> Size? {
        state.size.width < minimum.width || state.size.height < minimum.height ? minimum : nil
    }

    public init(_ state: AppState) {
        let screen = Rect(size: state.size)
        let (top, rest) = screen.splitTop(1)
        let (body, bottom) = rest.splitBottom(1)
        header = top; footer = bottom
        switch state.view {
        case .code: layoutCode(state, body)
        case .audit:
            let (list, lower) = body.splitTop(min(12, max(6, body.height / 3)))
            let (detail, note) = lower.splitLeft(body.width >= 140 ? 60 : 40)
            listPanel = list; detailPanel = detail; notePanel = note
        case .train:
            let (summary, lower) = body.splitTop(6)      // agreement (2 rows) and population CMI (2 rows)
            let (lists, export) = lower.splitBottom(5)
            let (pairs, right) = lists.splitLeft(lists.width / 2)
            let (cases, families) = right.splitTop(right.height / 2)
            detailPanel = summary; listPanel = pairs; casesPanel = cases; sidePanel = families; bottomPanel = export
        }
    }

    /// The note panel's least height with a case open (12 rows of text and its border).
    public static let noteMinimumHeight = 14
    /// The side column beside the note (CC/MCC breakdown, and at 140x28 and up the summary under it).
    static func sideWidth(_ area: Rect) -> Int { area.width >= 110 ? 48 : 34 }

    /// Space goes to what the coder reads: the note gets at least `noteMinimumHeight` rows, the
    /// ranking what is left up to its 10 rows (it scrolls with the cursor), and from 140x28 the queue
    /// keeps a 40-column list on the left while the summary moves under the breakdown. With no case
    /// open the queue and summary take the whole screen at every size.
    private mutating func layoutCode(_ state: AppState, _ body: Rect) {
        let wide = body.width >= 140 && body.height >= 28
        var caseRect: Rect?
        // With the case's codes (a longer breakdown) the summary stays under the queue.
        let summaryLeft = !(state.session?.detail.codes.isEmpty ?? true) || !(state.session?.detail.suggestions.isEmpty ?? true)
        if wide && state.session != nil {
            let (left, right) = body.splitLeft(40)
            if summaryLeft {
                let (list, summary) = left.splitBottom(12)
                queuePanel = list; summaryPanel = summary
            } else {
                queuePanel = left
            }
            caseRect = right
        } else if state.focus == .queue || state.session == nil {
            let (list, summary) = body.splitRight(34)
            queuePanel = list; summaryPanel = summary
        } else {
            caseRect = body
        }
        if let q = queuePanel { queueRows = q.inset().splitTop(1).rest }
        guard let area = caseRect, let session = state.session else { return }
        caseArea = area
        if session.noteZoomed { notePanel = area; return }
        let rankingHeight = min(13, max(5, area.height - Self.noteMinimumHeight))
        let (ranking, lower) = area.splitTop(rankingHeight)
        rankingPanel = ranking
        rankingRows = ranking.inset().splitTop(1).rest
        let (note, side) = lower.splitRight(Self.sideWidth(area))
        notePanel = note
        if wide && side.height >= 24 && !summaryLeft {
            let (breakdown, summary) = side.splitBottom(12)
            breakdownPanel = breakdown; summaryPanel = summary
        } else {
            breakdownPanel = side
        }
    }

    /// The first visible ranking row, so the cursor stays on screen when the panel shows fewer than 10.
    static func rankingScroll(_ state: AppState, rows: Int) -> Int {
        guard rows > 0, let s = state.session else { return 0 }
        return max(0, min(s.rankCursor, s.topTen.count - 1) - rows + 1)
    }

    // MARK: - Note geometry (shared by render and update)

    /// The text the note panel shows now.
    static func noteText(_ state: AppState) -> String {
        if state.view == .audit { return state.audit.detail?.sectionText ?? "" }
        guard let s = state.session else { return "" }
        return s.showFullNote ? s.detail.noteText : s.detail.sectionText
    }

    /// Columns of text in the note panel (a 2-column gutter marks lines with evidence).
    static func noteWidth(_ state: AppState) -> Int { max(0, (ReviewLayout(state).notePanel?.width ?? 0) - 4) }

    /// Rows of text the note panel shows at once.
    public static func notePageRows(_ state: AppState) -> Int { max(0, (ReviewLayout(state).notePanel?.height ?? 0) - 2) }

    static func noteLines(_ state: AppState) -> [TextWrap.Line] {
        TextWrap.wrap(noteText(state), width: noteWidth(state))
    }

    static func noteLineCount(_ state: AppState) -> Int { noteLines(state).count }

    /// The wrapped line that holds scalar offset `offset` of the section text.
    static func noteLine(ofScalarOffset offset: Int, _ state: AppState) -> Int? {
        var probe = state
        probe.session?.showFullNote = false
        let lines = noteLines(probe)
        guard !lines.isEmpty else { return nil }
        return (lines.lastIndex { $0.scalarOffset <= offset }) ?? 0
    }

    /// The first visible queue row, so the cursor stays on screen.
    static func queueScroll(_ state: AppState, rows: Int) -> Int {
        guard rows > 0 else { return 0 }
        return max(0, state.queueCursor - rows + 1)
    }
}
