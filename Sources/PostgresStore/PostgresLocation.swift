import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store is and how to reach it, resolved the way libpq resolves it:
/// `postgresql://user[:password]@host[:port]/db?sslmode=…` first, then the `PG*` environment
/// variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGSSLROOTCERT), then
/// `~/.pgpass` (or PGPASSFILE) for the password, then the defaults (localhost, 5432, the login name,
/// a database named like the user, `sslmode=prefer`). Keep passwords out of command lines: use
/// `~/.pgpass` (mode 0600) or PGPASSWORD.
public struct PostgresLocation: Sendable, Equatable {
    /// libpq's `sslmode`, as far as postgres-nio can honour it.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not checked (libpq's `require` without a root certificate).
        case require
        /// TLS, the certificate checked against the trusted roots (`sslrootcert`, else the system's), not the host name.
        case verifyCA = "verify-ca"
        /// TLS, the certificate and the host name checked.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A PEM file of trusted roots for verify-ca / verify-full (`sslrootcert`, PGSSLROOTCERT).
    public var rootCertificate: String?

    public init(host: String, port: Int, user: String, password: String?, database: String, sslMode: SSLMode,
                rootCertificate: String?) {
        self.host = host; self.port = port; self.user = user; self.password = password
        self.database = database; self.sslMode = sslMode; self.rootCertificate = rootCertificate
    }

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Resolves `url`; throws one line naming what is wrong.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                passwordFile: String? = nil) throws {
        guard Self.isURL(url), let parts = URLComponents(string: url) else {
            throw PostgresStoreError("not a PostgreSQL URL: \(Self.redacted(url)) (postgresql://user@host:port/database)")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let known: Set<String> = ["sslmode", "sslrootcert", "host", "port", "user", "password", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw PostgresStoreError("unsupported PostgreSQL URL parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        func nonEmpty(_ s: String?) -> String? { (s?.isEmpty ?? true) ? nil : s }
        host = nonEmpty(query["host"]) ?? nonEmpty(parts.host) ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        let portText = nonEmpty(query["port"]) ?? parts.port.map(String.init) ?? nonEmpty(environment["PGPORT"]) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw PostgresStoreError("PostgreSQL port '\(portText)' is not a number from 1 to 65535")
        }
        self.port = port
        user = nonEmpty(query["user"]) ?? nonEmpty(parts.user) ?? nonEmpty(environment["PGUSER"])
            ?? nonEmpty(environment["USER"]) ?? "postgres"
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = nonEmpty(query["dbname"]) ?? nonEmpty(path.removingPercentEncoding) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        let modeText = nonEmpty(query["sslmode"]) ?? nonEmpty(environment["PGSSLMODE"]) ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw PostgresStoreError("sslmode '\(modeText)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = mode
        rootCertificate = nonEmpty(query["sslrootcert"]) ?? nonEmpty(environment["PGSSLROOTCERT"])
        password = nonEmpty(query["password"]) ?? nonEmpty(parts.password?.removingPercentEncoding)
            ?? nonEmpty(environment["PGPASSWORD"])
        if password == nil {
            let file = passwordFile ?? nonEmpty(environment["PGPASSFILE"])
                ?? (nonEmpty(environment["HOME"]) ?? NSHomeDirectory()) + "/.pgpass"
            password = PasswordFile.lookup(in: file, host: host, port: port, database: database, user: user)
        }
    }

    /// The URL without its password, for messages and `location`.
    public var displayURL: String { "postgresql://\(user)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)" }

    /// `text` with any password in it replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.password != nil else { return text }
        parts.password = "***"
        return parts.string ?? text
    }

    /// The TLS settings `sslMode` asks for (nil: no TLS).
    func tlsConfiguration() throws -> TLSConfiguration? {
        var config = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .prefer, .require: config.certificateVerification = .none
        case .verifyCA: config.certificateVerification = .noHostnameVerification
        case .verifyFull: config.certificateVerification = .fullVerification
        }
        if let rootCertificate, sslMode == .verifyCA || sslMode == .verifyFull {
            guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                throw PostgresStoreError("sslrootcert \(rootCertificate) cannot be read")
            }
            config.trustRoots = .file(rootCertificate)
        }
        return config
    }

    /// postgres-nio's pool setting for `sslMode`.
    func clientTLS() throws -> PostgresClient.Configuration.TLS {
        guard let config = try tlsConfiguration() else { return .disable }
        return sslMode == .prefer ? .prefer(config) : .require(config)
    }

    /// postgres-nio's single-connection setting for `sslMode`.
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        guard let config = try tlsConfiguration() else { return .disable }
        let context = try NIOSSLContext(configuration: config)
        return sslMode == .prefer ? .prefer(context) : .require(context)
    }
}

/// `~/.pgpass`: lines `host:port:database:user:password`, `*` matching anything, `\:` and `\\`
/// escaped; like libpq, a file that group or others can read is ignored.
enum PasswordFile {
    static func lookup(in path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// One line's fields, with `\:` and `\\` unescaped.
    static func split(_ line: String) -> [String] {
        var fields: [String] = [""]
        var escaped = false
        for ch in line {
            if escaped { fields[fields.count - 1].append(ch); escaped = false }
            else if ch == "\\" { escaped = true }
            else if ch == ":" { fields.append("") }
            else { fields[fields.count - 1].append(ch) }
        }
        return fields
    }
}

/// What the PostgreSQL backend says went wrong: one line, never a password or note text.
public struct PostgresStoreError: Error, CustomStringConvertible, Equatable {
    public var description: String
    /// The server could not be reached or would not let this user in (down, restarting, network,
    /// no answer in time, password refused): the same request may succeed later. A screen keeps
    /// what the coder typed and retries; a rule the store refused is never this.
    public var isConnectionFailure: Bool
    public init(_ description: String, isConnectionFailure: Bool = false) {
        self.description = description; self.isConnectionFailure = isConnectionFailure
    }
}
