import ArgumentParser
import Foundation
import WhyDeniedJSON
import WhyDeniedRunbook
import WhyDeniedSession

/// `whydenied runbook validate|plan`: check a runbook file, and preview the commands a run
/// would propose for given parameters.
///
/// ```
/// whydenied runbook validate Runbooks/access-denied.yaml
/// whydenied runbook plan --param principal=DataAnalystRole --param region=us-east-1 \
///     --param time_frame='1 hour ago' --fact principal.kind=role
/// ```
struct RunbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Validate a runbook file or preview the commands it would run.",
        discussion: """
        Examples:
          whydenied runbook validate Runbooks/access-denied.yaml
          whydenied runbook plan --param principal=DataAnalystRole \\
            --param region=us-east-1 --param time_frame=1h
        """,
        subcommands: [Validate.self, Plan.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a runbook; print file:line for every problem and exit non-zero if there are any.",
            discussion: """
                Examples:
                  whydenied runbook validate                  # Runbooks/access-denied.yaml
                  whydenied runbook validate my-runbook.yaml   # my-runbook.yaml:LINE: …
                """)

        @Argument(help: "The runbook file (default: Runbooks/access-denied.yaml).")
        var file: String?

        func run() throws {
            let path = try RunbookFile.locate(file)
            do {
                let runbook = try RunbookLoader.load(contentsOf: path, classifier: CommandClassifier.bundled)
                let commands = runbook.steps.reduce(0) { $0 + $1.commands.count }
                print("\(path): OK (\(runbook.steps.count) steps, \(commands) commands, \(runbook.parameters.count) parameters)")
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Print, in order, the resolved commands a run would propose.",
            discussion: """
                Values not known before running (captures of earlier commands, foreach items) stay \
                visible as {{...}}; a foreach command is shown once, as a template, with the list it \
                walks; a condition that depends on unknown values is shown as "if ...". Facts not \
                given are unknown; principal.kind/name/arn are read off an ARN given as principal.

                Examples:
                  whydenied runbook plan --json \\
                    --param principal=arn:aws:iam::123456789012:user/alice \\
                    --param region=us-east-1 --param time_frame='1 hour ago'
                """)

        @Option(name: .customLong("param"), help: "A runbook parameter, NAME=VALUE (repeatable).")
        var parameters: [String] = []

        @Option(name: .customLong("fact"), help: "A known fact, NAME=VALUE, e.g. principal.kind=role (repeatable).")
        var facts: [String] = []

        @Flag(help: "Print the plan as JSON.")
        var json = false

        @Argument(help: "The runbook file (default: Runbooks/access-denied.yaml).")
        var file: String?

        func run() throws {
            let path = try RunbookFile.locate(file)
            let runbook: Runbook
            do {
                runbook = try RunbookLoader.load(contentsOf: path, classifier: CommandClassifier.bundled)
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            }
            let parameterValues = try Self.pairs(parameters, what: "--param")
            for name in parameterValues.keys where runbook.parameter(name) == nil {
                throw ValidationError("--param \(name): the runbook has no such parameter (it has \(runbook.parameters.map(\.name).joined(separator: ", ")))")
            }
            var factValues = try Self.pairs(facts, what: "--fact")
            for name in factValues.keys where !FactCatalog.isKnown(name) {
                throw ValidationError("--fact \(name): not a known fact (see Runbooks/README.md)")
            }
            if let principal = parameterValues["principal"] {
                factValues.merge(PrincipalArn.facts(from: principal)) { given, _ in given }
            }
            // A resource ARN names its resource-policy row (resource.service, .id, .policy_kind).
            if let resource = parameterValues["resource"], let target = ResourcePolicyTarget(arn: resource) {
                factValues.merge(target.facts.compactMapValues(\.stringValue)) { given, _ in given }
            }
            // CloudTrail records a user's calls under the user name; a role's under the session name.
            if factValues["principal.kind"] == "user", factValues["principal.event_username"] == nil {
                factValues["principal.event_username"] = factValues["principal.name"]
            }
            let missing = runbook.parameters.filter { $0.required && parameterValues[$0.name]?.isEmpty != false }.map(\.name)
            if !missing.isEmpty {
                throw ValidationError("missing required parameter(s): " + missing.map { "--param \($0)=..." }.joined(separator: " "))
            }
            let plan = RunbookPlan(runbook: runbook, parameters: parameterValues, facts: factValues.mapValues { .string($0) })
            print(json ? Self.json(plan) : Self.text(plan, runbook: runbook))
        }

        static func pairs(_ items: [String], what: String) throws -> [String: String] {
            var result: [String: String] = [:]
            for item in items {
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw ValidationError("\(what) \(item): expected NAME=VALUE")
                }
                result[String(item[..<equals])] = String(item[item.index(after: equals)...])
            }
            return result
        }

        static func text(_ plan: RunbookPlan, runbook: Runbook) -> String {
            var lines = ["Plan for \(runbook.id) \(runbook.version): \(runbook.title)",
                         "({{...}} = known only at run time; \"if\" = depends on values not known yet)", ""]
            for (number, step) in plan.steps.enumerated() {
                var header = "\(number + 1). \(step.id): \(step.title)"
                if !step.applies { header += "  (not applicable)" }
                if let assumption = step.assumption { header += "  if \(assumption)" }
                lines.append(header)
                guard step.applies else { lines.append(""); continue }
                for tool in step.toolChecks { lines.append("   check: \(tool) on PATH (existence only, not run)") }
                for command in step.commands {
                    var label = "   - \(command.id)"
                    if command.mutates { label += "  [CHANGES THE ACCOUNT]" }
                    if let forEach = command.forEach { label += "  for each \(forEach)" }
                    if let assumption = command.assumption { label += "  if \(assumption)" }
                    lines.append(label)
                    lines.append("       " + ArgvDisplay.line(command.argv))
                    if !command.handling.isEmpty { lines.append("       (" + command.handling.joined(separator: "; ") + ")") }
                }
                if let analysis = step.analysis { lines.append("   analysis: \(analysis)") }
                lines.append("")
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ plan: RunbookPlan) -> String {
            let commands: [JSONValue] = plan.commands.map { command in
                var object = JSONObject()
                object["id"] = .string(command.id)
                object["step"] = .string(command.stepID)
                object["argv"] = .array(command.argv.map(JSONValue.string))
                object["mutates"] = .bool(command.mutates)
                if let assumption = command.assumption { object["if"] = .string(assumption) }
                if let forEach = command.forEach { object["foreach"] = .string(forEach) }
                if !command.pending.isEmpty { object["pending"] = .array(command.pending.map(JSONValue.string)) }
                if !command.handling.isEmpty { object["handling"] = .array(command.handling.map(JSONValue.string)) }
                return .object(object)
            }
            return JSONValue.array(commands).serialized(pretty: true)
        }
    }
}

