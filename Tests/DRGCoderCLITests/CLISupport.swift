import Foundation
import TestSupport

/// Runs the built `drgcoder` to the end: exit status, stdout and stderr, as a script sees them.
func drgcoder(_ arguments: [String], environment: [String: String] = [:]) throws -> BuiltProduct.Run {
    try BuiltProduct.run("drgcoder", arguments, environment: environment)
}

/// Starts the built `drgcoder`; `finish()` waits for it.
func launchDrgcoder(_ arguments: [String]) throws -> BuiltProduct.Launched {
    try BuiltProduct.launch("drgcoder", arguments)
}
