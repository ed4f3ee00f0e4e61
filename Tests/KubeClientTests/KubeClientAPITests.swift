import Foundation
import KubeAPI
import Synchronization
import Testing
@testable import KubeClient

/// The API surface over `FakeTransport`: URLs, query encoding, error classes, retries.
@Suite("KubeClient API over a fake transport")
struct KubeClientAPITests {
    static func json(_ text: String, status: Int = 200, headers: HeaderFields = [:]) -> TransportResponse {
        TransportResponse(status: status, headers: headers, body: Data(text.utf8))
    }
    static func status(_ code: Int, _ reason: String, message: String = "boom") -> String {
        #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"\#(message)","reason":"\#(reason)","code":\#(code)}"#
    }
    static func client(_ transport: FakeTransport, credentials: CredentialSource = .token("tkn-123"),
                       retry: RetryPolicy = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(1))) -> KubeClient {
        KubeClient(configuration: ClientConfiguration(server: "https://k8s.test:6443", credentials: credentials),
                   transport: transport, qps: 0, retryPolicy: retry)
    }
    static func path(_ request: TransportRequest) -> String {
        String(request.url.dropFirst("https://k8s.test:6443".count))
    }

    static let scaleJSON = #"{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","resourceVersion":"7"},"spec":{"replicas":3},"status":{"replicas":3,"selector":"app=web"}}"#

    @Test func getSendsAcceptAndBearerToken() async throws {
        let fake = FakeTransport { _ in Self.json(Self.scaleJSON) }
        let scale = try await Self.client(fake).get(Scale.self, .deployments, namespace: "default", name: "web", subresource: "scale")
        #expect(scale.spec.replicas == 3)
        let request = try #require(fake.requests.first)
        #expect(Self.path(request) == "/apis/apps/v1/namespaces/default/deployments/web/scale")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["Authorization"] == "Bearer tkn-123")
    }

    @Test func listQueryIsEncodedLikeGo() async throws {
        let fake = FakeTransport { _ in Self.json(#"{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":null}"#) }
        let list = try await Self.client(fake).list(Pod.self, .pods, namespace: "ns",
                                                    options: ListOptions(labelSelector: "app=web,tier in (a,b)", fieldSelector: "status.phase=Running", limit: 10))
        #expect(list.items.isEmpty)
        #expect(Self.path(fake.requests[0]) ==
                "/api/v1/namespaces/ns/pods?fieldSelector=status.phase%3DRunning&labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&limit=10")
    }

    @Test func listAllFollowsContinueTokens() async throws {
        let fake = FakeTransport { request in
            let path = Self.path(request)
            if path.contains("continue=page2") {
                return Self.json(#"{"metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"c"}}]}"#)
            }
            return Self.json(#"{"metadata":{"resourceVersion":"5","continue":"page2","remainingItemCount":1},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#)
        }
        let all = try await Self.client(fake).listAll(PartialObjectMeta.self, .horizontalPodAutoscalers, namespace: "default", options: ListOptions(limit: 2))
        #expect(all.items.map(\.metadata.name) == ["a", "b", "c"])
        #expect(all.metadata.resourceVersion == "5")
        #expect(fake.requests.count == 2)
        #expect(Self.path(fake.requests[1]).contains("limit=2"))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var httpStatus: Int
        var body: String
        var code: KubeClientError.Code
        var testDescription: String { "\(httpStatus) \(code)" }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(httpStatus: 404, body: status(404, "NotFound", message: "deployments.apps \\\"web\\\" not found"), code: .notFound),
        ErrorCase(httpStatus: 409, body: status(409, "Conflict"), code: .conflict),
        ErrorCase(httpStatus: 409, body: status(409, "AlreadyExists"), code: .alreadyExists),
        ErrorCase(httpStatus: 403, body: status(403, "Forbidden"), code: .forbidden),
        ErrorCase(httpStatus: 401, body: status(401, "Unauthorized"), code: .unauthorized),
        ErrorCase(httpStatus: 410, body: status(410, "Expired"), code: .expired),
        ErrorCase(httpStatus: 410, body: status(410, "Gone"), code: .expired),
        ErrorCase(httpStatus: 422, body: status(422, "Invalid"), code: .invalid),
        ErrorCase(httpStatus: 400, body: status(400, "BadRequest"), code: .badRequest),
        ErrorCase(httpStatus: 502, body: "<html>bad gateway</html>", code: .unexpectedStatus),
        ErrorCase(httpStatus: 404, body: "404 page not found", code: .notFound),
    ]

    @Test(arguments: errorCases)
    func errorsAreDecodedFromStatus(_ errorCase: ErrorCase) async throws {
        let fake = FakeTransport { _ in Self.json(errorCase.body, status: errorCase.httpStatus) }
        do {
            _ = try await Self.client(fake, retry: .none).get(Scale.self, .deployments, namespace: "default", name: "web")
            Issue.record("expected an error")
        } catch let error as KubeClientError {
            #expect(error.code == errorCase.code)
            #expect(error.httpStatus == errorCase.httpStatus)
            #expect(error.description.contains("/apis/apps/v1/namespaces/default/deployments/web"))
            #expect(!error.description.contains("tkn-123"))
        }
    }

    @Test func retriesTooManyRequestsHonouringRetryAfter() async throws {
        let calls = Mutex(0)
        let fake = FakeTransport { _ in
            let n = calls.withLock { $0 += 1; return $0 }
            if n == 1 { return Self.json(Self.status(429, "TooManyRequests"), status: 429, headers: ["Retry-After": "1"]) }
            return Self.json(Self.scaleJSON)
        }
        let start = ContinuousClock.now
        _ = try await Self.client(fake).get(Scale.self, .deployments, namespace: "default", name: "web")
        #expect(calls.withLock { $0 } == 2)
        #expect(ContinuousClock.now - start >= .seconds(1))  // waited as told (not a speed assertion)
    }

    @Test(arguments: [("GET", 3), ("POST", 1), ("PATCH", 1), ("PUT", 3)])
    func serverErrorsAreRetriedOnlyWhenIdempotent(method: String, expectedCalls: Int) async throws {
        let calls = Mutex(0)
        let fake = FakeTransport { _ in
            let n = calls.withLock { $0 += 1; return $0 }
            return n < 3 ? Self.json(Self.status(500, "InternalError"), status: 500) : Self.json("{}")
        }
        do { _ = try await Self.client(fake).perform(method: method, path: "/x", body: method == "GET" ? nil : Data("{}".utf8)) } catch {}
        #expect(calls.withLock { $0 } == expectedCalls)
    }

    @Test func tooManyRequestsDetailsRetryAfterIsExposed() async throws {
        let body = #"{"kind":"Status","status":"Failure","reason":"TooManyRequests","code":429,"details":{"retryAfterSeconds":7}}"#
        let fake = FakeTransport { _ in Self.json(body, status: 429) }
        await #expect { _ = try await Self.client(fake, retry: .none).perform(method: "GET", path: "/x") } throws: {
            ($0 as? KubeClientError)?.retryAfter == .seconds(7) && ($0 as? KubeClientError)?.code == .tooManyRequests
        }
    }

    @Test func connectionErrorsAreRetriedForGet() async throws {
        let calls = Mutex(0)
        let fake = FakeTransport { request in
            let n = calls.withLock { $0 += 1; return $0 }
            if n == 1 { throw TransportError(kind: .couldNotConnect, url: request.url, message: "refused") }
            return Self.json("{}")
        }
        _ = try await Self.client(fake).perform(method: "GET", path: "/x")
        #expect(calls.withLock { $0 } == 2)
    }

    @Test(arguments: ["not json at all", #"{"kind":"Scale","spec":"#, #"{"kind":"Scale","metadata":{},"spec":{"replicas":"three"}}"#])
    func badResponseBodiesNameTheURL(body: String) async throws {
        let fake = FakeTransport { _ in Self.json(body) }
        do {
            _ = try await Self.client(fake).get(Scale.self, .deployments, namespace: "default", name: "web", subresource: "scale")
            Issue.record("expected a decoding error")
        } catch let error as KubeClientError {
            #expect(error.code == .decoding)
            #expect(error.description.contains("https://k8s.test:6443/apis/apps/v1/namespaces/default/deployments/web/scale"))
        }
    }

    @Test func createUpdateStatusAndMergePatch() async throws {
        let fake = FakeTransport { request in Self.json(String(decoding: request.body ?? Data(Self.scaleJSON.utf8), as: UTF8.self)) }
        let client = Self.client(fake)
        let scale = try JSONDecoder().decode(Scale.self, from: Data(Self.scaleJSON.utf8))
        _ = try await client.create(scale, .deployments, namespace: "default")
        _ = try await client.update(scale, .deployments, namespace: "default", name: "web")
        _ = try await client.updateStatus(scale, .deployments, namespace: "default", name: "web")
        let target = ScaleTarget(resource: .deployments, kind: "Deployment", scaleGroupVersion: "autoscaling/v1")
        struct Patch: Encodable { var spec = ["replicas": 5] }
        _ = try? await client.mergePatch(Scale.self, .deployments, namespace: "default", name: "web", patch: Patch(), subresource: "scale")
        _ = try await client.updateScale(target, namespace: "default", scale: scale)
        let requests = fake.requests.map { "\($0.method) \(Self.path($0)) \($0.headers["Content-Type"] ?? "")" }
        #expect(requests == [
            "POST /apis/apps/v1/namespaces/default/deployments application/json",
            "PUT /apis/apps/v1/namespaces/default/deployments/web application/json",
            "PUT /apis/apps/v1/namespaces/default/deployments/web/status application/json",
            "PATCH /apis/apps/v1/namespaces/default/deployments/web/scale application/merge-patch+json",
            "PUT /apis/apps/v1/namespaces/default/deployments/web/scale application/json",
        ])
        #expect(String(decoding: fake.requests[3].body ?? Data(), as: UTF8.self) == #"{"spec":{"replicas":5}}"#)
    }

    @Test func rateLimiterSpacesRequestsAfterBurst() async throws {
        let limiter = RateLimiter(qps: 50, burst: 2)
        let start = ContinuousClock.now
        for _ in 0..<5 { try await limiter.acquire() }
        // 3 tokens beyond the burst at 50/s need at least 60 ms (a lower bound, not a speed assertion).
        #expect(ContinuousClock.now - start >= .milliseconds(55))
    }
}
