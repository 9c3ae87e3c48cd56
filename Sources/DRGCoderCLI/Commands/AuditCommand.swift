import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Verify and replay the decision log.")
    func run() throws { throw CLIError("drgcoder audit is not built yet") }
}
