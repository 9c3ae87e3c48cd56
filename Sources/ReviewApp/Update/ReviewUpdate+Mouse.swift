import DRGKit
import Foundation
import TerminalUI

/// Mouse clicks select what they land on (the same rectangles render drew).
extension ReviewUpdate {
    static func click(_ state: inout AppState, _ mouse: MouseEvent, _ env: ReviewEnvironment) -> [Effect] {
        guard state.modal == nil, state.view == .code else { return [] }
        let layout = ReviewLayout(state)
        switch mouse.kind {
        case .scrollDown: return perform(.noteDown, &state, env)
        case .scrollUp: return perform(.noteUp, &state, env)
        case .press: break
        }
        if let list = layout.queueRows, list.contains(x: mouse.x, y: mouse.y) {
            let index = ReviewLayout.queueScroll(state, rows: list.height) + (mouse.y - list.y)
            if index < state.visibleQueue.count {
                let wasSelected = index == state.queueCursor && state.focus == .queue
                state.queueCursor = index
                state.focus = .queue
                if wasSelected { return perform(.openCase, &state, env) }
            }
        } else if let ranking = layout.rankingRows, ranking.contains(x: mouse.x, y: mouse.y), let s = state.session {
            let index = ReviewLayout.rankingScroll(state, rows: ranking.height) + mouse.y - ranking.y
            if index < s.topTen.count { state.session?.rankCursor = index; state.focus = .caseView }
        } else if let caseArea = layout.caseArea, caseArea.contains(x: mouse.x, y: mouse.y), state.session != nil {
            state.focus = .caseView
        }
        return []
    }
}
