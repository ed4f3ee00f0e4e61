import HTTPServer

// `HTTPRequest`/`HTTPResponse` exist in both HTTPServer and KubeClient; files importing both use these.
typealias ServerRequest = HTTPRequest
typealias ServerResponse = HTTPResponse
