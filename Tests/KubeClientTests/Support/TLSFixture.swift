import Foundation

/// Certificates made with `openssl` for one test run (EC P-256 keys, quick to make): a CA, a
/// server certificate for `kube.internal` only, client certificates (valid and expired), and an
/// unrelated CA. Plus an `openssl s_server` on 127.0.0.1 that requires a valid client certificate.
final class TLSFixture: @unchecked Sendable {
    let dir: TempDirectory
    var path: String { dir.path }

    init() throws {
        dir = try TempDirectory()
        try dir.write("server.ext", "subjectAltName=DNS:kube.internal\nextendedKeyUsage=serverAuth\n")
        try dir.write("client.ext", "extendedKeyUsage=clientAuth\n")
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                     "-subj", "/CN=test-ca", "-days", "2", "-out", "ca.crt"])
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other-ca.key",
                     "-subj", "/CN=other-ca", "-days", "2", "-out", "other-ca.crt"])
        try issue("server", cn: "kube.internal", ext: "server.ext", days: "2")
        try issue("client", cn: "hpa-controller", ext: "client.ext", days: "2")
        try issue("expired", cn: "hpa-controller", ext: "client.ext", days: "-1")
    }

    private func issue(_ name: String, cn: String, ext: String, days: String) throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key",
                     "-subj", "/CN=\(cn)", "-out", "\(name).csr"])
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", String(Int.random(in: 1000...999_999)),
                     "-days", days, "-extfile", ext, "-out", "\(name).crt"])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try runCommand(["openssl"] + arguments, currentDirectory: path)
        guard result.status == 0 else {
            throw TestServerError(message: "openssl \(arguments.first ?? "") failed: \(String(decoding: result.stderr, as: UTF8.self))")
        }
    }

    func pem(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)) }

    /// Starts `openssl s_server -Verify 1 -verify_return_error -www` on a free loopback port.
    func startServer() throws -> TLSServer { try TLSServer(fixture: self) }
}

final class TLSServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(fixture: TLSFixture) throws {
        let probe = try runCommand(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        guard let port = Int(String(decoding: probe.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestServerError(message: "no free port")
        }
        self.port = port
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.crt", "-key", "server.key",
                             "-CAfile", "ca.crt", "-Verify", "1", "-verify_return_error", "-www", "-quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: fixture.path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = Pipe()
        try process.run()
        // Wait until it accepts connections.
        for _ in 0..<100 {
            let check = try runCommand(["python3", "-c", "import socket; socket.create_connection(('127.0.0.1',\(port)),timeout=0.2)"])
            if check.status == 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestServerError(message: "s_server did not start on port \(port)")
    }

    deinit { if process.isRunning { process.terminate() } }
}
