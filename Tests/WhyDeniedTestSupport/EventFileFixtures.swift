import Foundation

/// Real CloudTrail files kept once, in the evidence tests' fixtures (provenance in
/// Tests/WhyDeniedEvidenceTests/Fixtures/cloudtrail/PROVENANCE.md), for the suites that load
/// them as a local event file (the TUI's F3 prompt) by path from the source tree.
public enum EventFileFixtures {
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("WhyDeniedEvidenceTests/Fixtures/cloudtrail")

    /// 19 real events of one assumed role, 17 of them `Client.UnauthorizedOperation` on
    /// `ec2:DescribeInstanceAttribute` (stratus-red-team `aws.discovery.ec2-download-user-data`).
    public static let ec2DownloadUserData = folder.appendingPathComponent("aws.discovery.ec2-download-user-data.json")

    /// Copies `source` into `folder` under `name` and returns the copy.
    @discardableResult
    public static func copy(_ source: URL, into folder: URL, as name: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }
}
