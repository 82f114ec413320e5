/// Why the bundled action catalog could not be read: which file and what was wrong.
///
/// Example: `Catalog file services/s3.json: The data couldn't be read because it is missing.`
public struct ActionCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let problem: String

    public var description: String { "Catalog file \(file): \(problem)" }
}
