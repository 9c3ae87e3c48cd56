import ArgumentParser

/// `drgcoder audit verify|replay`: for auditors. See AuditCommand+Verify.swift and AuditCommand+Replay.swift.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify and replay the decision log.",
        subcommands: [AuditVerifyCommand.self, AuditReplayCommand.self])
}
