import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Predict the MS-DRG of one note.")
    func run() throws { throw CLIError("drgcoder predict is not built yet") }
}
