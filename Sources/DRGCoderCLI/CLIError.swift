/// An error the user caused: printed as one line on stderr, exit status 1.
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
