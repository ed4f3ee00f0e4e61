#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI

/// An API call as leader election needs it: method, path below the server root
/// (`/apis/coordination.k8s.io/v1/...`), optional JSON body → status and body. Errors thrown
/// mean no HTTP response arrived. The composition root builds one from the real `KubeClient`.
public typealias KubeRequestSender = @Sendable (_ method: String, _ path: String, _ body: Data?) async throws -> (status: Int, body: Data)

/// `LeaseClient` over HTTP (wire spec B9): GET/POST/PUT on coordination.k8s.io/v1 leases.
/// Maps 404 → `.notFound`, 409 → `.conflict`, other non-2xx → `.status` with the Status message.
public struct LiveLeaseClient: LeaseClient {
    private let send: KubeRequestSender

    public init(send: @escaping KubeRequestSender) {
        self.send = send
    }

    static func collectionPath(namespace: String) -> String {
        "/apis/coordination.k8s.io/v1/namespaces/" + PathEscaping.segment(namespace) + "/leases"
    }

    public func get(namespace: String, name: String) async throws(LeaseClientError) -> Lease {
        try await call("GET", Self.collectionPath(namespace: namespace) + "/" + PathEscaping.segment(name), nil,
                       namespace: namespace, name: name)
    }

    public func create(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        let namespace = lease.metadata.namespace ?? ""
        return try await call("POST", Self.collectionPath(namespace: namespace), lease,
                              namespace: namespace, name: lease.metadata.name ?? "")
    }

    public func update(_ lease: Lease) async throws(LeaseClientError) -> Lease {
        let namespace = lease.metadata.namespace ?? ""
        let name = lease.metadata.name ?? ""
        return try await call("PUT", Self.collectionPath(namespace: namespace) + "/" + PathEscaping.segment(name), lease,
                              namespace: namespace, name: name)
    }

    private func call(_ method: String, _ path: String, _ lease: Lease?, namespace: String,
                      name: String) async throws(LeaseClientError) -> Lease {
        var body: Data?
        if let lease {
            var outgoing = lease
            outgoing.apiVersion = "coordination.k8s.io/v1"
            outgoing.kind = "Lease"
            do { body = try JSONEncoder().encode(outgoing) } catch {
                throw .decoding(message: "encoding lease \(namespace)/\(name): \(error)")
            }
        }
        let status: Int
        let data: Data
        do {
            (status, data) = try await send(method, path, body)
        } catch {
            throw .transport(message: "\(method) \(path): \(error)")
        }
        switch status {
        case 200..<300:
            do { return try JSONDecoder().decode(Lease.self, from: data) } catch {
                throw .decoding(message: "\(method) \(path): \(error)")
            }
        case 404: throw .notFound(namespace: namespace, name: name)
        case 409: throw .conflict(namespace: namespace, name: name)
        default: throw .status(code: status, namespace: namespace, name: name, message: Self.statusMessage(data))
        }
    }

    /// The `message` of a metav1.Status body, else the first 200 bytes of the body.
    static func statusMessage(_ data: Data) -> String {
        struct Status: Decodable { var message: String? }
        if let status = try? JSONDecoder().decode(Status.self, from: data), let message = status.message { return message }
        return String(decoding: data.prefix(200), as: UTF8.self)
    }
}

/// Percent-encoding of one path segment (RFC 3986 unreserved characters pass through).
enum PathEscaping {
    static func segment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
