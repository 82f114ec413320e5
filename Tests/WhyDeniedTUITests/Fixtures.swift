import Foundation
import WhyDeniedEvidence
import WhyDeniedTUI

/// Shared inputs for the screen tests: a fixed clock, environment and the seed scenario's
/// session as the driver would report it.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18T...Z
    static let environment = ["AWS_REGION": "us-east-1", "AWS_PROFILE": "sandbox"]

    static func state(_ size: TerminalSize = TerminalSize(width: 100, height: 30), sandbox: Bool = true) -> GuidedState {
        GuidedState(size: size, now: now, environment: environment, sandbox: sandbox)
    }

    static let seedError = """
        An error occurred (AccessDenied) when calling the GetObject operation: User: \
        arn:aws:sts::123456789012:assumed-role/DataAnalystRole/analyst-session is not authorized to perform: \
        s3:GetObject on resource: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv" with an explicit deny \
        in a resource-based policy
        """

    static let seedPrefill = [
        PrefilledParameter(name: "principal", value: "arn:aws:sts::123456789012:assumed-role/DataAnalystRole/analyst-session",
                     source: .errorMessage, origin: "error message: \"User: arn:…\""),
        PrefilledParameter(name: "action", value: "s3:GetObject", source: .errorMessage, origin: "error message: \"perform: s3:GetObject\""),
        PrefilledParameter(name: "resource", value: "arn:aws:s3:::analytics-data-bucket/reports/q3.csv",
                     source: .errorMessage, origin: "error message: \"on resource: …\""),
        PrefilledParameter(name: "account_id", value: "123456789012", source: .errorMessage, origin: "principal ARN"),
    ]

    static let steps = [
        ("verify", "Verify dependencies"), ("trails", "Check trails"), ("lookup", "Look up events"),
        ("parse", "Parse events"), ("check_iam", "Check IAM"), ("check_resource", "Check resource policies"),
        ("recommend", "Recommend"), ("implement", "Implement"),
    ]

    static let context = ContextBanner(account: "123456789012",
                                       caller: "arn:aws:iam::123456789012:user/operator",
                                       region: "us-east-1", profile: "sandbox", sandbox: true)

    static func session(current: Int, proposal: CommandProposal?, done: Int? = nil) -> SessionView {
        let finished = done ?? current
        let rows = steps.enumerated().map { i, step in
            StepRow(id: step.0, title: step.1,
                    status: i < finished ? .done : (i == current ? .running : .pending),
                    guidance: i == current ? guidance[step.0] ?? "" : "")
        }
        return SessionView(steps: rows, currentStep: current, proposal: proposal, context: context)
    }

    static let guidance = [
        "verify": "Checks which identity your credentials resolve to. Every later command runs as this caller.",
        "trails": "Finds the trails that record management events and where they deliver logs.",
        "implement": "Applies the recommended change after a backup of the current document.",
    ]

    static let callerIdentity = CommandProposal(
        id: "verify/caller", stepID: "verify", argv: ["aws", "sts", "get-caller-identity", "--output", "json"],
        why: "Shows which account and identity every later command will run as.")

    static let beforePolicy = """
        {"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideOffice","Effect":"Deny","Principal":"*",\
        "Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-data-bucket/*",\
        "Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}
        """
    static let afterPolicy = """
        {"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideOffice","Effect":"Deny","Principal":"*",\
        "Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-data-bucket/*",\
        "Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.7/32"]}}}]}
        """

    static let putBucketPolicy = CommandProposal(
        id: "implement/put-bucket-policy", stepID: "implement",
        argv: ["aws", "s3api", "put-bucket-policy", "--bucket", "analytics-data-bucket", "--policy", "file://fix.json"],
        why: "Lets the analyst's address through the bucket policy's IP condition.",
        mutates: true,
        change: PolicyChange(target: "bucket policy of analytics-data-bucket", before: beforePolicy, after: afterPolicy),
        confirmWord: "analytics-data-bucket")
}
