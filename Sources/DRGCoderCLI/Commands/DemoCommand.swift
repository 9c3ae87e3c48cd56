import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Open the bundled demo queue with the bundled model.")
    func run() throws { throw CLIError("drgcoder demo is not built yet") }
}
