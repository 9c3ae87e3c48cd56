import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decide", abstract: "Record one coding decision.")
    func run() throws { throw CLIError("drgcoder decide is not built yet") }
}
