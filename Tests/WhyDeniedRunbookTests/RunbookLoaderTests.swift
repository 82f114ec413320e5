import Foundation
import Testing
@testable import WhyDeniedRunbook

/// A small valid runbook; tests break one thing at a time. Line numbers are noted where tests
/// depend on them.
let minimalRunbook = """
schema: whydenied/runbook@1
id: mini
title: Mini
parameters:
  - {name: principal, label: Principal, required: true}
  - {name: region, label: Region, required: true}
steps:
  - id: first
    title: First
    guidance: Reads the caller.
    commands:
      - id: caller
        why: who am I
        argv: [aws, sts, get-caller-identity, --region, "{{params.region}}"]
        capture:
          - {name: caller_arn, select: Arn, type: string}
"""

func issues(_ text: String) -> [RunbookIssue] {
    do {
        _ = try RunbookLoader.load(text: text, file: "broken.yaml")
        return []
    } catch {
        return error.issues
    }
}

func lines(_ text: String) -> [String] { issues(text).map(\.description) }

@Suite("Runbook loader")
struct RunbookLoaderTests {
    @Test func minimalRunbookLoads() throws {
        let runbook = try RunbookLoader.load(text: minimalRunbook, file: "mini.yaml")
        #expect(runbook.steps.map(\.id) == ["first"])
        #expect(runbook.steps[0].commands[0].argv.map(\.description) == ["aws", "sts", "get-caller-identity", "--region", "{{params.region}}"])
    }