/// Finds the runbook file: the path given, else Runbooks/access-denied.yaml in the current
/// directory or a parent, else next to (or above) the executable.
enum RunbookFile {
    static let defaultRelativePath = "Runbooks/access-denied.yaml"

    static func locate(_ given: String?) throws -> String {
        let manager = FileManager.default
        if let given {
            guard manager.fileExists(atPath: given) else { throw ValidationError("no such file: \(given)") }
            return given
        }
        var starts = [URL(fileURLWithPath: manager.currentDirectoryPath)]
        // The real path, not argv[0]: an installed binary is started by name through PATH (and a
        // symlink), and its runbook sits beside it (Scripts/install.sh).
        starts.append(BuildInfo.executablePath().deletingLastPathComponent())
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent(defaultRelativePath).path
                if manager.fileExists(atPath: candidate) {
                    return candidate.hasPrefix(manager.currentDirectoryPath + "/")
                        ? String(candidate.dropFirst(manager.currentDirectoryPath.count + 1)) : candidate
                }
                let parent = directory.deletingLastPathComponent()
                if parent == directory { break }
                directory = parent
            }
        }
        throw ValidationError("can't find \(defaultRelativePath); give the runbook file as an argument")
    }
}

/// Principal facts read off an IAM or STS ARN, so a plan can branch user/role without the
/// Evidence layer. A bare name gives only `principal.name`; pass `--fact principal.kind=...`.
enum PrincipalArn {
    static func facts(from principal: String) -> [String: String] {
        let parts = principal.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn" else { return ["principal.name": principal] }
        let partition = parts[1], service = parts[2], account = parts[4]
        let resource = parts[5].split(separator: "/").map(String.init)
        guard let type = resource.first, resource.count >= 2 else { return [:] }
        switch (service, type) {
        case ("iam", "user"):
            return ["principal.kind": "user", "principal.name": resource.last!, "principal.arn": principal,
                    "principal.account_id": account, "principal.event_username": resource.last!]
        case ("iam", "role"):
            return ["principal.kind": "role", "principal.name": resource.last!, "principal.arn": principal,
                    "principal.account_id": account, "principal.event_username": resource.last!]
        case ("sts", "assumed-role") where resource.count == 3:
            return ["principal.kind": "assumed_role", "principal.name": resource[1],
                    "principal.arn": "arn:\(partition):iam::\(account):role/\(resource[1])",
                    "principal.account_id": account, "principal.session_name": resource[2],
                    "principal.event_username": resource[2]]
        default:
            return [:]
        }
    }
}

