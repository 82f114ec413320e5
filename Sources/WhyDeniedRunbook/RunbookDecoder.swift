import Foundation
import WhyDeniedJSON

/// Turns the YAML tree into a `Runbook`, collecting issues instead of stopping at the first.
/// References (placeholders, conditions, foreach items, goto targets) are checked in `validate`
/// once every step and capture is known.
struct RunbookDecoder {
    let file: String
    /// Decides which commands change the account; nil checks the structure only.
    let classifier: (any CommandClassifying)?
    private(set) var issues: [RunbookIssue] = []

    /// A reference found while decoding, checked later with its position.
    private struct PendingReference {
        var reference: PlaceholderReference
        var line: Int
        var loopVariable: String?
        var position: Int   // order of the command in the file
    }
    private struct PendingSubject {
        var subject: ConditionSubject
        var line: Int
        var position: Int
    }
    private struct PendingForEach {
        var items: [String]
        var line: Int
        var position: Int
    }
    private var references: [PendingReference] = []
    private var subjects: [PendingSubject] = []
    private var forEachItems: [PendingForEach] = []
    /// Capture name → (line, position, kind) of the command declaring it.
    private var captureDeclarations: [String: (line: Int, position: Int, kind: CaptureSpec.Kind)] = [:]
    private var gotoTargets: [(target: String, line: Int, stepIndex: Int)] = []
    private var commandPosition = 0
    private var stepLines: [String: Int] = [:]

    init(file: String, classifier: (any CommandClassifying)? = nil) {
        self.file = file
        self.classifier = classifier
    }

    // MARK: - Reporting

    mutating func report(_ node: YAMLTree, _ reason: String) {
        issues.append(RunbookIssue(file: file, line: node.line, column: node.column, reason: reason))
    }

    mutating func report(line: Int, _ reason: String) {
        issues.append(RunbookIssue(file: file, line: line, reason: reason))
    }

    // MARK: - Typed readers

    /// A mapping's entries by key, after reporting duplicate, unknown and missing keys.
    mutating func fields(of node: YAMLTree, in context: String, allowed: [String], required: [String])
        -> [String: YAMLTree]? {
        guard case .mapping(let pairs) = node.content else {
            report(node, "\(context) should be a mapping, found \(node.kindName)")
            return nil
        }
        var result: [String: YAMLTree] = [:]
        for (key, value) in pairs {
            guard case .scalar(let name, let isNull, _) = key.content, !isNull else {
                report(key, "keys in \(context) must be plain names")
                continue
            }
            if result[name] != nil {
                report(key, "duplicate key \"\(name)\" in \(context)")
                continue
            }
            if !allowed.contains(name) {
                let hint = Self.closest(name, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                report(key, "unknown key \"\(name)\" in \(context)\(hint)")
                continue
            }
            result[name] = value
        }
        for name in required where result[name] == nil {
            report(node, "\(context) is missing the required key \"\(name)\"")
        }
        return result
    }

    mutating func string(_ node: YAMLTree?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let text, let isNull, _) = node.content else {
            report(node, "\(what) should be a single value, found \(node.kindName)")
            return nil
        }
        if isNull {
            report(node, "\(what) is empty")
            return nil
        }
        return text
    }