    @Test func realRunbookValidates() throws {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        #expect(runbook.steps.map(\.id) == ["verify_dependencies", "decode_message", "check_trails", "look_up_events", "read_trail_files",
                                            "parse_events", "check_iam", "check_resource_policies", "check_resource_account_rcps", "check_vpc_endpoint_policy", "check_session_policy",
                                            "recommend", "implement"])
        #expect(Set(runbook.parameters.map(\.name)) == ["principal", "time_frame", "region", "resource", "account_id", "error_message", "action",
                                                         "org_profile", "resource_profile"])
        #expect(runbook.parameters.filter(\.required).map(\.name) == ["principal", "time_frame", "region"])
        #expect(runbook.steps.allSatisfy { !$0.guidance.isEmpty })
    }

    @Test func realRunbookCoversTheRequiredCommands() throws {
        let runbook = try RunbookLoader.load(contentsOf: RunbookPaths.accessDenied)
        let operations = Set(runbook.steps.flatMap(\.commands).map { command in
            command.argv.prefix(3).map(\.description).joined(separator: " ")
        })
        let required = [
            "aws sts get-caller-identity", "aws cloudtrail describe-trails", "aws cloudtrail get-trail-status",
            "aws cloudtrail get-event-selectors", "aws cloudtrail lookup-events", "aws logs filter-log-events",
            "aws iam get-user", "aws iam get-role", "aws iam list-attached-user-policies", "aws iam list-user-policies",
            "aws iam list-attached-role-policies", "aws iam list-role-policies", "aws iam list-groups-for-user",
            "aws iam list-attached-group-policies", "aws iam list-group-policies", "aws iam get-group-policy",
            "aws iam get-policy", "aws iam get-policy-version", "aws iam get-user-policy", "aws iam get-role-policy",
            "aws s3api get-bucket-policy", "aws kms get-key-policy", "aws sqs get-queue-attributes",
            "aws sns get-topic-attributes", "aws lambda get-policy", "aws secretsmanager get-resource-policy",
            "aws opensearchserverless get-access-policy", "aws ecr get-repository-policy",
            "aws iam create-policy", "aws iam attach-user-policy", "aws iam attach-role-policy", "aws iam put-user-policy",
            "aws iam put-role-policy", "aws iam create-policy-version", "aws s3api put-bucket-policy",
            "aws iam update-assume-role-policy",
        ]
        for operation in required { #expect(operations.contains(operation), "missing \(operation)") }
        let mutating = runbook.steps.flatMap(\.commands).filter(\.mutates).map { $0.argv[2].description }
        #expect(Set(mutating) == ["create-policy", "attach-user-policy", "attach-role-policy", "put-user-policy",
                                  "put-role-policy", "create-policy-version", "put-bucket-policy",
                                  "update-assume-role-policy", // a trust-policy fix
                                  "delete-policy-version",    // making room at IAM's five versions
                                  // An Identity Center role's fix: its permission set's inline policy, provisioned.
                                  "put-inline-policy-to-permission-set", "provision-permission-set",
                                  // Starting a query is a Write in the action catalog: Athena writes the results
                                  // to S3 (and CREATE TABLE adds a Glue table); both bill by data scanned.
                                  "start-query-execution", "start-query"])
        let queries = runbook.steps.flatMap(\.commands).filter { $0.mutates && $0.argv[2].description.hasPrefix("start-query") }
        #expect(queries.map(\.id) == ["athena_create_table", "athena_start_query", "lake_start_query"])
        let versionCommand = runbook.steps.flatMap(\.commands).first { $0.id == "create_policy_version" }
        #expect(versionCommand?.argv.last?.description == "--set-as-default")
        let queue = runbook.steps.flatMap(\.commands).first { $0.id == "queue_policy" }
        #expect(queue?.argv.map(\.description).contains("Policy") == true)
    }

    @Test func unknownKeyIsReportedWithItsLine() {
        let broken = minimalRunbook.replacingOccurrences(of: "        why: who am I", with: "        why: who am I\n        argvv: [x]")
        #expect(lines(broken) == ["broken.yaml:14: unknown key \"argvv\" in a command (did you mean \"argv\"?)"])
    }

    @Test func missingRequiredKeyIsReported() {
        let broken = minimalRunbook.replacingOccurrences(of: "        why: who am I\n", with: "")
        #expect(lines(broken) == ["broken.yaml:12: a command is missing the required key \"why\""])
    }

    @Test func missingTopLevelKeys() {
        #expect(lines("schema: whydenied/runbook@1\nid: x\n") == [
            "broken.yaml:1: the runbook is missing the required key \"parameters\"",
            "broken.yaml:1: the runbook is missing the required key \"steps\"",
            "broken.yaml:1: the runbook is missing the required key \"title\"",
        ])
    }

    @Test func placeholderNamingNoParameter() {
        let broken = minimalRunbook.replacingOccurrences(of: "{{params.region}}", with: "{{params.regoin}}")
        #expect(lines(broken) == ["broken.yaml:14: {{params.regoin}} names no parameter (did you mean \"region\"?)"])
    }

    @Test func placeholderNamingNoCaptureFactOrLoopVariable() {
        let broken = minimalRunbook.replacingOccurrences(
            of: "get-caller-identity, --region", with: "get-caller-identity, \"{{captures.nothing}}\", \"{{facts.principal.nmae}}\", \"{{item}}\", --region")
        #expect(lines(broken) == [
            "broken.yaml:14: {{captures.nothing}} names no capture",
            "broken.yaml:14: {{facts.principal.nmae}} names no known fact (did you mean \"principal.name\"?)",
            "broken.yaml:14: {{item}} names no parameter, fact, capture or loop variable; use params., facts. or captures., or add a foreach",
        ])
    }

    @Test func captureUsedBeforeItIsTaken() {
        let broken = minimalRunbook.replacingOccurrences(of: "\"{{params.region}}\"]", with: "\"{{captures.caller_arn}}\"]")
        #expect(lines(broken) == ["broken.yaml:14: {{captures.caller_arn}} is used before it is captured (on line 16)"])
    }

    @Test func duplicateIdsAreReported() {
        let broken = minimalRunbook + """

          - id: first
            title: Again
            guidance: dup
            commands:
              - id: caller
                why: again
                argv: [aws, sts, get-caller-identity]
              - id: caller
                why: again
                argv: [aws, sts, get-caller-identity]
                capture:
                  - {name: caller_arn, select: Arn}
        """
        #expect(lines(broken) == [
            "broken.yaml:17: duplicate step id \"first\" (first defined on line 8)",
        ])
        let renamed = broken.replacingOccurrences(of: "  - id: first\n    title: Again", with: "  - id: second\n    title: Again")
        #expect(lines(renamed) == [
            "broken.yaml:24: duplicate command id \"caller\" in step \"second\" (first defined on line 21)",
        ])
        let renamedCommand = renamed.replacingOccurrences(of: "      - id: caller\n        why: again\n        argv: [aws, sts, get-caller-identity]\n        capture",
                                                          with: "      - id: caller2\n        why: again\n        argv: [aws, sts, get-caller-identity]\n        capture")
        #expect(lines(renamedCommand) == ["broken.yaml:28: duplicate capture \"caller_arn\" (first defined on line 16)"])
    }

    @Test func duplicateParameterAndDuplicateYAMLKey() {
        let broken = minimalRunbook.replacingOccurrences(of: "  - {name: region, label: Region, required: true}",
                                                         with: "  - {name: region, label: Region, required: true}\n  - {name: region, label: Again}")
        #expect(lines(broken) == ["broken.yaml:7: duplicate parameter \"region\" (first defined on line 6)"])
        let duplicateKey = minimalRunbook.replacingOccurrences(of: "title: Mini", with: "title: Mini\ntitle: Twice")
        #expect(lines(duplicateKey) == ["broken.yaml:3: duplicate key \"title\" in a mapping"])
    }

    @Test func foreachOverSomethingThatIsNotAList() {
        let broken = minimalRunbook + """

              - id: each
                why: loop
                foreach: {items: captures.caller_arn, as: arn}
                argv: [aws, iam, get-role, --role-name, "{{arn}}"]
        """
        #expect(lines(broken) == [
            "broken.yaml:19: foreach items: captures.caller_arn is not a list capture (it is declared with type: string on line 16)",
        ])
        let notACapture = broken.replacingOccurrences(of: "items: captures.caller_arn", with: "items: params.region")
        #expect(lines(notACapture) == [
            "broken.yaml:19: foreach items should name list captures as captures.NAME, found \"params.region\"",
            "broken.yaml:20: {{arn}} names no parameter, fact, capture or loop variable; use params., facts. or captures., or add a foreach",
        ])
    }

    @Test func loopVariableOutsideItsLoop() {
        let broken = minimalRunbook + """

              - id: listing
                why: list
                argv: [aws, iam, list-roles]
                capture: [{name: role_names, select: "Roles[*].RoleName", type: list}]
              - id: each
                why: loop
                foreach: {items: captures.role_names, as: role}
                argv: [aws, iam, get-role, --role-name, "{{name}}"]
        """
        #expect(lines(broken) == [
            "broken.yaml:24: {{name}} names no parameter, fact, capture or loop variable (this command's foreach variable is \"role\")",
        ])
    }

    /// Which commands change the account is the classifier's (session module) question, tested
    /// with it in CommandClassificationInUseTests; the loader itself checks the shape.
    @Test func awsServiceAndOperationAreWrittenOut() {
        let operationFromPlaceholder = minimalRunbook.replacingOccurrences(
            of: "[aws, sts, get-caller-identity,", with: "[aws, iam, \"{{params.principal}}\",")
        #expect(lines(operationFromPlaceholder) == ["broken.yaml:14: command \"caller\": the aws service and operation must be written out, not placeholders"])
        let serviceBehindGlobalOption = minimalRunbook.replacingOccurrences(
            of: "[aws, sts, get-caller-identity,", with: "[aws, --region=us-east-1, \"{{params.principal}}\", get-role,")
        #expect(lines(serviceBehindGlobalOption) == ["broken.yaml:14: command \"caller\": the aws service and operation must be written out, not placeholders"])
        let noOperation = minimalRunbook.replacingOccurrences(of: "[aws, sts, get-caller-identity,", with: "[aws, --debug, sts,")
        #expect(lines(noOperation) == ["broken.yaml:14: command \"caller\": an aws command needs a service and an operation"])
    }

    @Test func allErrorsAreCollected() {
        let broken = minimalRunbook
            .replacingOccurrences(of: "title: First", with: "title: First\n    colour: blue")
            .replacingOccurrences(of: "{{params.region}}", with: "{{params.zone}}")
            .replacingOccurrences(of: "[aws, sts, get-caller-identity,", with: "[aws, iam, \"{{params.principal}}\",")
        #expect(lines(broken) == [
            "broken.yaml:10: unknown key \"colour\" in a step",
            "broken.yaml:15: {{params.zone}} names no parameter",
            "broken.yaml:15: command \"caller\": the aws service and operation must be written out, not placeholders",
        ])
    }

    @Test func oddTypesGetClearMessages() {
        let broken = minimalRunbook
            .replacingOccurrences(of: "        why: who am I", with: "        why: [who, am, I]\n        mutates: yes please\n        timeout: forever")
        #expect(lines(broken) == [
            "broken.yaml:13: why should be a single value, found a list",
            "broken.yaml:14: mutates should be true or false",
            "broken.yaml:15: timeout should be a duration from 1s to 3600s, such as 60 or \"60s\" or \"2m\"",
        ])
        #expect(lines("- just\n- a list\n") == ["broken.yaml:1: the runbook should be a mapping, found a list"])
        #expect(lines("") == ["broken.yaml:1: the file is empty"])
        let stepsNotAList = minimalRunbook.replacingOccurrences(of: "steps:\n", with: "steps: 42\nx_steps:\n")
        #expect(lines(stepsNotAList).contains("broken.yaml:7: steps should be a list, found a single value"))
    }

    @Test func hugeNumbersAreRefusedNotOverflowed() {
        let broken = minimalRunbook.replacingOccurrences(of: "        why: who am I", with: "        why: who am I\n        timeout: 9223372036854775807m")
        #expect(lines(broken) == ["broken.yaml:14: timeout should be a duration from 1s to 3600s, such as 60 or \"60s\" or \"2m\""])
    }

    /// Every truncation and every single-line deletion of the real runbook loads or fails with
    /// issues; none crashes, and every issue has a line.
    @Test func damagedCopiesOfTheRealRunbookNeverCrash() throws {
        let text = try String(contentsOfFile: RunbookPaths.accessDenied, encoding: .utf8)
        let characters = Array(text)
        var variants: [String] = stride(from: 0, to: characters.count, by: 997).map { String(characters[..<$0]) }
        let textLines = text.components(separatedBy: "\n")
        for index in stride(from: 0, to: textLines.count, by: 11) {
            var copy = textLines
            copy.remove(at: index)
            variants.append(copy.joined(separator: "\n"))
        }
        var rejected = 0
        for variant in variants {
            do {
                _ = try RunbookLoader.load(text: variant, file: "damaged.yaml")
            } catch {
                rejected += 1
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { $0.line >= 0 && !$0.reason.isEmpty })
            }
        }
        #expect(rejected > variants.count / 2)
    }

    @Test func badYAMLSyntaxHasALine() {
        let broken = minimalRunbook.replacingOccurrences(of: "    title: First", with: "    title: [First")
        let found = issues(broken)
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 >= 9)
        #expect(found.first?.reason.hasPrefix("invalid YAML:") == true)
    }

    @Test func anchorsAndHugeFilesAreRefused() {
        let laughs = "a: &a [x, x, x]\nb: [*a, *a, *a]\n"
        #expect(lines(laughs).first == "broken.yaml:1: YAML anchors and aliases are not allowed in a runbook")
        let huge = "title: " + String(repeating: "x", count: 1_100_000)
        #expect(lines(huge).first?.hasPrefix("broken.yaml:1: file is 1100007 bytes") == true)
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(lines(deep).first?.contains("nesting deeper than 64 levels") == true)
    }

    @Test func unclosedPlaceholderAndBadGoto() {
        let broken = minimalRunbook
            .replacingOccurrences(of: "\"{{params.region}}\"", with: "\"{{params.region\"")
            .replacingOccurrences(of: "    guidance: Reads the caller.", with: "    guidance: Reads the caller.\n    on_failure: {goto: nowhere}")
        #expect(lines(broken) == [
            "broken.yaml:11: goto \"nowhere\" names no step",
            "broken.yaml:15: \"{{\" without a closing \"}}\" in \"{{params.region\"",
        ])
    }

    @Test func conditionsAreChecked() {
        let broken = minimalRunbook.replacingOccurrences(
            of: "        why: who am I",
            with: "        why: who am I\n        when: {all: [{fact: principal.kind, equals: user}, {param: nope, present: true}, {fact: x, equals: 1, in: [2]}]}")
        #expect(lines(broken) == [
            "broken.yaml:14: when: param \"nope\" names no parameter",
            "broken.yaml:14: a when condition has exactly one of equals, in, present, contains",
        ])
    }

    @Test func containsIsATestOfItsOwn() throws {
        let text = minimalRunbook.replacingOccurrences(
            of: "        why: who am I",
            with: "        why: who am I\n        when: {not: {param: region, contains: BucketOwnerEnforced}}")
        let runbook = try RunbookLoader.load(text: text, file: "contains.yaml")
        let condition = try #require(runbook.steps.first?.commands.first?.when)
        #expect(condition == .not(.test(.parameter("region"), .contains("BucketOwnerEnforced"))))
        #expect(condition.summary == "not (params.region contains BucketOwnerEnforced)")
        #expect(lines(minimalRunbook.replacingOccurrences(
            of: "        why: who am I", with: "        why: who am I\n        when: {param: region, contains: [a, b]}")).count == 1)
    }
}

/// Where the repository's runbook lives, found from this file's path.
enum RunbookPaths {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var accessDenied: String { repositoryRoot.appendingPathComponent("Runbooks/access-denied.yaml").path }
}
