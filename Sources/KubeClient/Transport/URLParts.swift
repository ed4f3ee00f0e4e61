/// The scheme, host and port of an absolute http(s) URL, enough to rewrite the host for
/// `tls-server-name` (libcurl connects elsewhere via CURLOPT_CONNECT_TO).
struct URLParts: Sendable, Hashable {
    var scheme: String
    /// Host without IPv6 brackets.
    var host: String
    var port: Int
    /// Everything after the authority (path, query), possibly empty.
    var rest: String

    init?(_ url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        rest = String(afterScheme[authorityEnd...])
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            port = scheme == "https" ? 443 : 80
        }
    }

    var bracketedHost: String { host.contains(":") ? "[\(host)]" : host }

    func replacingHost(with newHost: String) -> String {
        "\(scheme)://\(newHost):\(port)\(rest)"
    }
}