    mutating func identifier(_ node: YAMLTree?, _ what: String, allowingHyphens: Bool = false) -> String? {
        guard let node, let text = string(node, what) else { return nil }
        let valid = text.count <= 64 && text.first.map { $0.isLetter && $0.isASCII } == true
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || (allowingHyphens && $0 == "-") }
        if !valid {
            let characters = allowingHyphens ? "letters, digits, _ and -" : "letters, digits and _"
            report(node, "\(what) \"\(text.prefix(80))\" should be a name of \(characters) (at most 64, starting with a letter)")
            return nil
        }
        return text
    }

    mutating func bool(_ node: YAMLTree?, _ what: String) -> Bool? {
        guard let node else { return nil }
        if case .scalar(let text, _, _) = node.content {
            switch text { case "true": return true; case "false": return false; default: break }
        }
        report(node, "\(what) should be true or false")
        return nil
    }

    mutating func integer(_ node: YAMLTree?, _ what: String, range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        if case .scalar(let text, _, _) = node.content, let value = Int(text) {
            if range.contains(value) { return value }
            report(node, "\(what) should be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        report(node, "\(what) should be a whole number")
        return nil
    }

    /// `60`, `"60s"`, `"2m"` → seconds.
    mutating func seconds(_ node: YAMLTree?, _ what: String) -> Int? {
        guard let node else { return nil }
        if case .scalar(let text, _, _) = node.content {
            var digits = text
            var factor = 1
            if text.hasSuffix("s") { digits = String(text.dropLast()) }
            else if text.hasSuffix("m") { digits = String(text.dropLast()); factor = 60 }
            if let value = Int(digits), value >= 1, value <= 3600 / factor { return value * factor }
        }
        report(node, "\(what) should be a duration from 1s to 3600s, such as 60 or \"60s\" or \"2m\"")
        return nil
    }

    mutating func list(_ node: YAMLTree?, _ what: String) -> [YAMLTree]? {
        guard let node else { return nil }
        guard case .sequence(let items) = node.content else {
            report(node, "\(what) should be a list, found \(node.kindName)")
            return nil
        }
        return items
    }

    /// A list of single values; a lone value is accepted as a one-element list.
    mutating func stringList(_ node: YAMLTree?, _ what: String) -> [String]? {
        guard let node else { return nil }
        if case .scalar = node.content { return string(node, what).map { [$0] } }
        guard let items = list(node, what) else { return nil }
        return items.compactMap { string($0, "an item of \(what)") }
    }

    // MARK: - Runbook

    mutating func decodeRunbook(_ root: YAMLTree) -> Runbook? {
        guard let top = fields(of: root, in: "the runbook",
                               allowed: ["schema", "id", "title", "version", "summary", "defaults", "parameters", "steps"],
                               required: ["schema", "id", "title", "parameters", "steps"]) else { return nil }
        if let schema = string(top["schema"], "schema"), schema != RunbookLoader.schema {
            report(top["schema"]!, "schema \"\(schema.prefix(80))\" is not supported; expected \"\(RunbookLoader.schema)\"")
        }
        let id = identifier(top["id"], "the runbook id", allowingHyphens: true) ?? ""
        let title = string(top["title"], "title") ?? ""
        let version = string(top["version"], "version") ?? "1"
        let summary = string(top["summary"], "summary") ?? ""
        var defaults = RunbookDefaults()
        if let node = top["defaults"], let values = fields(of: node, in: "defaults", allowed: ["timeout", "env"], required: []) {
            if let timeout = seconds(values["timeout"], "defaults.timeout") { defaults.timeoutSeconds = timeout }
            if let envNode = values["env"], case .mapping(let pairs) = envNode.content {
                for (key, value) in pairs {
                    guard let name = string(key, "an env name") else { continue }
                    if case .scalar(let text, _, _) = value.content { defaults.environment[name] = text }
                    else { report(value, "env \(name) should be a single value") }
                }
            } else if let envNode = values["env"] {
                report(envNode, "defaults.env should be a mapping of NAME: value")
            }
        }
        let parameters = decodeParameters(top["parameters"])
        let steps = decodeSteps(top["steps"])
        return Runbook(id: id, title: title, version: version, summary: summary, defaults: defaults,
                       parameters: parameters, steps: steps, source: file)
    }

    private mutating func decodeParameters(_ node: YAMLTree?) -> [RunbookParameter] {
        guard let items = list(node, "parameters") else { return [] }
        var parameters: [RunbookParameter] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard let values = fields(of: item, in: "a parameter", allowed: ["name", "label", "help", "required", "example"],
                                      required: ["name", "label"]) else { continue }
            guard let name = identifier(values["name"], "parameter name") else { continue }
            if let first = seen[name] {
                report(values["name"]!, "duplicate parameter \"\(name)\" (first defined on line \(first))")
                continue
            }
            seen[name] = item.line
            parameters.append(RunbookParameter(
                name: name, label: string(values["label"], "label") ?? name, help: string(values["help"], "help") ?? "",
                required: bool(values["required"], "required") ?? false, example: string(values["example"], "example"),
                line: item.line))
        }
        return parameters
    }

    private mutating func decodeSteps(_ node: YAMLTree?) -> [RunbookStep] {
        guard let items = list(node, "steps") else { return [] }
        if items.isEmpty, let node { report(node, "a runbook needs at least one step") }
        if items.count > 100, let node { report(node, "at most 100 steps are allowed, found \(items.count)"); return [] }
        var steps: [RunbookStep] = []
        for (index, item) in items.enumerated() {
            guard let values = fields(of: item, in: "a step",
                                      allowed: ["id", "title", "guidance", "when", "checks", "strategy", "on_failure", "commands_from", "commands",
                                                "analysis", "account"],
                                      required: ["id", "title", "guidance"]) else { continue }
            guard let id = identifier(values["id"], "step id") else { continue }
            if let first = stepLines[id] {
                report(values["id"]!, "duplicate step id \"\(id)\" (first defined on line \(first))")
                continue
            }
            stepLines[id] = item.line
            // Odd positions sit between commands, so a step's condition sees every earlier capture.
            let when = values["when"].flatMap { decodeCondition($0, position: commandPosition + 1) }
            var tools: [String] = []
            if let checkItems = list(values["checks"], "checks") {
                for check in checkItems {
                    guard let checkValues = fields(of: check, in: "a check", allowed: ["tool", "why"], required: ["tool"]) else { continue }
                    if let tool = string(checkValues["tool"], "tool") { tools.append(tool) }
                }
            }
            var strategy = StepStrategy.all
            if let node = values["strategy"], let text = string(node, "strategy") {
                if let parsed = StepStrategy(rawValue: text) { strategy = parsed }
                else { report(node, "strategy should be \"all\" or \"first_success\", found \"\(text.prefix(80))\"") }
            }
            let onFailure = values["on_failure"].flatMap { decodeFailurePolicy($0, stepIndex: index) } ?? .stop
            var commands = values["commands_from"].map { decodeCommandTable($0, stepID: id) } ?? []
            for command in decodeCommands(values["commands"], stepID: id) {
                if commands.contains(where: { $0.id == command.id }) {
                    report(line: command.line, "duplicate command id \"\(command.id)\" in step \"\(id)\": commands_from already gives it")
                } else {
                    commands.append(command)
                }
            }
            for command in commands where command.fallbackIfEmpty {
                if strategy != .firstSuccess {
                    report(line: command.line, "command \"\(command.id)\": fallback_if_empty needs the step's strategy: first_success")
                } else if command.captures.isEmpty {
                    report(line: command.line, "command \"\(command.id)\": fallback_if_empty needs a capture to judge emptiness by")
                }
            }
            let analysis = values["analysis"].flatMap { identifier($0, "analysis name") }
            if commands.isEmpty && analysis == nil && tools.isEmpty && values["commands"] == nil && values["commands_from"] == nil {
                report(item, "step \"\(id)\" has no commands, checks or analysis")
            }
            steps.append(RunbookStep(id: id, title: string(values["title"], "title") ?? id,
                                     guidance: string(values["guidance"], "guidance") ?? "", when: when,
                                     toolChecks: tools, strategy: strategy, onFailure: onFailure,
                                     commands: commands, analysis: analysis, line: item.line,
                                     account: values["account"].flatMap { decodeAccount($0) } ?? .caller))
        }
        return steps
    }

    /// The Swift tables a step can take its commands from (`commands_from`), by name.
    static let commandTables: [(name: String, commands: @Sendable () -> String)] = [
        (ResourcePolicyService.commandSource, ResourcePolicyService.runbookCommands),
        (FixApplications.commandSource, FixApplications.runbookCommands),
    ]

    /// `commands_from: resource_policy_services`: the commands rendered from a Swift table,
    /// decoded and checked like the file's own; an issue in them is reported at this line.
    private mutating func decodeCommandTable(_ node: YAMLTree, stepID: String) -> [CommandTemplate] {
        guard let name = identifier(node, "commands_from") else { return [] }
        guard let table = Self.commandTables.first(where: { $0.name == name }) else {
            report(node, "commands_from names no command table (known: \(Self.commandTables.map(\.name).joined(separator: ", ")))")
            return []
        }
        switch YAMLTree.parse(table.commands(), file: name) {
        case .failure(let error):
            report(node, "commands_from \(name): \(error)")
            return []
        case .success(let tree):
            let before = issues.count
            let commands = decodeCommands(tree, stepID: stepID)
            for index in issues.indices.dropFirst(before) {
                issues[index] = RunbookIssue(file: file, line: node.line, column: node.column,
                                             reason: "commands_from \(name), line \(issues[index].line): \(issues[index].reason)")
            }
            return commands.map { command in
                var located = command
                located.line = node.line
                return located
            }
        }
    }

    /// `account: caller` or `account: resource`.
    private mutating func decodeAccount(_ node: YAMLTree) -> CommandAccount? {
        guard let text = string(node, "account") else { return nil }
        guard let account = CommandAccount(rawValue: text) else {
            report(node, "account should be \"caller\" or \"resource\", found \"\(text.prefix(80))\"")
            return nil
        }
        return account
    }

    private mutating func decodeFailurePolicy(_ node: YAMLTree, stepIndex: Int) -> FailurePolicy? {
        if case .scalar(let text, _, _) = node.content {
            switch text {
            case "stop": return .stop
            case "continue": return .continue
            default:
                report(node, "on_failure should be stop, continue or {goto: STEP_ID}, found \"\(text.prefix(80))\"")
                return nil
            }
        }
        guard let values = fields(of: node, in: "on_failure", allowed: ["goto"], required: ["goto"]),
              let target = identifier(values["goto"], "goto target") else { return nil }
        gotoTargets.append((target, values["goto"]!.line, stepIndex))
        return .goto(target)
    }

    // MARK: - Commands

    private mutating func decodeCommands(_ node: YAMLTree?, stepID: String) -> [CommandTemplate] {
        guard let items = list(node, "commands") else { return [] }
        var commands: [CommandTemplate] = []
        var seen: [String: Int] = [:]
        for item in items {
            commandPosition += 2
            let position = commandPosition
            guard let values = fields(
                of: item, in: "a command",
                allowed: ["id", "why", "argv", "when", "foreach", "mutates", "parser", "timeout", "paginate", "rate_limit",
                          "fallback_on", "answered_by", "capture", "preconditions", "backup", "poll", "group",
                          "fallback_if_empty", "optional", "account"],
                required: ["id", "why", "argv"]) else { continue }
            guard let id = identifier(values["id"], "command id") else { continue }
            if let first = seen[id] {
                report(values["id"]!, "duplicate command id \"\(id)\" in step \"\(stepID)\" (first defined on line \(first))")
                continue
            }
            seen[id] = item.line
            let forEach = values["foreach"].flatMap { decodeForEach($0, position: position) }
            let argv = decodeArgv(values["argv"], loopVariable: forEach?.variable, position: position)
            let mutates = bool(values["mutates"], "mutates") ?? false
            if let argvNode = values["argv"] { checkMutation(argv, declared: mutates, node: argvNode, commandID: id) }
            let optional = bool(values["optional"], "optional") ?? false
            if optional, mutates, let node = values["optional"] {
                report(node, "command \"\(id)\" changes the account and cannot be optional: a failed change must stop the step")
            }
            var pagination: Pagination?
            if let node = values["paginate"],
               let page = fields(of: node, in: "paginate", allowed: ["token_arg", "token_field", "max_pages", "items"], required: []) {
                pagination = Pagination(tokenArgument: string(page["token_arg"], "token_arg") ?? "--starting-token",
                                        tokenField: string(page["token_field"], "token_field") ?? "NextToken",
                                        maxPages: integer(page["max_pages"], "max_pages", range: 1...100) ?? 10,
                                        itemsPath: page["items"].flatMap { path($0, "paginate items") })
            }
            let polling = values["poll"].flatMap { decodePolling($0) }
            if polling != nil, pagination != nil, let node = values["poll"] {
                report(node, "command \"\(id)\" has both poll and paginate; read the pages with a following command")
            }
            let group = values["group"].flatMap { identifier($0, "group name") }
            if let group, let previous = commands.last, previous.group != group, commands.contains(where: { $0.group == group }) {
                report(values["group"]!, "group \"\(group)\" is split: its commands must follow one another")
            }
            var rateLimit: Double?
            if let node = values["rate_limit"] {
                if let perSecond = integer(node, "rate_limit (requests per second)", range: 1...100) { rateLimit = Double(perSecond) }
            }
            let captures = decodeCaptures(values["capture"], inForEach: forEach != nil, position: position)
            let when = values["when"].flatMap { decodeCondition($0, position: position) }
            commands.append(CommandTemplate(
                id: id, why: string(values["why"], "why") ?? "", argv: argv, when: when, forEach: forEach,
                mutates: mutates, parser: values["parser"].flatMap { identifier($0, "parser name") },
                timeoutSeconds: seconds(values["timeout"], "timeout"), pagination: pagination,
                rateLimitPerSecond: rateLimit, fallbackOn: stringList(values["fallback_on"], "fallback_on") ?? [],
                answeredBy: stringList(values["answered_by"], "answered_by") ?? [], captures: captures,
                preconditions: (stringList(values["preconditions"], "preconditions") ?? []),
                backup: bool(values["backup"], "backup") ?? false, line: item.line, polling: polling, group: group,
                fallbackIfEmpty: bool(values["fallback_if_empty"], "fallback_if_empty") ?? false,
                optional: optional, account: values["account"].flatMap { decodeAccount($0) }))
        }
        return commands
    }

    private mutating func path(_ node: YAMLTree, _ what: String) -> JSONPath? {
        guard let text = string(node, what) else { return nil }
        do { return try JSONPath(text) } catch {
            report(node, "\(what): \(error.description)")
            return nil
        }
    }

    // MARK: - Polling

    private mutating func decodePolling(_ node: YAMLTree) -> Polling? {
        guard let values = fields(of: node, in: "poll",
                                  allowed: ["select", "until", "fail_on", "reason", "max_attempts", "interval"],
                                  required: ["select", "until"]) else { return nil }
        let select = values["select"].flatMap { path($0, "poll select") }
        let until = stringList(values["until"], "poll until") ?? []
        if until.isEmpty, let untilNode = values["until"] { report(untilNode, "poll until needs at least one value") }
        let failOn = stringList(values["fail_on"], "poll fail_on") ?? []
        for value in failOn where !until.contains(value) {
            report(values["fail_on"]!, "poll fail_on value \"\(value.prefix(80))\" is not one of until (\(until.joined(separator: ", ")))")
        }
        let reason = values["reason"].flatMap { path($0, "poll reason") }
        let attempts = values["max_attempts"].map { integer($0, "poll max_attempts", range: 1...200) } ?? 30
        var first = 1000, longest = 10_000
        if let intervalNode = values["interval"] {
            guard let interval = pollInterval(intervalNode) else { return nil }
            (first, longest) = interval
        }
        guard let select, !until.isEmpty, let attempts else { return nil }
        return Polling(select: select, until: until, failOn: failOn, reason: reason, maxAttempts: attempts,
                       firstIntervalMilliseconds: first, longestIntervalMilliseconds: longest)
    }

    /// `2s` (fixed) or `1s..10s` (doubling from the first to the longest); `500ms`, `1s`, `1m`; 100 ms – 5 min.
    private mutating func pollInterval(_ node: YAMLTree) -> (Int, Int)? {
        guard let text = string(node, "poll interval") else { return nil }
        let parts = text.components(separatedBy: "..")
        let values = parts.map(Self.milliseconds)
        guard parts.count <= 2, let first = values.first ?? nil, let longest = values.last ?? nil,
              (100...300_000).contains(first), (100...300_000).contains(longest) else {
            report(node, "poll interval should be a duration such as \"2s\" or a range \"1s..10s\" (each 100ms to 5m), found \"\(text.prefix(80))\"")
            return nil
        }
        guard first <= longest else {
            report(node, "poll interval \"\(text.prefix(80))\" starts longer than it ends")
            return nil
        }
        return (first, longest)
    }

    static func milliseconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, factor) in [("ms", 1), ("s", 1000), ("m", 60_000)] where trimmed.hasSuffix(suffix) {
            guard let value = Int(trimmed.dropLast(suffix.count)), value >= 0, value <= 10_000_000 / factor else { return nil }
            return value * factor
        }
        return nil
    }

    private mutating func decodeArgv(_ node: YAMLTree?, loopVariable: String?, position: Int) -> [ArgumentTemplate] {
        guard let node, let items = list(node, "argv") else { return [] }
        if items.isEmpty { report(node, "argv is empty") }
        if items.count > 200 { report(node, "argv has \(items.count) elements; at most 200 are allowed"); return [] }
        var argv: [ArgumentTemplate] = []
        for (index, item) in items.enumerated() {
            guard let text = string(item, "an argv element") else { continue }
            do {
                let template = try ArgumentTemplate(text)
                if index == 0 && !template.placeholders.isEmpty {
                    report(item, "the program (argv[0]) must be written out, not a placeholder")
                }
                for reference in template.placeholders {
                    references.append(PendingReference(reference: reference, line: item.line,
                                                       loopVariable: loopVariable, position: position))
                }
                argv.append(template)
            } catch {
                report(item, error.reason)
            }
        }
        return argv
    }

    /// An `aws` command names its service and operation literally; a command the classifier
    /// finds changing the account (or cannot prove read-only) must be marked `mutates: true`.
    private mutating func checkMutation(_ argv: [ArgumentTemplate], declared: Bool, node: YAMLTree, commandID: String) {
        let words = argv.map(\.description)
        let line = AWSCommandLine(words)
        if line.isAWS {
            guard let service = line.service, let operation = line.operation else {
                report(node, "command \"\(commandID)\": an aws command needs a service and an operation")
                return
            }
            if [service, operation].contains(where: { $0.contains("{{") }) {
                report(node, "command \"\(commandID)\": the aws service and operation must be written out, not placeholders")
                return
            }
        }
        guard !declared, let classifier else { return }
        let classification = classifier.classify(words)
        if classification.mutates {
            report(node, "command \"\(commandID)\" changes the account (\(classification.reason)) and must say mutates: true")
        }
    }

    private mutating func decodeForEach(_ node: YAMLTree, position: Int) -> ForEachSpec? {
        guard let values = fields(of: node, in: "foreach", allowed: ["items", "as", "max_items"], required: ["items", "as"]) else {
            return nil
        }
        guard let variable = identifier(values["as"], "foreach variable") else { return nil }
        if ["params", "facts", "captures"].contains(variable) {
            report(values["as"]!, "foreach variable can't be called \"\(variable)\"")
            return nil
        }
        var captureNames: [String] = []
        for text in stringList(values["items"], "foreach items") ?? [] {
            let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
            guard trimmed.hasPrefix("captures."), !trimmed.dropFirst("captures.".count).contains(".") else {
                report(values["items"]!, "foreach items should name list captures as captures.NAME, found \"\(text.prefix(80))\"")
                continue
            }
            captureNames.append(String(trimmed.dropFirst("captures.".count)))
        }
        if captureNames.isEmpty { return nil }
        forEachItems.append(PendingForEach(items: captureNames, line: values["items"]!.line, position: position))
        let maxItems = integer(values["max_items"], "max_items", range: 1...1000) ?? 25
        return ForEachSpec(items: captureNames, variable: variable, maxItems: maxItems)
    }

    private mutating func decodeCaptures(_ node: YAMLTree?, inForEach: Bool, position: Int) -> [CaptureSpec] {
        guard let items = list(node, "capture") else { return [] }
        var captures: [CaptureSpec] = []
        for item in items {
            guard let values = fields(of: item, in: "a capture",
                                      allowed: ["name", "select", "from", "type", "optional", "keep_item"],
                                      required: ["name"]) else { continue }
            guard let name = identifier(values["name"], "capture name") else { continue }
            var source: CaptureSpec.Source?
            switch (values["select"], values["from"]) {
            case (let select?, nil):
                if let text = string(select, "select") {
                    do { source = .select(try JSONPath(text)) } catch { report(select, error.description) }
                }
            case (nil, let from?):
                if let text = string(from, "from") {
                    if text == "parser" { source = .parser } else { report(from, "from should be \"parser\"") }
                }
            case (_?, _?):
                report(item, "capture \"\(name)\" has both select and from; give one")
            case (nil, nil):
                report(item, "capture \"\(name)\" needs select: PATH or from: parser")
            }
            var kind = CaptureSpec.Kind.any
            if let typeNode = values["type"], let text = string(typeNode, "type") {
                if let parsed = CaptureSpec.Kind(rawValue: text) { kind = parsed }
                else { report(typeNode, "type should be string, list, object or any, found \"\(text.prefix(80))\"") }
            }
            if inForEach && kind != .list {
                report(item, "capture \"\(name)\" is inside a foreach, so it collects a list: say type: list")
            }
            let keepItem = bool(values["keep_item"], "keep_item") ?? false
            if keepItem && !inForEach { report(values["keep_item"]!, "keep_item only makes sense inside a foreach") }
            if let first = captureDeclarations[name] {
                report(values["name"]!, "duplicate capture \"\(name)\" (first defined on line \(first.line))")
                continue
            }
            guard let source else { continue }
            captureDeclarations[name] = (item.line, position, kind)
            captures.append(CaptureSpec(name: name, source: source, kind: kind,
                                        optional: bool(values["optional"], "optional") ?? false, keepItem: keepItem))
        }
        return captures
    }

    // MARK: - Conditions

    mutating func decodeCondition(_ node: YAMLTree, position: Int, depth: Int = 0) -> WhenCondition? {
        if depth > 16 {
            report(node, "conditions nested deeper than 16 levels")
            return nil
        }
        guard case .mapping(let pairs) = node.content else {
            report(node, "a when condition should be a mapping such as {fact: principal.kind, equals: user}")
            return nil
        }
        let keys = pairs.compactMap { pair -> String? in
            if case .scalar(let text, _, _) = pair.key.content { text } else { nil }
        }
        if keys.contains("all") || keys.contains("any") {
            let key = keys.contains("all") ? "all" : "any"
            guard let values = fields(of: node, in: "a when condition", allowed: [key], required: [key]),
                  let items = list(values[key], key) else { return nil }
            if items.isEmpty { report(node, "\(key) needs at least one condition") }
            let inner = items.compactMap { decodeCondition($0, position: position, depth: depth + 1) }
            return key == "all" ? .all(inner) : .any(inner)
        }
        if keys.contains("not") {
            guard let values = fields(of: node, in: "a when condition", allowed: ["not"], required: ["not"]),
                  let inner = values["not"].flatMap({ decodeCondition($0, position: position, depth: depth + 1) }) else { return nil }
            return .not(inner)
        }
        guard let values = fields(of: node, in: "a when condition",
                                  allowed: ["fact", "param", "capture", "equals", "in", "present", "contains"], required: []) else { return nil }
        let subjectKeys = ["fact", "param", "capture"].filter { values[$0] != nil }
        let testKeys = ["equals", "in", "present", "contains"].filter { values[$0] != nil }
        guard subjectKeys.count == 1 else {
            report(node, "a when condition names exactly one of fact, param, capture (or uses all/any/not)")
            return nil
        }
        guard testKeys.count == 1 else {
            report(node, "a when condition has exactly one of equals, in, present, contains")
            return nil
        }
        guard let name = string(values[subjectKeys[0]], subjectKeys[0]) else { return nil }
        let subject: ConditionSubject = switch subjectKeys[0] {
        case "fact": .fact(name)
        case "param": .parameter(name)
        default: .capture(name)
        }
        subjects.append(PendingSubject(subject: subject, line: values[subjectKeys[0]]!.line, position: position))
        switch testKeys[0] {
        case "equals":
            return string(values["equals"], "equals").map { .test(subject, .equals($0)) }
        case "contains":
            return string(values["contains"], "contains").map { .test(subject, .contains($0)) }
        case "in":
            guard let options = list(values["in"], "in") else { return nil }
            return .test(subject, .oneOf(options.compactMap { string($0, "an item of in") }))
        default:
            return bool(values["present"], "present").map { .test(subject, .present($0)) }
        }
    }

    // MARK: - Cross-references

    mutating func validate(_ runbook: Runbook) {
        let parameterNames = Set(runbook.parameters.map(\.name))
        for name in ["principal", "time_frame", "region"] where runbook.id == "access-denied" && !parameterNames.contains(name) {
            report(line: 1, "the access-denied runbook must declare the parameter \"\(name)\"")
        }
        for pending in references {
            switch pending.reference {
            case .parameter(let name):
                if !parameterNames.contains(name) {
                    report(line: pending.line, "{{params.\(name)}} names no parameter" + Self.suggestion(name, parameterNames))
                }
            case .fact(let name):
                if !FactCatalog.isKnown(name) {
                    report(line: pending.line, "{{facts.\(name)}} names no known fact" + Self.suggestion(name, Set(FactCatalog.facts.keys)))
                }
            case .capture(let name, _):
                checkCapture(name, line: pending.line, position: pending.position, what: "{{captures.\(name)}}")
            case .loopVariable(let name, _):
                if pending.loopVariable != name {
                    let hint = pending.loopVariable.map { " (this command's foreach variable is \"\($0)\")" }
                        ?? "; use params., facts. or captures., or add a foreach"
                    report(line: pending.line, "{{\(pending.reference)}} names no parameter, fact, capture or loop variable\(hint)")
                }
            }
        }
        for pending in subjects {
            switch pending.subject {
            case .parameter(let name):
                if !parameterNames.contains(name) { report(line: pending.line, "when: param \"\(name)\" names no parameter") }
            case .fact(let name):
                if !FactCatalog.isKnown(name) { report(line: pending.line, "when: fact \"\(name)\" names no known fact") }
            case .capture(let name):
                checkCapture(name, line: pending.line, position: pending.position, what: "when: capture \"\(name)\"", sameCommandAllowed: false)
            }
        }
        for pending in forEachItems {
            for name in pending.items {
                guard let declaration = captureDeclarations[name] else {
                    report(line: pending.line, "foreach items: captures.\(name) names no capture")
                    continue
                }
                if declaration.kind != .list {
                    report(line: pending.line, "foreach items: captures.\(name) is not a list capture (it is declared with type: \(declaration.kind.rawValue) on line \(declaration.line))")
                } else if declaration.position >= pending.position {
                    report(line: pending.line, "foreach items: captures.\(name) is captured only later, on line \(declaration.line)")
                }
            }
        }
        let stepIndex = Dictionary(runbook.steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (target, line, from) in gotoTargets {
            guard let index = stepIndex[target] else {
                report(line: line, "goto \"\(target)\" names no step")
                continue
            }
            if index <= from { report(line: line, "goto \"\(target)\" must name a later step") }
        }
    }

    private mutating func checkCapture(_ name: String, line: Int, position: Int, what: String, sameCommandAllowed: Bool = false) {
        guard let declaration = captureDeclarations[name] else {
            report(line: line, "\(what) names no capture" + Self.suggestion(name, Set(captureDeclarations.keys)))
            return
        }
        if declaration.position > position || (declaration.position == position && !sameCommandAllowed) {
            report(line: line, "\(what) is used before it is captured (on line \(declaration.line))")
        }
    }

    // MARK: - Hints

    private static func suggestion(_ name: String, _ candidates: Set<String>) -> String {
        closest(name, in: candidates.sorted()).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    static func closest(_ name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(name, $0)) }.filter { $0.1 <= max(2, name.count / 4) }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard a.count < 200, b.count < 200 else { return Int.max }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
