import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure inference speed.")
    func run() throws { throw CLIError("drgcoder bench is not built yet") }
}
