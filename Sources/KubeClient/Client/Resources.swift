import KubeAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options of a list (and the list part of a watch).
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; `nil` asks for everything at once.
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit, limit > 0 { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        return items
    }
}

extension KubeClient {
    /// `GET` one object.
    public func get<T: Decodable & Sendable>(_ type: T.Type, _ resource: ResourceType, namespace: String?, name: String,
                                            subresource: String? = nil) async throws -> T {
        let path = resource.path(namespace: namespace, name: name, subresource: subresource)
        let response = try await perform(method: "GET", path: path)
        return try decode(T.self, from: response, method: "GET", path: path)
    }

    /// One page of a list (`options.limit`, `options.continueToken`).
    public func list<T: Codable & Sendable>(_ type: T.Type, _ resource: ResourceType, namespace: String?,
                                           options: ListOptions = ListOptions()) async throws -> ObjectList<T> {
        let path = resource.path(namespace: namespace)
        let response = try await perform(method: "GET", path: path, query: options.queryItems)
        return try decode(ObjectList<T>.self, from: response, method: "GET", path: path)
    }

    /// Every page of a list, following `continue` tokens (page size `options.limit`, default 500).
    /// The result carries the first page's resourceVersion, from which a watch can start.
    public func listAll<T: Codable & Sendable>(_ type: T.Type, _ resource: ResourceType, namespace: String?,
                                              options: ListOptions = ListOptions()) async throws -> ObjectList<T> {
        var pageOptions = options
        if pageOptions.limit == nil { pageOptions.limit = 500 }
        var result = try await list(T.self, resource, namespace: namespace, options: pageOptions)
        var token = result.metadata.continue
        while let next = token, !next.isEmpty {
            pageOptions.continueToken = next
            pageOptions.resourceVersion = nil  // the continue token carries it
            let page = try await list(T.self, resource, namespace: namespace, options: pageOptions)
            result.items += page.items
            token = page.metadata.continue
        }
        result.metadata.continue = nil
        result.metadata.remainingItemCount = nil
        return result
    }

    /// `POST` a new object.
    public func create<T: Codable & Sendable>(_ object: T, _ resource: ResourceType, namespace: String?) async throws -> T {
        let path = resource.path(namespace: namespace)
        let response = try await perform(method: "POST", path: path, body: try encode(object, method: "POST", path: path))
        return try decode(T.self, from: response, method: "POST", path: path)
    }

    /// `PUT` the whole object (carrying the resourceVersion last read; a stale one gives `.conflict`).
    public func update<T: Codable & Sendable>(_ object: T, _ resource: ResourceType, namespace: String?, name: String,
                                             subresource: String? = nil) async throws -> T {
        let path = resource.path(namespace: namespace, name: name, subresource: subresource)
        let response = try await perform(method: "PUT", path: path, body: try encode(object, method: "PUT", path: path))
        return try decode(T.self, from: response, method: "PUT", path: path)
    }

    /// `PUT …/status`.
    public func updateStatus<T: Codable & Sendable>(_ object: T, _ resource: ResourceType, namespace: String?, name: String) async throws -> T {
        try await update(object, resource, namespace: namespace, name: name, subresource: "status")
    }

    /// `PATCH` with `application/merge-patch+json`.
    public func mergePatch<T: Codable & Sendable, Patch: Encodable>(_ type: T.Type, _ resource: ResourceType, namespace: String?,
                                                                   name: String, patch: Patch, subresource: String? = nil) async throws -> T {
        let path = resource.path(namespace: namespace, name: name, subresource: subresource)
        let body = try encode(patch, method: "PATCH", path: path)
        let response = try await perform(method: "PATCH", path: path, body: body, contentType: "application/merge-patch+json")
        return try decode(T.self, from: response, method: "PATCH", path: path)
    }

    /// `DELETE` one object.
    public func delete(_ resource: ResourceType, namespace: String?, name: String) async throws {
        _ = try await perform(method: "DELETE", path: resource.path(namespace: namespace, name: name))
    }
}
