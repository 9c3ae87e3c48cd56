import Testing
@testable import TerminalUI

@Suite struct KeyBindingTableTests {
    enum A: Hashable, Sendable { case up, quit, save }
    enum S: Hashable, Sendable { case global, editor, modal }
    struct Ctx { var dirty: Bool }
    typealias B = KeyBinding<A, S, Ctx>

    let table = KeyBindingTable<A, S, Ctx>([
        B([.character("k"), .up], .up, scopes: [.editor], description: "Move up", short: "Up", group: "Move"),
        B([.character("q")], .quit, scopes: [.global], description: "Quit", short: "Quit", group: "App", footer: true),
        B([.control("s")], .save, scopes: [.editor], description: "Save", short: "Save", group: "App", footer: true,
          disabledReason: { $0.dirty ? nil : "nothing to save" }),
        B([.character("q")], .save, scopes: [.modal], description: "Save from modal", short: "Save", group: "App"),
    ])

    @Test func resolvesMostSpecificScopeFirst() {
        #expect(table.resolve(.character("q"), in: [.editor, .global], context: Ctx(dirty: true)) == .perform(.quit))
        #expect(table.resolve(.character("q"), in: [.modal, .global], context: Ctx(dirty: true)) == .perform(.save))
        #expect(table.resolve(.up, in: [.editor, .global], context: Ctx(dirty: true)) == .perform(.up))
        #expect(table.resolve(.character("z"), in: [.editor, .global], context: Ctx(dirty: true)) == .unbound)
    }

    @Test func disabledBindingsSayWhy() {
        #expect(table.resolve(.control("s"), in: [.editor], context: Ctx(dirty: false)) == .disabled(.save, reason: "nothing to save"))
        let footer = table.footer(in: [.editor, .global], context: Ctx(dirty: false))
        #expect(footer == [FooterItem(keys: "Ctrl-S", label: "Save", enabled: false), FooterItem(keys: "q", label: "Quit", enabled: true)])
    }

    @Test func findsKeysByActionAndReportsConflicts() {
        #expect(table.key(for: .up) == .character("k"))
        #expect(table.key(for: .save, in: [.modal]) == .character("q"))
        #expect(table.conflicts().isEmpty)
        let clash = KeyBindingTable<A, S, Ctx>([table.bindings[0], B([.up], .save, scopes: [.editor], description: "x", short: "x", group: "g")])
        #expect(clash.conflicts().count == 1)
    }

    @Test func markdownListsEveryScope() {
        let md = table.markdown(title: "Keys", scopes: [(.global, "Everywhere"), (.editor, "Editor")])
        #expect(md.contains("## Everywhere"))
        #expect(md.contains("| `k` `↑` | Move up | Move |  |"))
        #expect(md.contains("| `Ctrl-S` | Save | App | Save |"))
    }
}

@Suite struct EmbeddedTerminalTests {
    @Test func queuesInputAndKeepsFrames() {
        let t = EmbeddedTerminal(size: Size(width: 3, height: 1))
        t.enqueue(.key(.character("x")))
        #expect(t.nextEvent(timeoutMilliseconds: 0) == .key(.character("x")))
        #expect(t.nextEvent(timeoutMilliseconds: 0) == nil)
        t.present(CellBuffer(lines: ["abc"]))
        t.present(CellBuffer(lines: ["abd"]))
        #expect(t.frames.count == 2)
        #expect(t.cellsDrawn == 4)
        t.resize(to: Size(width: 5, height: 2))
        #expect(t.nextEvent(timeoutMilliseconds: 0) == .resize(Size(width: 5, height: 2)))
    }
}
