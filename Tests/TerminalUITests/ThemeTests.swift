import Foundation
import Testing
import TestSupport
@testable import TerminalUI

@Suite struct ThemeTests {
    static let themesDirectory = SharedReference.projectRoot.appendingPathComponent("themes")

    @Test(arguments: Theme.shippedNames)
    func everyShippedThemeParsesAndNamesItself(_ name: String) throws {
        let theme = try Theme.load(name, searching: [Self.themesDirectory])
        #expect(theme.name == name)
        #expect(theme.looks[.selection] != nil)
    }

    @Test func defaultFileEqualsTheBuiltInTheme() throws {
        let file = try Theme.load(Self.themesDirectory.appendingPathComponent("default.toml").path, searching: [])
        for role in Role.allCases {
            #expect((file.looks[role] ?? RoleLook()) == (Theme.builtinDefault.looks[role] ?? RoleLook()), "role \(role.rawValue)")
        }
    }

    @Test func unknownThemeAndBadColourAreOneLineErrors() {
        #expect(throws: ThemeError.self) { try Theme.load("no-such-theme", searching: [Self.themesDirectory]) }
        let bad = "name = \"x\"\n[roles.text]\nfg = \"chartreuse-ish\"\n"
        #expect(throws: ThemeError("theme x: role \"text\" has a bad colour fg = \"chartreuse-ish\"")) { try Theme.parse(toml: bad, fallbackName: "x") }
        #expect(throws: ThemeError("theme x: unknown role \"sparkle\"")) { try Theme.parse(toml: "[roles.sparkle]\n", fallbackName: "x") }
    }

    @Test func builtInDefaultNeedsNoFiles() throws {
        #expect(try Theme.load("default", searching: []) == Theme.builtinDefault)
    }

    @Test func noColorAndMonochromeUseAttributesOnly() {
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(ColorDepth.detect(colors: 256, environment: [:]) == .ansi256)
        #expect(ColorDepth.detect(colors: 8, environment: [:]) == .ansi8)
        let look = Theme.builtinDefault.look(CellStyle(.selection), depth: .monochrome)
        #expect(look == RoleLook(attributes: .reverse))
        #expect(Theme.builtinDefault.look(CellStyle(.evidenceBase), depth: .monochrome).attributes == .underline)
        #expect(Theme.builtinDefault.look(CellStyle(.evidenceCcMcc), depth: .monochrome).attributes == [.bold, .underline])
    }

    @Test func coloursDegradeToWhatTheTerminalHas() {
        #expect(Color(name: "bright-red")?.number(for: .ansi8) == 1)
        #expect(Color(name: "bright-red")?.number(for: .ansi16) == 9)
        #expect(Color(name: "bright-black")?.number(for: .ansi8) == 7)     // grey stays visible on 8 colours
        #expect(Color(name: "196")?.number(for: .ansi256) == 196)
        #expect(Color(name: "196")?.number(for: .ansi8) == 1)       // pure red → red
        #expect(Color(name: "#0000ff")?.number(for: .ansi256) == 21)
        #expect(Color(name: "default")?.number(for: .ansi256) == -1)
        #expect(Color(name: "mauve") == nil)
    }
}
