// Writing outputs to files: whole or not at all (written to a temporary file, then renamed).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

public enum FileOutput {
    /// Writes `text` to `path` atomically: on any failure the previous file (or no file) stays, and
    /// no partial file is left behind.
    public static func write(_ text: String, to path: String) throws(ScenarioError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ScenarioError(file: path, message: "cannot write the file (\(error))")
        }
    }
}
