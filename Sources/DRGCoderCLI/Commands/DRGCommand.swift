import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct DRGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drg", abstract: "Browse the MS-DRG tables.")
    func run() throws { throw CLIError("drgcoder drg is not built yet") }
}
