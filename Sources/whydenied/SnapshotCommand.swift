import ArgumentParser
import Foundation
import WhyDeniedAnalysis

/// `whydenied snapshot --out DIR --principal ARN… --resource ARN…`: writes the account snapshot
/// folder `analyze --account-snapshot` reads, from live AWS, with read-only `aws` commands.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read principals' and resources' policies from AWS into a snapshot folder for `analyze`.",
        discussion: """
        For each --principal (an IAM user or role ARN; an assumed-role session ARN reads its role): \
        its managed policies (default versions), inline policies, groups and their policies, and \
        permissions boundary. For each --resource ARN: its resource-based policy (S3 bucket, KMS \
        key, SQS queue, SNS topic, Lambda function, Secrets Manager secret, ECR repository, or a \
        role's trust policy). For each --vpc-endpoint: its endpoint policy (ec2 describe-vpc-endpoints). The reads are the runbook's own, all read-only; each is printed on \
        standard error as it runs and run once. A read that fails is recorded as unread, never as \
        "no policy". The folder's format is in docs/analysis.md.

        Examples:
          whydenied snapshot --out snapshot \\
            --principal arn:aws:iam::123456789012:role/DataAnalystRole \\
            --resource arn:aws:s3:::analytics-data-bucket
          whydenied analyze --events-file trail.json --account-snapshot snapshot
        """
    )

    @Option(help: "The snapshot folder to write (created when missing; index.json and policy files are replaced).")
    var out: String

    @Option(help: "An IAM user or role ARN whose policies to read (repeatable).")
    var principal: [String] = []

    @Option(help: "A resource ARN whose resource-based policy to read (repeatable).")
    var resource: [String] = []

    @Option(name: .customLong("vpc-endpoint"),
            help: "A VPC endpoint id (vpce-…) whose policy to read, for requests that came through it (repeatable).")
    var vpcEndpoint: [String] = []

    @OptionGroup var live: LiveReadOptions

    func validate() throws {
        if principal.isEmpty && resource.isEmpty && vpcEndpoint.isEmpty {
            throw ValidationError("give at least one --principal, --resource or --vpc-endpoint")
        }
        for id in vpcEndpoint where !id.hasPrefix("vpce-") {
            throw ValidationError("--vpc-endpoint \(id): expected a VPC endpoint id such as vpce-0a1b2c3d4e5f67890")
        }
    }

    func run() async throws {
        let read = try await LiveAccountReads.read(principals: principal, resources: resource, vpcEndpoints: vpcEndpoint, options: live)
        for note in read.notes { LiveAccountReads.printError("note: \(note)") }
        do {
            try read.snapshot.write(to: URL(fileURLWithPath: out))
        } catch {
            throw ValidationError("--out \(out): \(error)")
        }
        let snapshot = read.snapshot
        print("wrote \(out): \(snapshot.principals.count) principal(s), \(snapshot.groups.count) group(s), "
              + "\(snapshot.resourcePolicies.count) resource policy(ies), \(snapshot.unreadResourcePolicies.count) unread; "
              + (vpcEndpoint.isEmpty ? "" : "\(snapshot.vpcEndpointPolicies.count) VPC endpoint policy(ies), \(snapshot.unreadVpcEndpointPolicies.count) unread; ")
              + "\(snapshot.policyCount) policy document(s)")
        LiveAccountReads.printError(read.summary)
    }
}
