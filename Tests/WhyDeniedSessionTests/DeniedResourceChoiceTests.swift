import Foundation
import Testing
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedSession

/// One choice of the denied resource for every view: the findings table (TUI screen and the
/// report's rows), the `denial.resource_arn` fact the resource-policy reads follow, and the
/// request the verdict is about. The event is real: Stratus Red Team's RunInstances denial
/// (../shared/data/cloudtrail-real/stratus-red-team/aws.execution.ec2-launch-unusual-instances.json,
/// provenance in its index.md), whose message names the instance AWS refused while the request
/// parameters name the image first.
struct DeniedResourceChoiceTests {
    static let realData = URL(fileURLWithPath: RunbookFixture.repositoryRoot)
        .appendingPathComponent("../shared/data/cloudtrail-real/stratus-red-team").standardizedFileURL

    static func runInstancesDenial() throws -> CloudTrailEvent {
        let read = try CloudTrailReader.read(path: Self.realData.appendingPathComponent("aws.execution.ec2-launch-unusual-instances.json").path)
        return try #require(read.events.first { $0.eventName == "RunInstances" && $0.isDenied })
    }

    @Test func theFindingsTableTheFactsAndTheVerdictNameTheSameResource() throws {
        let event = try Self.runInstancesDenial()
        let record = event.raw
        let evaluated = try DeniedRequest(event: event, catalog: .bundled)
        let verdictResource = try #require(evaluated.requests.first { $0.action == "ec2:RunInstances" }?.resource?.arn)
        // AWS's own word: the message's resource.
        #expect(verdictResource == "arn:aws:ec2:ca-south-3r:751353041310:instance/*")

        let summary = try DenialSummary.summarize(captures: ["events": .array([record])], facts: [:], action: nil)
        #expect(summary.facts["denial.resource_arn"]?.stringValue == verdictResource)
        // What the findings screen and the report's rows show.
        #expect(DenialSummary.resourceArn(of: event) == verdictResource)
        // What the pasted event prefills as the resource parameter, the report's summary.
        var read = CloudTrailReadResult()
        read.events = [event]
        let prefill = Prefill.from(events: read, now: Date())
        #expect(prefill["resource"]?.value == verdictResource)
    }
}
