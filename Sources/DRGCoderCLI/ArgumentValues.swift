import ArgumentParser
import CodingStore
import DRGKit
import ReviewApp

// The closed sets the command line takes, as argument-parser values: a bad value is rejected while
// parsing with the list of valid ones, and `--help` lists them. The types live in the modules that
// own the concepts; only this file, the command-line layer, knows argument-parser.

extension ViewMode: ExpressibleByArgument {}
extension ImportFormat: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension EvaluationReference: ExpressibleByArgument {}
extension EarlyCutoff: ExpressibleByArgument {}
extension DecisionRole: ExpressibleByArgument {}
/// "34" or "43"; `DRGVersion.init(argument:)` also takes "v34" and "V43".
extension DRGVersion: ExpressibleByArgument {}
