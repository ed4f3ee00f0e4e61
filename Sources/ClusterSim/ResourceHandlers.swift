import HTTPServer
import KubeAPI

/// get, list, create, update, patch and delete of stored objects, and the status subresource.
extension APIServer {
    func resource(_ address: ResourceAddress, _ request: HTTPRequest, isWatch: Bool, watchCut: Double? = nil) throws(APIError) -> HTTPResponse {
        let resource = address.resource
        let namespace = address.namespace ?? ""
        if let subresource = address.subresource {
            guard let name = address.name else { throw APIError.pathNotFound(request.path) }
            switch subresource {
            case "status" where resource.hasStatus:
                return try status(resource, namespace: namespace, name: name, request)
            case "scale" where resource.scale != nil:
                return try scale(resource, namespace: namespace, name: name, request)
            default:
                throw APIError.pathNotFound(request.path)
            }
        }
        guard let name = address.name else {
            switch request.method {
            case "GET":
                let filter = try ObjectFilter(query: request.query)
                if isWatch { return try watch(resource, namespace: address.namespace, filter: filter, query: request.query, asTable: Tables.wanted(request), cutAfter: watchCut) }
                return try list(resource, namespace: address.namespace, filter: filter, query: request.query, asTable: Tables.wanted(request))
            case "POST":
                guard !resource.namespaced || address.namespace != nil else { throw APIError.methodNotAllowed(request.method, request.path) }
                return try create(resource, namespace: namespace, request)
            case "DELETE":
                return try deleteCollection(resource, namespace: address.namespace, request)
            default:
                throw APIError.methodNotAllowed(request.method, request.path)
            }
        }
        switch request.method {
        case "GET":
            if isWatch {
                var query = request.query
                let selector = "metadata.name=\(name)"
                query["fieldSelector"] = (query["fieldSelector"].map { $0.isEmpty ? selector : "\($0),\(selector)" }) ?? selector
                return try watch(resource, namespace: address.namespace, filter: ObjectFilter(query: query), query: query, asTable: Tables.wanted(request), cutAfter: watchCut)
            }
            guard let object = store.get(resource, namespace: namespace, name: name) else { throw APIError.notFound(resource, name) }
            if Tables.wanted(request) {
                let table = Tables.table(resource, [object.json], resourceVersion: String(object.resourceVersion), continueToken: nil, now: store.now())
                return .json(200, JSONCodec.serialize(table))
            }
            return .json(200, object.bytes)
        case "PUT":
            return try replace(resource, namespace: namespace, name: name, request)
        case "PATCH":
            if (request.headers["Content-Type"] ?? "").lowercased().hasPrefix("application/apply-patch+yaml") {
                return try serverSideApply(resource, namespace: namespace, name: name, request)
            }
            return try patch(resource, namespace: namespace, name: name, request, subresource: nil)
        case "DELETE":
            var expected: String?
            if !request.body.isEmpty, let options = try? JSONCodec.parse(request.body) {
                expected = options.value(at: ["preconditions", "resourceVersion"])?.stringValue
            }
            let deleted = try store.delete(resource, namespace: namespace, name: name, expectedResourceVersion: expected)
            simulation.didWrite(resource, namespace: namespace, name: name)
            return .json(200, deleted.bytes)
        default:
            throw APIError.methodNotAllowed(request.method, request.path)
        }
    }

    // MARK: list

    func list(_ resource: ResourceType, namespace: String?, filter: ObjectFilter, query: [String: String], asTable: Bool = false) throws(APIError) -> HTTPResponse {
        var limit: Int?
        if let text = query["limit"], !text.isEmpty {
            guard let value = Int(text), value >= 0 else { throw APIError.badRequest("invalid limit \"\(text)\"") }
            limit = value
        }
        let page = try store.list(resource, namespace: namespace, limit: limit, continueToken: query["continue"], filter: filter.matches)
        if asTable {
            let table = Tables.table(resource, page.items.map(\.json), resourceVersion: String(page.resourceVersion),
                                     continueToken: page.continueToken, now: store.now())
            return .json(200, JSONCodec.serialize(table))
        }
        return .json(200, Self.listBytes(resource, page))
    }

