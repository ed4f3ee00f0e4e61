#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeAPI
import KubeClient

/// The live ``KubeRequester``: `KubeClient` (kubeconfig or in-cluster credentials, rate limit,
/// retries with Retry-After, `Status` decoding) underneath. Non-2xx replies become ``APIError``.
public struct KubeClientRequester: KubeRequester {
    public let client: KubeClient
    public init(client: KubeClient) { self.client = client }

    private static func queryItems(_ query: [String: String]) -> [(String, String)] {
        query.keys.sorted().map { ($0, query[$0] ?? "") }
    }

    public func send(_ request: APIRequest) async throws -> Data {
        do {
            let response = try await client.perform(method: request.method, path: request.path, query: Self.queryItems(request.query),
                                                    body: request.body, contentType: request.contentType ?? "application/json",
                                                    timeout: request.timeout)
            return response.body
        } catch let error as KubeClientError {
            guard let code = error.httpStatus else { throw error }
            var status = error.status ?? Status(code: code, reason: error.code.rawValue, message: error.message)
            if status.message == nil || status.message?.isEmpty == true { status.message = error.message }
            throw APIError(method: request.method, path: request.path, code: code, status: status)
        }
    }

    public func watch(_ request: APIRequest) async throws -> AsyncThrowingStream<Data, any Error> {
        let url = client.url(request.path, query: Self.queryItems(request.query))
        var refreshed = false
        while true {
            let credentials = try await client.credentials.credentials()
            var headers: HeaderFields = ["Accept": "application/json"]
            if let authorization = credentials.authorization { headers.set("Authorization", authorization) }
            let response = try await client.transport.stream(TransportRequest(method: "GET", url: url, headers: headers,
                                                                         clientIdentity: credentials.clientIdentity))
            if (200..<300).contains(response.status) { return response.lines }
            var body = Data()
            for try await line in response.lines { body.append(line) }
            if response.status == 401, !refreshed, client.credentials.canRefresh {
                refreshed = true
                await client.credentials.invalidate()
                continue
            }
            throw APIError(method: "GET", path: request.path, code: response.status,
                           status: try? JSONDecoder().decode(Status.self, from: body))
        }
    }
}
