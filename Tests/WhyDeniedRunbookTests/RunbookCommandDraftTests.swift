import Testing
import WhyDeniedJSON
@testable import WhyDeniedRunbook

/// The one renderer of table-built runbook commands (fix applications, resource-policy services):
/// the runbook's keys, in the order the YAML writes them, and one condition left bare.
@Suite struct RunbookCommandDraftTests {
    @Test func oneConditionIsWrittenBareAndSeveralAsAll() {
        let bare = RunbookCommandDraft(id: "read", why: "Why.", when: [.equals(fact: "resource.policy_kind", value: "sqsQueuePolicy")],
                                       argv: ["aws", "sqs", "get-queue-attributes"])
        #expect(bare.json.serialized() == #"{"id":"read","why":"Why.","when":{"fact":"resource.policy_kind","equals":"sqsQueuePolicy"},"argv":["aws","sqs","get-queue-attributes"]}"#)

        let several = RunbookCommandDraft(id: "read", why: "Why.",
                                          when: [.isIn(fact: "fix.kind", values: ["a", "b"]), .factPresent("fix.bucket"), .capturePresent("names")],
                                          argv: ["aws"])
        #expect(several.json.serialized().contains(#""when":{"all":[{"fact":"fix.kind","in":["a","b"]},{"fact":"fix.bucket","present":true},{"capture":"names","present":true}]}"#))
    }

    @Test func everyFieldInTheRunbooksOrder() throws {
        var draft = RunbookCommandDraft(id: "put", why: "Changes it.", when: [.equals(fact: "fix.kind", value: "k")], argv: ["aws", "x", "put"])
        draft.resourceAccount = true
        draft.forEach = .init(capture: "names", maxItems: 20)
        draft.optional = true
        draft.mutates = true
        draft.preconditions = ["size_within_limit"]
        draft.answeredBy = ["NoSuchThing"]
        draft.backup = true
        draft.parser = "policy_document"
        draft.captures = [.select("status", "Status", type: "string"), .parser("document", type: "object")]
        draft.poll = .init(select: "Status", until: ["DONE"], failOn: ["FAILED"], reason: "provisioning", maxAttempts: 5, interval: "2s")
        let keys = try #require(draft.json.objectValue).keys
        #expect(keys == ["id", "why", "account", "when", "foreach", "optional", "mutates", "preconditions", "argv",
                         "answered_by", "backup", "parser", "capture", "poll"])
        let text = draft.json.serialized()
        #expect(text.contains(#""foreach":{"items":"captures.names","as":"item","max_items":20}"#))
        #expect(text.contains(#""capture":[{"name":"status","select":"Status","type":"string"},{"name":"document","from":"parser","type":"object","optional":true}]"#))
        #expect(text.contains(#""poll":{"select":"Status","until":["DONE"],"fail_on":["FAILED"],"reason":"provisioning","max_attempts":5,"interval":"2s"}"#))
    }

    /// Both tables render through it, so what they write loads as a runbook's commands.
    @Test func bothTablesLoadThroughTheBundledRunbook() throws {
        let fixes = try JSONValue.parse(FixApplications.runbookCommands())
        let reads = try JSONValue.parse(ResourcePolicyService.runbookCommands())
        #expect((fixes.arrayValue?.count ?? 0) > 10)
        #expect((reads.arrayValue?.count ?? 0) >= ResourcePolicyService.all.count)
        // Every resource-policy row's policy read captures what its parser returns.
        for service in ResourcePolicyService.all {
            let read = try #require(reads.arrayValue?.first { $0.objectValue?["id"]?.stringValue == service.read.id })
            #expect(read.objectValue?["parser"]?.stringValue == service.parser)
        }
    }
}
