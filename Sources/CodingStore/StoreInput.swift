import Foundation

/// The names the store accepts from people and files: user names and case ids. One line of
/// printable text, not blank: a newline in a user name or id would forge a line in every report
/// that prints it, and a NUL cuts it short in C tools (sqlite3, the terminal).
public enum StoreInput {
    /// The trimmed user name, or an `invalid` error that says why not.
    public static func userName(_ raw: String) throws -> String {
        let user = raw.trimmingCharacters(in: .whitespaces)
        guard !user.isEmpty else { throw StoreError.invalid("a decision needs a user name") }
        guard isOneLine(user) else { throw StoreError.invalid("a user name must be one line of printable text") }
        return user
    }

    /// Why `id` cannot be a case id (blank, or a control character such as a newline or NUL), or nil when it can.
    public static func caseIDProblem(_ id: String) -> String? {
        if id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the id is blank" }
        if !isOneLine(id) { return "the id holds a newline, NUL or other control character" }
        return nil
    }

    static func isOneLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }
}
