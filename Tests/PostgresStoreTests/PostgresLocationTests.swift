import Foundation
import PostgresStore
import TestSupport
import Testing

/// How a `--db postgresql://…` value, the PG* variables and ~/.pgpass resolve (no server needed).
struct PostgresLocationTests {
    @Test func theURLWinsThenTheEnvironmentThenTheDefaults() throws {
        let full = try PostgresLocation(url: "postgresql://alice:s3cret@db.example:6543/coding?sslmode=verify-full",
                                        environment: ["PGHOST": "other", "PGPORT": "1", "PGUSER": "bob", "PGDATABASE": "x"])
        #expect(full == PostgresLocation(host: "db.example", port: 6543, user: "alice", password: "s3cret",
                                         database: "coding", sslMode: .verifyFull, rootCertificate: nil))
        #expect(full.displayURL == "postgresql://alice@db.example:6543/coding?sslmode=verify-full")   // no password
        let bare = try PostgresLocation(url: "postgresql://", environment: [
            "PGHOST": "pg.local", "PGPORT": "5433", "PGUSER": "carol", "PGPASSWORD": "pw", "PGDATABASE": "queue", "PGSSLMODE": "require",
        ], passwordFile: "/nonexistent")
        #expect(bare == PostgresLocation(host: "pg.local", port: 5433, user: "carol", password: "pw", database: "queue",
                                         sslMode: .require, rootCertificate: nil))
        let defaults = try PostgresLocation(url: "postgres:///", environment: ["USER": "dave"], passwordFile: "/nonexistent")
        #expect(defaults == PostgresLocation(host: "localhost", port: 5432, user: "dave", password: nil, database: "dave",
                                             sslMode: .prefer, rootCertificate: nil))
    }

    @Test func aPasswordComesFromAPrivatePgpassFileOnly() throws {
        let temp = try TemporaryDirectory(prefix: "pgpass"); defer { temp.cleanUp() }
        let file = temp.file("pgpass")
        try "# comment\nother:5432:*:alice:nope\ndb.example:*:coding:alice:pa\\:ss\n*:*:*:*:fallback\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let place = try PostgresLocation(url: "postgresql://alice@db.example/coding", environment: [:], passwordFile: file.path)
        #expect(place.password == "pa:ss")
        let other = try PostgresLocation(url: "postgresql://bob@db.example/coding", environment: [:], passwordFile: file.path)
        #expect(other.password == "fallback")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)   // readable by others: ignored, as libpq does
        #expect(try PostgresLocation(url: "postgresql://alice@db.example/coding", environment: [:], passwordFile: file.path).password == nil)
    }

    @Test func badURLsAreOneLineWithoutThePassword() {
        let cases: [(String, String)] = [
            ("postgresql://u:secret@h/db?sslmode=sometimes", "sslmode 'sometimes' is not one of disable, prefer, require, verify-ca, verify-full"),
            ("postgresql://u:secret@h:99999/db", "PostgreSQL port '99999' is not a number from 1 to 65535"),
            ("postgresql://u:secret@h/db?connect_timeout=3", "unsupported PostgreSQL URL parameter 'connect_timeout' (known: dbname, host, password, port, sslmode, sslrootcert, user)"),
        ]
        for (url, message) in cases {
            let error = #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: url, environment: [:]) }
            #expect(error?.description == message)
            #expect(error?.description.contains("secret") == false)
        }
        #expect(PostgresLocation.isURL("postgresql://h/db") && PostgresLocation.isURL("postgres://h/db"))
        #expect(!PostgresLocation.isURL("queue.sqlite"))
        #expect(PostgresLocation.redacted("postgresql://u:secret@h/db") == "postgresql://u:***@h/db")
    }
}
