import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "List the cases of a queue with status and scores.")
    func run() throws { throw CLIError("drgcoder queue is not built yet") }
}
