import Foundation
import ReviewApp
import TOMLKit

/// The coder's defaults for `review` and `demo`, read from `$XDG_CONFIG_HOME/drgcoder/config.toml`
/// (`~/.config/drgcoder/config.toml` when XDG_CONFIG_HOME is unset). Every key is optional; an option
/// on the command line wins over the file, the file over the built-in default.
///
/// ```toml
/// user = "alice"
/// theme = "dark"                  # a shipped theme name or a .toml file
/// model = "/models/drg-llama-7b"  # review only: demo always uses its bundled model
/// base_rate = 6500                # dollars per unit of relative weight (default 6000)
/// reason_rule = "required"        # or "optional": must an override, defer or flag carry a reason?
/// advance_after_decision = true   # open the next case after each decision
/// ```
///
/// A file that is not TOML, an unknown key or a value of the wrong type is refused with one line
/// naming the file and the key; a missing file is the defaults.
struct ReviewConfig: Equatable {
    var user: String?
    var theme: String?
    var model: String?
    var settings = ReviewSettings()

    static let keys: Set<String> = ["user", "theme", "model", "base_rate", "reason_rule", "advance_after_decision"]

    /// `$XDG_CONFIG_HOME/drgcoder/config.toml`.
    static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("drgcoder/config.toml")
    }

    static func load(from url: URL = defaultURL()) throws -> ReviewConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return ReviewConfig() }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw CLIError("\(url.path): cannot be read (\(error))") }
        return try parse(text, file: url.path)
    }

    static func parse(_ text: String, file: String) throws -> ReviewConfig {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch {
            throw CLIError("\(file): not valid TOML (\(String(describing: error).replacingOccurrences(of: "\n", with: " ")))")
        }
        var config = ReviewConfig()
        for key in table.keys where !keys.contains(key) {
            throw CLIError("\(file): unknown key \(key) (known: \(keys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let s = value.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError("\(file): \(key) must be a non-empty string") }
            return s
        }
        config.user = try string("user")
        config.theme = try string("theme")
        config.model = try string("model")
        if let value = table["base_rate"] {
            guard let rate = value.double ?? value.int.map(Double.init), rate > 0, rate.isFinite else {
                throw CLIError("\(file): base_rate must be a positive number of dollars")
            }
            config.settings.baseRate = rate
        }
        if let rule = try string("reason_rule") {
            guard let parsed = ReviewSettings.ReasonRule(rawValue: rule) else { throw CLIError("\(file): reason_rule must be \"required\" or \"optional\", not \"\(rule)\"") }
            config.settings.reasonRule = parsed
        }
        if let value = table["advance_after_decision"] {
            guard let flag = value.bool else { throw CLIError("\(file): advance_after_decision must be true or false") }
            config.settings.advanceAfterDecision = flag
        }
        return config
    }
}