    static func listBytes(_ resource: ResourceType, _ page: ListPage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(page.items.reduce(256) { $0 + $1.bytes.count + 1 })
        out.append(contentsOf: "{\"apiVersion\":\"\(resource.groupVersion)\",\"items\":[".utf8)
        for (index, item) in page.items.enumerated() {
            if index > 0 { out.append(44) }
            out.append(contentsOf: item.bytes)
        }
        out.append(contentsOf: "],\"kind\":\"\(resource.listKind)\",\"metadata\":{".utf8)
        if let token = page.continueToken {
            out.append(contentsOf: "\"continue\":\"\(token)\",".utf8)
            if let remaining = page.remaining { out.append(contentsOf: "\"remainingItemCount\":\(remaining),".utf8) }
        }
        out.append(contentsOf: "\"resourceVersion\":\"\(page.resourceVersion)\"}}".utf8)
        return out
    }

    // MARK: create / replace / patch / delete

    /// The request body as a JSON object; 415 for media types other than JSON.
    func jsonBody(_ request: HTTPRequest) throws(APIError) -> JSON {
        let type = (request.headers["Content-Type"] ?? "application/json").lowercased()
        guard type.hasPrefix("application/json") || type.hasPrefix("*/*") || type.isEmpty else {
            throw APIError.unsupportedMediaType(type)
        }
        return try parseObject(request.body)
    }

    func parseObject(_ body: [UInt8]) throws(APIError) -> JSON {
        guard !body.isEmpty else { throw APIError.badRequest("the request body is empty; a JSON object was expected") }
        let value: JSON
        do {
            value = try JSONCodec.parse(body)
        } catch {
            throw APIError.badRequest("error decoding the request body: \(error)")
        }
        guard case .object = value else { throw APIError.badRequest("the request body must be a JSON object") }
        return value
    }

