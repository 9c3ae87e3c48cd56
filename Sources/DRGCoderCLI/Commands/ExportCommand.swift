import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export decisions as training labels.")
    func run() throws { throw CLIError("drgcoder export is not built yet") }
}
