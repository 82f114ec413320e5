import Foundation
import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

/// Issue 14 §2: `runbook plan` shows the object ACL read for a request on an object whose
/// bucket's ACLs are not known to be disabled, and not for a bucket.
@Suite struct ObjectACLPlanTests {
    func plan(_ facts: [String: String]) throws -> [RunbookPlan.PlannedCommand] {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let all: [String: String] = ["resource.service": "s3api", "resource.policy_kind": "bucket", "resource.id": "example-bucket",
                                     "principal.kind": "role", "principal.name": "DataAnalystRole"].merging(facts) { _, new in new }
        return RunbookPlan(runbook: runbook, parameters: ["principal": "DataAnalystRole", "region": "us-east-1"],
                           facts: all.mapValues(JSONValue.string)).commands.filter { $0.stepID == "check_resource_policies" }
    }

    @Test func theObjectsACLReadIsPlannedForAnObject() throws {
        let objectRead = ["aws", "s3api", "get-object-acl", "--bucket", "example-bucket", "--key", "reports/q3.csv", "--region", "us-east-1"]
        let forObject = try plan(["resource.object_key": "reports/q3.csv"]).map(\.argv)
        #expect(forObject.contains(objectRead), "\(forObject)")
        let bucketACL = try #require(forObject.firstIndex { $0.contains("get-bucket-acl") })
        #expect(forObject.firstIndex(of: objectRead).map { $0 == bucketACL + 1 } == true, "read right after the bucket's ACL, whose owner it is compared with")
        // No key known yet: shown under its condition, never with an invented key.
        let unknown = try #require(try plan([:]).first { $0.argv.contains("get-object-acl") })
        #expect(unknown.assumption?.contains("facts.resource.object_key present") == true, "\(unknown.assumption ?? "none")")
    }
}