    private func checkTypeAndNamespace(_ object: JSON, _ resource: ResourceType, namespace: String) throws(APIError) {
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != resource.groupVersion {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.groupVersion))")
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != resource.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(resource.kind))")
        }
        if resource.namespaced, let bodyNamespace = object.value(at: ["metadata", "namespace"])?.stringValue,
           !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
    }

    private func admit(_ object: inout JSON, _ resource: ResourceType, name: String) throws(APIError) {
        Admission.applyDefaults(&object, for: resource)
        let problems = Admission.problems(object, for: resource)
        if !problems.isEmpty { throw APIError.invalid(resource, name, causes: problems) }
    }

    func create(_ resource: ResourceType, namespace: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        var object = try jsonBody(request)
        try checkTypeAndNamespace(object, resource, namespace: namespace)
        try admit(&object, resource, name: object.value(at: ["metadata", "name"])?.stringValue ?? "")
        if request.query["dryRun"] == "All" {
            return .json(201, JSONCodec.serialize(object))
        }
        let stored = try store.create(resource, namespace: namespace, object: object)
        simulation.didWrite(resource, namespace: namespace, name: stored.name)
        return .json(201, stored.bytes)
    }

    func replace(_ resource: ResourceType, namespace: String, name: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        var object = try jsonBody(request)
        try checkTypeAndNamespace(object, resource, namespace: namespace)
        if let bodyName = object.value(at: ["metadata", "name"])?.stringValue, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        try admit(&object, resource, name: name)
        let expected = object.value(at: ["metadata", "resourceVersion"])?.stringValue
        let stored = try store.update(resource, namespace: namespace, name: name, expectedResourceVersion: expected) { current throws(APIError) in
            var next = object
            if resource.hasStatus { next["status"] = current["status"] }
            return next
        }
        simulation.didWrite(resource, namespace: namespace, name: name)
        return .json(200, stored.bytes)
    }

    /// Applies a patch body of the request's content type to `current`.
    func applyPatch(_ request: HTTPRequest, to current: JSON) throws(APIError) -> JSON {
        let type = (request.headers["Content-Type"] ?? "").lowercased()
        if type.hasPrefix("application/merge-patch+json") || type.hasPrefix("application/strategic-merge-patch+json") {
            return current.mergePatched(with: try parseObject(request.body))
        }
        if type.hasPrefix("application/json-patch+json") {
            let operations: JSON
            do { operations = try JSONCodec.parse(request.body) } catch {
                throw APIError.badRequest("error decoding the patch: \(error)")
            }
            do { return try JSONPatch.apply(operations, to: current) } catch {
                throw APIError(code: 422, reason: "Invalid", message: "the JSON patch could not be applied: \(error.message)")
            }
        }
        throw APIError.unsupportedMediaType(type)
    }

    /// 415 for patch media types other than merge, strategic-merge and JSON patch.
    func checkPatchType(_ request: HTTPRequest) throws(APIError) {
        let type = (request.headers["Content-Type"] ?? "").lowercased()
        let supported = ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json"]
        guard supported.contains(where: { type.hasPrefix($0) }) else { throw APIError.unsupportedMediaType(type) }
    }

    /// Server-side apply, approximated: the applied configuration (JSON, which is YAML too) is
    /// created when the object is missing and merge-patched onto it otherwise. Field ownership and
    /// conflicts are not tracked. YAML that is not JSON gets 415.
    func serverSideApply(_ resource: ResourceType, namespace: String, name: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            throw APIError.badRequest("PATCH /apply requires a non-empty fieldManager")
        }
        let applied: JSON
        do { applied = try JSONCodec.parse(request.body) } catch {
            throw APIError.unsupportedMediaType("application/apply-patch+yaml (only its JSON form is understood here)")
        }
        guard case .object = applied else { throw APIError.badRequest("the applied configuration must be an object") }
        try checkTypeAndNamespace(applied, resource, namespace: namespace)
        if store.get(resource, namespace: namespace, name: name) == nil {
            var object = applied
            object.setValue(.string(name), at: ["metadata", "name"])
            try admit(&object, resource, name: name)
            let stored = try store.create(resource, namespace: namespace, object: object)
            simulation.didWrite(resource, namespace: namespace, name: name)
            return .json(201, stored.bytes)
        }
        let stored = try store.update(resource, namespace: namespace, name: name, expectedResourceVersion: nil) { current throws(APIError) in
            var next = current.mergePatched(with: applied)
            if resource.hasStatus { next["status"] = current["status"] }
            try admit(&next, resource, name: name)
            return next
        }
        simulation.didWrite(resource, namespace: namespace, name: name)
        return .json(200, stored.bytes)
    }

    func patch(_ resource: ResourceType, namespace: String, name: String, _ request: HTTPRequest, subresource: String?) throws(APIError) -> HTTPResponse {
        try checkPatchType(request)
        let stored = try store.update(resource, namespace: namespace, name: name, expectedResourceVersion: nil) { current throws(APIError) in
            var patched = try applyPatch(request, to: current)
            let wanted = patched.value(at: ["metadata", "resourceVersion"])?.stringValue
            if let wanted, wanted != current.value(at: ["metadata", "resourceVersion"])?.stringValue {
                throw APIError.conflict(resource, name)
            }
            if subresource == "status" {
                var next = current
                next["status"] = patched["status"]
                return next
            }
            if resource.hasStatus { patched["status"] = current["status"] }
            try admit(&patched, resource, name: name)
            return patched
        }
        simulation.didWrite(resource, namespace: namespace, name: name)
        return .json(200, stored.bytes)
    }

    func deleteCollection(_ resource: ResourceType, namespace: String?, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let filter = try ObjectFilter(query: request.query)
        let page = try store.list(resource, namespace: namespace, limit: nil, continueToken: nil, filter: filter.matches)
        var deleted: [StoredObject] = []
        for item in page.items {
            if let gone = try? store.delete(resource, namespace: item.namespace, name: item.name) {
                deleted.append(gone)
                simulation.didWrite(resource, namespace: item.namespace, name: item.name)
            }
        }
        return .json(200, Self.listBytes(resource, ListPage(items: deleted, resourceVersion: store.currentResourceVersion)))
    }

    // MARK: status subresource

    func status(_ resource: ResourceType, namespace: String, name: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        switch request.method {
        case "GET":
            guard let object = store.get(resource, namespace: namespace, name: name) else { throw APIError.notFound(resource, name) }
            return .json(200, object.bytes)
        case "PUT":
            let object = try jsonBody(request)
            try checkTypeAndNamespace(object, resource, namespace: namespace)
            if let bodyName = object.value(at: ["metadata", "name"])?.stringValue, bodyName != name {
                throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            let expected = object.value(at: ["metadata", "resourceVersion"])?.stringValue
            let stored = try store.update(resource, namespace: namespace, name: name, expectedResourceVersion: expected) { current in
                var next = current
                next["status"] = object["status"]
                return next
            }
            return .json(200, stored.bytes)
        case "PATCH":
            return try patch(resource, namespace: namespace, name: name, request, subresource: "status")
        default:
            throw APIError.methodNotAllowed(request.method, request.path)
        }
    }
}

extension ListPage {
    init(items: [StoredObject], resourceVersion: UInt64) {
        self.init(items: items, resourceVersion: resourceVersion, continueToken: nil, remaining: nil)
    }
}
