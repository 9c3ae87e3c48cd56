import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Metrics of predictions against final DRGs.")
    func run() throws { throw CLIError("drgcoder eval is not built yet") }
}
