import Testing
@testable import WhyDeniedTUI

/// Issue 16 §3: the demo's staging line says what it is creating, and fits the terminal (a line
/// that wrapped could not be redrawn in place).
@Suite struct StagingStatusTests {
    @Test func namesTheCommandAndWhatItCreatesNotItsDocuments() {
        #expect(StagingStatus.describe(["aws", "iam", "create-role", "--role-name", "DataAnalystRole",
                                        "--assume-role-policy-document", "{\"Version\":\"2012-10-17\"}"])
                == "aws iam create-role DataAnalystRole")
        #expect(StagingStatus.describe(["aws", "iam", "put-role-policy", "--policy-document", "file:///tmp/p.json"])
                == "aws iam put-role-policy")
        #expect(StagingStatus.describe(["aws", "sts", "get-caller-identity"]) == "aws sts get-caller-identity")
    }

    @Test func countsCommandsAndFitsTheWidth() {
        var status = StagingStatus(scenario: "seed")
        #expect(status.line(elapsed: 0, width: 80) == "⠋ Staging seed · 0.0 s · 0 commands")
        status.started(["aws", "s3api", "create-bucket", "--bucket", "whydenied-trail-logs"])
        #expect(status.line(elapsed: 0.25, width: 100) == "⠹ Staging seed · 0.2 s · 1 command · aws s3api create-bucket whydenied-trail-logs")
        status.started(["aws", "logs", "create-log-group", "--log-group-name", "aws-cloudtrail-logs-123456789012-whydenied"])
        for width in [20, 40, 60, 80] {
            let line = status.line(elapsed: 4.2, width: width)
            #expect(CharacterWidth.of(line) <= width - 1, "\(width): \(line)")
            #expect(line.hasSuffix("…"))
        }
        #expect(status.line(elapsed: 4.2, width: 200) == "⠹ Staging seed · 4.2 s · 2 commands · aws logs create-log-group aws-cloudtrail-logs-123456789012-whydenied")
    }
}
