import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "Open a coding queue in the review screen.")
    func run() throws { throw CLIError("drgcoder review is not built yet") }
}
