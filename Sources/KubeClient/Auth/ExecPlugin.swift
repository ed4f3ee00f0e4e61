import Foundation

/// The outcome of one exec plugin run.
struct ExecCredentialResult: Sendable {
    var credentials: RequestCredentials
    var expiration: Date?
}

/// Runs kubeconfig exec credential plugins (client.authentication.k8s.io v1 and v1beta1).
/// Errors name the command, never its output (which holds the credential).
enum ExecPlugin {
    private struct Output: Decodable {
        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }
        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    private struct Input: Encodable {
        struct Spec: Encodable {
            var interactive: Bool
            var cluster: ExecClusterInfo?
        }
        var apiVersion: String
        var kind = "ExecCredential"
        var spec: Spec
    }

    static let knownVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    static func run(_ config: ExecConfig, cluster: ExecClusterInfo?) async throws -> ExecCredentialResult {
        let source = "exec plugin \(config.command)"
        let apiVersion = config.apiVersion ?? ""
        guard knownVersions.contains(apiVersion) else {
            throw ConfigError(.unsupported, source: source, field: "exec.apiVersion", "unsupported apiVersion \"\(apiVersion)\"")
        }
        let mode = config.interactiveMode ?? ""
        if apiVersion == "client.authentication.k8s.io/v1" && mode.isEmpty {
            throw ConfigError(.malformed, source: source, field: "exec.interactiveMode",
                              "interactiveMode must be specified for client.authentication.k8s.io/v1 (Never, IfAvailable or Always)")
        }
        if !mode.isEmpty && !["Never", "IfAvailable", "Always"].contains(mode) {
            throw ConfigError(.malformed, source: source, field: "exec.interactiveMode", "invalid interactiveMode \"\(mode)\"")
        }
        if mode == "Always" {
            throw ConfigError(.unsupported, source: source, field: "exec.interactiveMode",
                              "exec plugin cannot support interactive mode: standard input is not a terminal")
        }
        let input = Input(apiVersion: apiVersion, spec: .init(interactive: false, cluster: config.provideClusterInfo == true ? cluster : nil))
        let inputJSON = String(decoding: try JSONEncoder().encode(input), as: UTF8.self)

        var environment = ProcessInfo.processInfo.environment
        for variable in config.env ?? [] { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] = inputJSON

        let (status, stdout) = try await runProcess(command: config.command, arguments: config.args ?? [], environment: environment, source: source)
        guard status == 0 else {
            var message = status == 127 ? "executable \(config.command) not found (exit status 127)" : "exited with status \(status)"
            if let hint = config.installHint, !hint.isEmpty { message += "; \(hint)" }
            throw ConfigError(.execFailed, source: source, message)
        }
        let output: Output
        do {
            output = try JSONDecoder().decode(Output.self, from: stdout)
        } catch {
            throw ConfigError(.execOutputInvalid, source: source, "did not print an ExecCredential JSON object (\(stdout.count) bytes of output)")
        }
        guard output.kind == "ExecCredential", output.apiVersion == apiVersion else {
            throw ConfigError(.execOutputInvalid, source: source,
                              "printed kind \"\(output.kind ?? "")\" apiVersion \"\(output.apiVersion ?? "")\", want ExecCredential \(apiVersion)")
        }
        guard let result = output.status else {
            throw ConfigError(.execOutputInvalid, source: source, field: "status", "ExecCredential has no status")
        }
        var expiration: Date?
        if let text = result.expirationTimestamp, !text.isEmpty {
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw ConfigError(.execOutputInvalid, source: source, field: "status.expirationTimestamp", "not an RFC 3339 time: \(text)")
            }
            expiration = date
        }
        var credentials = RequestCredentials()
        if let token = result.token, !token.isEmpty { credentials.authorization = "Bearer \(token)" }
        switch (result.clientCertificateData, result.clientKeyData) {
        case (let cert?, let key?) where !cert.isEmpty && !key.isEmpty:
            credentials.clientIdentity = ClientIdentity(certificatePEM: Data(cert.utf8), keyPEM: Data(key.utf8))
        case (nil, nil):
            break
        default:
            throw ConfigError(.execOutputInvalid, source: source, field: "status", "clientCertificateData and clientKeyData must both be set")
        }
        guard credentials.authorization != nil || credentials.clientIdentity != nil else {
            throw ConfigError(.execOutputInvalid, source: source, field: "status", "ExecCredential has neither a token nor a client certificate")
        }
        return ExecCredentialResult(credentials: credentials, expiration: expiration)
    }

    /// Runs the command on a thread of its own (Process waits block) and collects stdout;
    /// stderr goes to ours, as with kubectl.
    private static func runProcess(command: String, arguments: [String], environment: [String: String],
                                   source: String) async throws -> (Int32, Data) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [command] + arguments
                process.environment = environment
                let stdout = Pipe()
                process.standardOutput = stdout
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: ConfigError(.execFailed, source: source, "could not start: \(error.localizedDescription)"))
                    return
                }
                let data = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, data))
            }
            thread.name = "exec-plugin"
            thread.start()
        }
    }
}
