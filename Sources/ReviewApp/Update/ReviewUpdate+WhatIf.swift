import DRGKit
import Foundation

/// The what-if panel's update: pure, like the rest. The search and the answer are effects run on the
/// codes queue; their messages are dropped when the query or the set has moved on. Nothing here records.
extension ReviewUpdate {
    /// How many ICD-10-CM matches the picker lists.
    static let whatIfMatchLimit = 30

    static func openWhatIf(_ state: inout AppState) -> [Effect] {
        guard let session = state.session, let panel = WhatIfState(session) else { return [] }
        state.modal = .whatIf(panel)
        // The empty search builds the ICD-10-CM index on the codes queue while the coder reads the panel.
        return [.evaluateWhatIf(panel.question), .searchDiagnoses("")]
    }

    /// Enter: add the match under the cursor, or take out / put back the secondary under it.
    static func toggleWhatIf(_ panel: inout WhatIfState) -> [Effect] {
        let before = panel.question
        if panel.rows.indices.contains(panel.cursor) {
            let i = panel.cursor
            if panel.rows[i].added { panel.rows.remove(at: i) } else { panel.rows[i].included.toggle() }
            panel.cursor = clamp(i, panel.rows.count + panel.matches.count)
        } else if panel.matches.indices.contains(panel.cursor - panel.rows.count) {
            let match = panel.matches[panel.cursor - panel.rows.count]
            if let i = panel.rows.firstIndex(where: { $0.code == match.code }) {
                panel.rows[i].included = true
                panel.cursor = i
            } else {
                panel.rows.append(WhatIfState.Row(code: match.code, title: match.title, level: match.level, added: true))
                panel.cursor = panel.rows.count - 1
            }
            panel.query = ""
            panel.matches = []
        }
        return panel.question == before ? [] : [.evaluateWhatIf(panel.question)]
    }

    /// Typing or deleting in the picker: the cursor goes to where the matches will be.
    static func editWhatIfQuery(_ panel: inout WhatIfState, _ edit: (inout String) -> Void) -> [Effect] {
        edit(&panel.query)
        if panel.query.isEmpty { panel.matches = [] }
        panel.cursor = panel.query.isEmpty ? clamp(panel.cursor, panel.rows.count) : panel.rows.count
        return [.searchDiagnoses(panel.query)]
    }

    static func receiveWhatIf(_ state: inout AppState, _ message: Message) {
        guard case .whatIf(var panel) = state.modal else { return }
        switch message {
        case .diagnosesFound(let query, let matches) where query == panel.query && !query.isEmpty:
            panel.matches = matches
            panel.cursor = clamp(panel.cursor, panel.rows.count + matches.count)
        case .whatIfAnswered(let answer) where answer.question == panel.question:
            panel.answer = answer
        default:
            return
        }
        state.modal = .whatIf(panel)
    }
}
