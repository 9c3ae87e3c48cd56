#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
// review-crash: the child process of the end-to-end crash test (EndToEndQueueTests).
//
//   review-crash --db F
//       Opens the review screen on F the way `drgcoder review` does (`ReviewProgram.Session`: signal
//       handlers, then ncurses), draws the first frame, then crashes as a bug would (SIGSEGV), so the
//       test can check that the crash handler gave the terminal back. Exit status 2 on bad usage.
//
// A test helper, like a fixture: not shipped, and the program itself has no crash switch.
import CodingStore
import DRGCoderCLI
import DRGKit
import Foundation
import ReviewApp
import TerminalUI

let arguments = CommandLine.arguments
guard let flag = arguments.firstIndex(of: "--db"), flag + 1 < arguments.count else {
    FileHandle.standardError.write(Data("usage: review-crash --db F\n".utf8))
    exit(2)
}
let url = URL(fileURLWithPath: arguments[flag + 1])
do {
    let source = StoreReviewSource(store: try AppDatabase.openFile(at: url), scorer: nil)
    let environment = ReviewEnvironment(catalog: DRGKitCatalog(version: .v43), exportFormats: source.exportFormats,
                                        exportDirectory: url.deletingLastPathComponent())
    let state = AppState(user: "crash", size: .zero, now: Date(), modelName: nil)
    let session = try ReviewProgram.Session(state: state, environment: environment, source: source, scorer: nil,
                                            theme: .builtinDefault)
    session.loop.start()
    raise(SIGSEGV)
} catch {
    FileHandle.standardError.write(Data("review-crash: \(error)\n".utf8))
    exit(2)
}
