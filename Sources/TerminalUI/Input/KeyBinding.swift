/// One row of the key-binding table (lazygit's idea: one table drives dispatch, the footer, the help
/// overlay and the generated documentation, so they cannot disagree).
///
/// `Action` names what happens (the update function switches over it), `Scope` names where the
/// binding applies (a screen or a modal), `Context` is what `disabledReason` reads (the app state):
/// it returns why the action cannot run now ("no case open"), or nil when it can.
public struct KeyBinding<Action: Hashable & Sendable, Scope: Hashable & Sendable, Context>: Sendable {
    public var keys: [Key]
    public var action: Action
    public var scopes: [Scope]
    public var description: String
    public var shortLabel: String
    public var group: String
    public var showInFooter: Bool
    public var disabledReason: @Sendable (Context) -> String?

    public init(_ keys: [Key], _ action: Action, scopes: [Scope], description: String, short: String, group: String,
                footer: Bool = false, disabledReason: @escaping @Sendable (Context) -> String? = { _ in nil }) {
        self.keys = keys; self.action = action; self.scopes = scopes; self.description = description
        self.shortLabel = short; self.group = group; self.showInFooter = footer; self.disabledReason = disabledReason
    }

    /// The keys as one label: "j ↓".
    public var keyLabel: String { keys.map(\.description).joined(separator: " ") }
}

/// What a key does in a given place.
public enum KeyResolution<Action: Hashable & Sendable>: Hashable, Sendable {
    case perform(Action)
    case disabled(Action, reason: String)
    case unbound
}

/// One entry of the footer: key label, short label, and whether it can run now.
public struct FooterItem: Hashable, Sendable {
    public var keys: String
    public var label: String
    public var enabled: Bool
}

/// The key-binding table. Lookup walks the scopes from the most specific (a modal) to the most
/// general (global) and takes the first binding of the key.
public struct KeyBindingTable<Action: Hashable & Sendable, Scope: Hashable & Sendable, Context>: Sendable {
    public var bindings: [KeyBinding<Action, Scope, Context>]
    public init(_ bindings: [KeyBinding<Action, Scope, Context>]) { self.bindings = bindings }

    /// The binding of `key` in the first of `scopes` that binds it.
    public func binding(for key: Key, in scopes: [Scope]) -> KeyBinding<Action, Scope, Context>? {
        for scope in scopes {
            if let b = bindings.first(where: { $0.scopes.contains(scope) && $0.keys.contains(key) }) { return b }
        }
        return nil
    }

    /// What `key` does in `scopes` now.
    public func resolve(_ key: Key, in scopes: [Scope], context: Context) -> KeyResolution<Action> {
        guard let b = binding(for: key, in: scopes) else { return .unbound }
        if let reason = b.disabledReason(context) { return .disabled(b.action, reason: reason) }
        return .perform(b.action)
    }

    /// The first key bound to `action` in one of `scopes` (tests script keys by action name).
    public func key(for action: Action, in scopes: [Scope]? = nil) -> Key? {
        bindings.first { b in
            b.action == action && (scopes.map { list in list.contains { b.scopes.contains($0) } } ?? true)
        }?.keys.first
    }

    /// The footer for `scopes`: bindings marked `showInFooter`, most specific scope first, each action once.
    /// While a text field has the keys (`typingText`), printable keys type text, so a binding is offered
    /// only by a key that does not (`Ctrl-C Quit`, never `q Quit`), and not at all when it has none.
    public func footer(in scopes: [Scope], context: Context, typingText: Bool = false) -> [FooterItem] {
        var seen = Set<Action>(), items: [FooterItem] = []
        for scope in scopes {
            for b in bindings where b.showInFooter && b.scopes.contains(scope) && !seen.contains(b.action) {
                seen.insert(b.action)
                let key = typingText ? b.keys.first { $0.typedCharacter == nil } : b.keys.first
                guard let key else { continue }
                items.append(FooterItem(keys: key.description, label: b.shortLabel, enabled: b.disabledReason(context) == nil))
            }
        }
        return items
    }

    /// The bindings active in `scopes`, grouped by `group` in table order (the `?` overlay).
    public func groups(in scopes: [Scope]) -> [(group: String, bindings: [KeyBinding<Action, Scope, Context>])] {
        var order: [String] = [], byGroup: [String: [KeyBinding<Action, Scope, Context>]] = [:]
        var seen = Set<Action>()
        for scope in scopes {
            for b in bindings where b.scopes.contains(scope) && !seen.contains(b.action) {
                seen.insert(b.action)
                if byGroup[b.group] == nil { order.append(b.group) }
                byGroup[b.group, default: []].append(b)
            }
        }
        return order.map { ($0, byGroup[$0] ?? []) }
    }

    /// Pairs of bindings that claim the same key in the same scope (a test keeps this empty).
    public func conflicts() -> [String] {
        var out: [String] = []
        for (i, a) in bindings.enumerated() {
            for b in bindings[(i + 1)...] {
                let sharedScopes = a.scopes.filter { b.scopes.contains($0) }
                let sharedKeys = a.keys.filter { b.keys.contains($0) }
                if !sharedScopes.isEmpty && !sharedKeys.isEmpty {
                    out.append("\(sharedKeys.map(\.description)) bound to both \(a.description) and \(b.description)")
                }
            }
        }
        return out
    }

    /// The table as Markdown, one section per scope (docs/KEYBINDINGS.md is this text).
    public func markdown(title: String, scopes: [(scope: Scope, name: String)]) -> String {
        var out = "# \(title)\n\n<!-- Generated from the key-binding table; a test keeps this file current. Do not edit by hand. -->\n"
        for (scope, name) in scopes {
            let rows = bindings.filter { $0.scopes.contains(scope) }
            guard !rows.isEmpty else { continue }
            out += "\n## \(name)\n\n| Keys | Action | Group | Footer |\n|---|---|---|---|\n"
            for b in rows {
                let keys = b.keys.map { "`\($0.description == "|" ? "\\|" : $0.description)`" }.joined(separator: " ")
                out += "| \(keys) | \(b.description) | \(b.group) | \(b.showInFooter ? b.shortLabel : "") |\n"
            }
        }
        return out
    }
}

