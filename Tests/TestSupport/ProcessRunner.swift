import Foundation

/// Runs a built executable of this package (`drgcoder`, `store-stress`, …) and collects its exit
/// status and output: what a script would see.
///
///     let run = try BuiltProduct.run("drgcoder", ["queue", "--db", path])
///     #expect(run.status == 0 && run.stderr.isEmpty)
public enum BuiltProduct {
    /// The finished process.
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// A started process; `finish()` waits for it and collects its output.
    public struct Launched {
        public let process: Process
        let out: Pipe
        let err: Pipe

        public func finish() -> Run {
            // Read both pipes to the end before waiting, so a child that fills one cannot block.
            let errHandle = err.fileHandleForReading
            let errBox = DataBox()
            let reader = Thread { errBox.set(errHandle.readDataToEndOfFile()) }
            reader.start()
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = errBox.wait()
            process.waitUntilExit()
            return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
        }
    }

    /// The executable `name` built beside the test bundle (`swift build --build-tests` builds it).
    public static func url(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let runner = ProcessInfo.processInfo.arguments.first {
            var dir = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 { candidates.append(dir.appendingPathComponent(name)); dir = dir.deletingLastPathComponent() }
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(name))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name))
        candidates.append(SharedReference.projectRoot.appendingPathComponent(".build/debug/\(name)"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw MissingProduct(name: name)
        }
        return found
    }

    /// Starts `name` with `arguments`; standard input is /dev/null unless `stdin` is given.
    public static func launch(_ name: String, _ arguments: [String], environment: [String: String] = [:],
                              stdin: FileHandle? = nil) throws -> Launched {
        let process = Process()
        process.executableURL = try url(name)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
        return Launched(process: process, out: out, err: err)
    }

    /// Runs `name` to the end.
    public static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try launch(name, arguments, environment: environment).finish()
    }
}

/// Data handed from a reader thread, with the wait for it.
final class DataBox: @unchecked Sendable {
    // @unchecked: `data` is only touched under `condition`.
    private let condition = NSCondition()
    private var data: Data?
    func set(_ value: Data) { condition.lock(); data = value; condition.signal(); condition.unlock() }
    func wait() -> Data {
        condition.lock(); defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}

public struct MissingProduct: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "\(name) is not built beside the tests (run swift build --build-tests)" }
}
