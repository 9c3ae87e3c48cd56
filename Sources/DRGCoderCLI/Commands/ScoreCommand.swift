import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "Pre-score the queue with a model, resumably.")
    func run() throws { throw CLIError("drgcoder score is not built yet") }
}
