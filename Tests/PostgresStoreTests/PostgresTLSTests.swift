import CodingStore
import Foundation
import PostgresNIO
import PostgresStore
import Testing

/// sslmode honoured against the test server (TLS on, a certificate for localhost and 127.0.0.1
/// signed by the throw-away CA that the URL's sslrootcert names; scripts/test-postgres.sh).
struct PostgresTLSTests {
    /// The test server's URL with another sslmode, host, or root certificate.
    static func url(sslmode: String, host: String = "127.0.0.1", rootCertificate: String?? = nil) -> String {
        var parts = URLComponents(string: TestServer.url!)!
        parts.host = host
        var items = (parts.queryItems ?? []).filter { $0.name != "sslmode" && (rootCertificate == nil || $0.name != "sslrootcert") }
        items.append(URLQueryItem(name: "sslmode", value: sslmode))
        if case .some(.some(let root)) = rootCertificate { items.append(URLQueryItem(name: "sslrootcert", value: root)) }
        parts.queryItems = items
        return parts.string!
    }

    /// Whether the store's connections are encrypted, as the server sees them.
    static func encrypted(_ store: PostgresAppDatabase) async throws -> Bool? {
        try await store.client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").collect().first?.decode(Bool.self)
    }

    @Test(.enabled(if: TestServer.url != nil))
    func requireAndVerifyFullConnectOverTLSAndDisableDoesNot() async throws {
        for (mode, host, expected) in [("disable", "127.0.0.1", false), ("require", "127.0.0.1", true),
                                       ("verify-full", "localhost", true), ("verify-full", "127.0.0.1", true)] {
            let store = try PostgresAppDatabase.open(try PostgresLocation(url: Self.url(sslmode: mode, host: host)))
            #expect(try await Self.encrypted(store) == expected, "\(mode) \(host)")
            store.close()
        }
    }

    @Test(.enabled(if: TestServer.url != nil))
    func verifyFullRefusesACertificateItCannotTrustInOneLine() throws {
        // The system's roots do not include the test CA.
        let untrusted = #expect(throws: PostgresStoreError.self) {
            try PostgresAppDatabase.open(try PostgresLocation(url: Self.url(sslmode: "verify-full", rootCertificate: .some(nil)),
                                                              environment: [:]))
        }
        #expect(untrusted?.description.hasPrefix("cannot connect to postgresql://postgres@127.0.0.1:") == true,
                "\(String(describing: untrusted))")
        #expect(untrusted?.description.hasSuffix(": the server's TLS certificate is not trusted (give its CA with sslrootcert=FILE or PGSSLROOTCERT)") == true)
        #expect(untrusted?.description.contains("\n") == false)
        #expect(untrusted?.description.contains("drgcoder-test") == false)   // never the password
    }
}
