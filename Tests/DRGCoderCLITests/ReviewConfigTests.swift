import Foundation
import ReviewApp
import Testing
@testable import DRGCoderCLI

/// Issue 16: the review screens' config file ($XDG_CONFIG_HOME/drgcoder/config.toml).
@Suite struct ReviewConfigTests {
    @Test func everyKeyIsRead() throws {
        let config = try ReviewConfig.parse("""
            user = "alice"
            theme = "dark"
            model = "/models/x"
            base_rate = 6500
            reason_rule = "optional"
            advance_after_decision = true
            """, file: "config.toml")
        #expect(config.user == "alice" && config.theme == "dark" && config.model == "/models/x")
        #expect(config.settings.baseRate == 6500)
        #expect(config.settings.reasonRule == .optional)
        #expect(config.settings.advanceAfterDecision)
        #expect(try ReviewConfig.parse("base_rate = 6123.5", file: "c").settings.baseRate == 6123.5)
        #expect(try ReviewConfig.parse("", file: "c") == ReviewConfig())
    }

    @Test func badFilesAreOneClearLine() {
        for (text, needle) in [("colour = 1", "unknown key colour"), ("reason_rule = \"maybe\"", "reason_rule must be"),
                               ("base_rate = -1", "base_rate must be"), ("advance_after_decision = \"yes\"", "advance_after_decision must be"),
                               ("user = [", "not valid TOML")] {
            do {
                _ = try ReviewConfig.parse(text, file: "/home/a/.config/drgcoder/config.toml")
                Issue.record("accepted \(text)")
            } catch {
                let line = String(describing: error)
                #expect(line.contains(needle) && line.hasPrefix("/home/a/.config/drgcoder/config.toml:") && !line.contains("\n"), "\(line)")
            }
        }
    }

    @Test func theFileLivesUnderXDGConfigHome() {
        #expect(ReviewConfig.defaultURL(environment: ["XDG_CONFIG_HOME": "/x/cfg"]).path == "/x/cfg/drgcoder/config.toml")
        #expect(ReviewConfig.defaultURL(environment: [:]).path.hasSuffix("/.config/drgcoder/config.toml"))
    }
}
