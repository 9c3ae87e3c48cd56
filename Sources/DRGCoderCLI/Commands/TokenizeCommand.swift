import ArgumentParser

// TODO(integration): placeholder until its owner lands it; must not survive to a submission.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Tokenize a text as the model would.")
    func run() throws { throw CLIError("drgcoder tokenize is not built yet") }
}
