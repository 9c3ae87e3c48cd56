import Foundation
import TOMLKit

/// How one role looks: foreground, background and attributes.
public struct RoleLook: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes
    public init(foreground: Color = .terminalDefault, background: Color = .terminalDefault, attributes: TextAttributes = []) {
        self.foreground = foreground; self.background = background; self.attributes = attributes
    }
}

/// A colour theme by semantic role, read from `themes/NAME.toml` (TOMLKit):
///
/// ```toml
/// name = "default"
/// [roles.selection]
/// fg = "black"        # "default", an ANSI name ("bright-red"), an xterm index ("208") or "#rrggbb"
/// bg = "cyan"
/// bold = true         # also: underline, reverse, dim
/// ```
/// A role the file leaves out looks like `text`. On a terminal without colour (monochrome theme,
/// `NO_COLOR`, fewer than 8 colours) every role falls back to its `Role.monochromeEmphasis`, so the
/// selection, evidence spans and errors stay visible. It deliberately does not support true colour.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var looks: [Role: RoleLook]

    public init(name: String, looks: [Role: RoleLook]) { self.name = name; self.looks = looks }

    /// The themes shipped in `themes/`, in the order `--theme` lists them.
    public static let shippedNames = ["default", "dark", "light", "high-contrast", "monochrome"]

    /// The look of `role` on a terminal of `depth`, with the view's extra attributes.
    public func look(_ style: CellStyle, depth: ColorDepth) -> RoleLook {
        var look = looks[style.role] ?? looks[.text] ?? RoleLook()
        if depth == .monochrome { look = RoleLook(attributes: style.role.monochromeEmphasis) }
        look.attributes.formUnion(style.attributes)
        return look
    }

    /// Parses a theme file's text. Throws `ThemeError` naming the bad role or colour.
    public static func parse(toml: String, fallbackName: String) throws -> Theme {
        let table: TOMLTable
        do { table = try TOMLTable(string: toml) } catch { throw ThemeError("theme \(fallbackName): not valid TOML (\(error))") }
        let name = table["name"]?.string ?? fallbackName
        var looks: [Role: RoleLook] = [:]
        if let roles = table["roles"]?.table {
            for key in roles.keys {
                guard let role = Role(rawValue: key) else { throw ThemeError("theme \(name): unknown role \"\(key)\"") }
                guard let spec = roles[key]?.table else { throw ThemeError("theme \(name): role \"\(key)\" must be a table") }
                looks[role] = try parseLook(spec, role: key, theme: name)
            }
        }
        return Theme(name: name, looks: looks)
    }

    private static func parseLook(_ spec: TOMLTable, role: String, theme: String) throws -> RoleLook {
        func color(_ key: String) throws -> Color {
            guard let raw = spec[key] else { return .terminalDefault }
            let text = raw.string ?? raw.int.map(String.init) ?? ""
            guard let c = Color(name: text) else { throw ThemeError("theme \(theme): role \"\(role)\" has a bad colour \(key) = \"\(text)\"") }
            return c
        }
        var attributes: TextAttributes = []
        if spec["bold"]?.bool == true { attributes.insert(.bold) }
        if spec["underline"]?.bool == true { attributes.insert(.underline) }
        if spec["reverse"]?.bool == true { attributes.insert(.reverse) }
        if spec["dim"]?.bool == true { attributes.insert(.dim) }
        return RoleLook(foreground: try color("fg"), background: try color("bg"), attributes: attributes)
    }

    /// Loads the theme `nameOrPath`: a path to a `.toml` file, or a name looked up in `directories`
    /// (`NAME.toml`). Without a file, "default" is the built-in theme; any other name is an error.
    public static func load(_ nameOrPath: String, searching directories: [URL]) throws -> Theme {
        if nameOrPath.hasSuffix(".toml") {
            let url = URL(fileURLWithPath: nameOrPath)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw ThemeError("theme file \(nameOrPath) cannot be read") }
            return try parse(toml: text, fallbackName: url.deletingPathExtension().lastPathComponent)
        }
        for dir in directories {
            let url = dir.appendingPathComponent("\(nameOrPath).toml")
            if let text = try? String(contentsOf: url, encoding: .utf8) { return try parse(toml: text, fallbackName: nameOrPath) }
        }
        if nameOrPath == "default" { return .builtinDefault }
        throw ThemeError("unknown theme \"\(nameOrPath)\" (themes: \(shippedNames.joined(separator: ", ")), or a path to a .toml file)")
    }

    /// The default theme compiled in, so the program looks right even without its `themes/` folder.
    /// `themes/default.toml` says the same; a test keeps them equal.
    public static let builtinDefault = Theme(name: "default", looks: [
        .text: RoleLook(),
        .muted: RoleLook(foreground: .ansi(8)),
        .primary: RoleLook(foreground: .ansi(4), attributes: .bold),
        .accent: RoleLook(foreground: .ansi(6)),
        .warning: RoleLook(foreground: .ansi(3), attributes: .bold),
        .error: RoleLook(foreground: .ansi(1), attributes: .bold),
        .success: RoleLook(foreground: .ansi(2)),
        .surface: RoleLook(),
        .panel: RoleLook(),
        .border: RoleLook(foreground: .ansi(8)),
        .title: RoleLook(foreground: .ansi(4), attributes: .bold),
        .header: RoleLook(foreground: .ansi(7), background: .ansi(4), attributes: .bold),
        .footer: RoleLook(),
        .footerKey: RoleLook(foreground: .ansi(0), background: .ansi(6)),
        .disabled: RoleLook(foreground: .ansi(8), attributes: .dim),
        .selection: RoleLook(foreground: .ansi(0), background: .ansi(6)),
        .cursor: RoleLook(attributes: .reverse),
        .input: RoleLook(attributes: .underline),
        .bar: RoleLook(foreground: .ansi(4)),
        .barEmpty: RoleLook(foreground: .ansi(8)),
        .evidenceBase: RoleLook(foreground: .ansi(2), attributes: .underline),
        .evidenceCcMcc: RoleLook(foreground: .ansi(5), attributes: [.bold, .underline]),
        .evidenceCurrent: RoleLook(foreground: .ansi(0), background: .ansi(3)),
    ])
}

/// A theme that cannot be found or parsed; the message is one line for the user.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
