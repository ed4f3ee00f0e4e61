import Foundation
import Testing
@testable import KubeClient

/// Mutual TLS against `openssl s_server` with certificates the test makes. The server's
/// certificate names only `kube.internal`, so reaching 127.0.0.1 needs `tls-server-name`.
@Suite("TLS with client certificates", .serialized)
struct TLSTests {
    enum Variant: String, CaseIterable, Sendable {
        case files, embeddedData, execCertificate, wrongCA, wrongHostname, expiredClientCertificate, noClientCertificate
    }

    func kubeconfig(_ variant: Variant, fixture: TLSFixture, port: Int) throws -> String {
        let b64 = { (name: String) in try fixture.pem(name).base64EncodedString() }
        let serverName = variant == .wrongHostname ? "" : "tls-server-name: kube.internal"
        let cluster: String
        let user: String
        switch variant {
        case .files, .wrongHostname:
            cluster = "certificate-authority: ca.crt"
            user = "{client-certificate: client.crt, client-key: client.key}"
        case .embeddedData:
            cluster = "certificate-authority-data: \(try b64("ca.crt"))"
            user = "{client-certificate-data: \(try b64("client.crt")), client-key-data: \(try b64("client.key"))}"
        case .wrongCA:
            cluster = "certificate-authority: other-ca.crt"
            user = "{client-certificate: client.crt, client-key: client.key}"
        case .expiredClientCertificate:
            cluster = "certificate-authority: ca.crt"
            user = "{client-certificate: expired.crt, client-key: expired.key}"
        case .execCertificate:
            // An exec plugin handing out the client certificate (PEM strings, not base64).
            try fixture.dir.write("cert-plugin.sh", """
            #!/bin/sh
            exec python3 -c 'import json; print(json.dumps({"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential", "status": {"clientCertificateData": open("\(fixture.path)/client.crt").read(), "clientKeyData": open("\(fixture.path)/client.key").read()}}))'
            """, executable: true)
            cluster = "certificate-authority: ca.crt"
            user = "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./cert-plugin.sh}}"
        case .noClientCertificate:
            cluster = "certificate-authority: ca.crt"
            user = "{token: not-enough}"
        }
        return """
        current-context: t
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:\(port)
            \(cluster)
            \(serverName)
        users:
        - name: u
          user: \(user)
        contexts:
        - name: t
          context: {cluster: c, user: u}
        """
    }

    @Test func mutualTLS() async throws {
        let fixture = try TLSFixture()
        let server = try fixture.startServer()
        for variant in Variant.allCases {
            let configPath = try fixture.dir.write("kubeconfig-\(variant.rawValue)", try kubeconfig(variant, fixture: fixture, port: server.port))
            let configuration = try KubeConfigLoader(explicitPath: configPath, environment: [:]).resolve()
            let client = KubeClient(configuration: configuration, retryPolicy: .none)
            do {
                let response = try await client.perform(method: "GET", path: "/")
                #expect([.files, .embeddedData, .execCertificate].contains(variant), "\(variant) should have failed")
                #expect(String(decoding: response.body, as: UTF8.self).contains("hpa-controller") || response.status == 200)
            } catch let error as KubeClientError {
                #expect(![.files, .embeddedData, .execCertificate].contains(variant), "\(variant): \(error)")
                #expect(error.code == .transport, "\(variant): \(error)")
                #expect(error.description.contains("https://127.0.0.1:\(server.port)/"), "\(variant): \(error)")
                #expect(error.transportError?.kind == .tls, "\(variant): \(error)")
                print("TLS \(variant): \(error)")
            }
        }
    }
}
