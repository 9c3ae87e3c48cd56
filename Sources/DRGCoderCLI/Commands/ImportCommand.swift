import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import discharge summaries into a queue.")
    func run() throws { throw CLIError("drgcoder import is not built yet") }
}
