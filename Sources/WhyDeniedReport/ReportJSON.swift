import Foundation
import WhyDeniedJSON
import WhyDeniedSession

extension SessionReport {
    /// The report as JSON, schema `whydenied/report@1` (docs/report-schema.md,
    /// docs/report.schema.json). Optional values are `null`, never left out, so readers can
    /// rely on every key being there.
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func time(_ value: Date?) -> JSONValue { value.map { .string($0.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))) } ?? .null }
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        func object(_ entries: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(entries)) }

        let commandValues: [JSONValue] = commands.enumerated().map { index, command in
            object([
                ("index", .number(Double(index + 1))), ("step", .string(command.step)), ("command", .string(command.command)),
                ("item", text(command.item)), ("argv", strings(command.argv)), ("mutates", .bool(command.mutates)),
                ("status", .string(command.status)), ("edited", .bool(command.edited)),
                ("decline_reason", text(command.declineReason)), ("started_at", time(command.startedAt)),
                ("exit_code", command.outcome.map { .number(Double($0.exitCode)) } ?? .null),
                ("duration_ms", command.outcome.map { .number(Double($0.durationMilliseconds)) } ?? .null),
                ("stdout_path", text(command.outcome?.stdoutPath)), ("stdout_sha256", text(command.outcome?.stdoutSHA256)),
                ("stderr_path", text(command.outcome?.stderrPath)), ("stderr_sha256", text(command.outcome?.stderrSHA256)),
            ])
        }
        let evaluationValue: JSONValue = evaluation.map { evaluation in
            object([
                ("verdict", .string(evaluation.verdict)),
                ("deciding", evaluation.deciding?.jsonValue ?? .null),
            ])
        } ?? .null
        let recommendationValue: JSONValue = recommendation.map { recommendation in
            object([
                ("summary", .string(recommendation.summary)), ("target", text(recommendation.target)),
                ("document", recommendation.document),
                ("reasons", .array(recommendation.reasons.map { object([("element", .string($0.element)), ("reason", .string($0.reason))]) })),
                ("placement", recommendation.placement.map { placement in
                    object([("owner", .string(placement.owner)), ("where_the_change_belongs", .string(placement.whereTheChangeBelongs)),
                            ("terraform", text(placement.terraform)), ("cloudformation", text(placement.cloudFormation)),
                            ("code_note", text(placement.codeNote)), ("not_applied", text(placement.notApplied)),
                            ("shared_policy_note", text(placement.sharedPolicyNote))])
                } ?? .null),
            ])
        } ?? .null

        return object([
            ("schema", .string(Self.schema)),
            ("session", object([
                ("id", .string(sessionID)), ("runbook", text(runbook)), ("started_at", time(startedAt)),
                ("last_activity_at", time(lastActivityAt)), ("state", .string(state)), ("operator", text(operatorARN)),
                ("changes_enabled", .bool(changesEnabled)), ("changes_enabled_at", time(changesEnabledAt)),
            ])),
            ("redaction", object([("secrets", .string("redacted")), ("account_ids_masked", .bool(accountIDsMasked))])),
            ("summary", object([
                ("who", text(summary.who)), ("action", text(summary.action)), ("resource", text(summary.resource)),
                ("when", text(summary.when)), ("verdict", .string(summary.verdict)), ("fix", text(summary.fix)),
            ])),
            ("parameters", .array(parameters.map { parameter in
                object([("name", .string(parameter.name)), ("value", .string(parameter.value)), ("origin", .string(parameter.origin)),
                        ("origin_detail", text(parameter.originDetail))])
            })),
            ("denied_requests", .array(deniedRequests.map(\.jsonValue))),
            ("why_no_event", .array(whyNoEvent.map(\.jsonValue))),
            ("evaluation", evaluationValue),
            ("policies_examined", .array((evaluation?.policies ?? []).map(\.jsonValue))),
            ("decision_trace", .array((evaluation?.trace ?? []).map(\.jsonValue))),
            ("recommendation", recommendationValue),
            ("commands", .array(commandValues)),
            ("skipped_steps", .array(skippedSteps.map { object([("step", .string($0.step)), ("reason", .string($0.reason))]) })),
            ("changes", .array(changes.map { change in
                object([("step", .string(change.step)), ("summary", .string(change.summary)), ("target", .string(change.target)),
                        ("argv", strings(change.argv)), ("backups", strings(change.backupPaths)),
                        ("rollback_argv", .array(change.rollbackArgv.map(strings)))])
            })),
            ("open_questions", .array(openQuestions.map(\.jsonValue))),
            ("other_analyses", .array(otherAnalyses.map { object([("step", .string($0.step)), ("name", .string($0.name)), ("result", $0.result)]) })),
            ("notices", strings(notices)),
        ])
    }

    /// Pretty JSON text, ending with a newline.
    public var json: String { jsonValue.serialized(pretty: true) + "\n" }
}
