/// The proxy Go's `http.ProxyFromEnvironment` (client-go's default without `proxy-url`) would use
/// for a server URL: `HTTPS_PROXY`/`https_proxy` for https, `HTTP_PROXY`/`http_proxy` for http,
/// minus `NO_PROXY`/`no_proxy` matches; `localhost` and loopback addresses are never proxied.
/// The transport then sets CURLOPT_PROXY itself, so libcurl's own (different) env rules never apply.
public enum ProxyEnvironment {
    public static func proxy(for serverURL: String, environment: [String: String]) -> String? {
        guard let parts = URLParts(serverURL) else { return nil }
        let names = parts.scheme == "https" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let raw = names.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else { return nil }
        if isLoopback(parts.host) { return nil }
        let noProxy = environment["NO_PROXY"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["no_proxy"] ?? ""
        if excluded(host: parts.host, port: parts.port, noProxy: noProxy) { return nil }
        return raw.contains("://") ? raw : "http://" + raw
    }

    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" { return true }
        if let octets = ipv4(lowered) { return octets[0] == 127 }
        return false
    }

    static func excluded(host: String, port: Int, noProxy: String) -> Bool {
        let host = host.lowercased()
        for rawEntry in noProxy.split(separator: ",") {
            var entry = String(rawEntry).trimmingWhitespace().lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if entry.contains("/") {
                if cidr(entry, contains: host) { return true }
                continue
            }
            // Strip a port (not from a bare IPv6 address); a port must then match.
            var entryPort: Int?
            if let colon = entry.lastIndex(of: ":"), !entry.hasSuffix("]"), entry.filter({ $0 == ":" }).count == 1 {
                entryPort = Int(entry[entry.index(after: colon)...])
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("[") && entry.hasSuffix("]") { entry = String(entry.dropFirst().dropLast()) }
            if let entryPort, entryPort != port { continue }
            if entry == host { return true }
            if ipv4(entry) != nil || entry.contains(":") { continue }  // IPs match exactly only
            if entry.hasPrefix(".") {
                if host.hasSuffix(entry) { return true }  // subdomains only
            } else if host.hasSuffix("." + entry) {
                return true
            }
        }
        return false
    }

    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { UInt8($0) }
        return octets.count == 4 ? octets : nil
    }

    static func cidr(_ entry: String, contains host: String) -> Bool {
        let pieces = entry.split(separator: "/")
        guard pieces.count == 2, let network = ipv4(String(pieces[0])), let bits = Int(pieces[1]), (0...32).contains(bits),
              let address = ipv4(host) else { return false }
        let value = { (o: [UInt8]) in o.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
        return value(network) & mask == value(address) & mask
    }
}
