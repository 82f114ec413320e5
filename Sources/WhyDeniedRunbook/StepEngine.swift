import WhyDeniedJSON

/// Walks a runbook step by step, deterministically and without side effects: it proposes what
/// to do next, and the caller (the headless runner or the TUI) does it and reports back. The
/// engine never starts a process or touches a terminal; it is a plain value you can copy,
/// compare and keep in a UI state.
///
/// Placeholders resolve from three sources: `params.*` (what the operator typed), `facts.*`
/// (what the caller worked out, see `FactCatalog`) and `captures.*` (what earlier commands
/// returned), plus the `foreach` variable. Each placeholder becomes part of exactly one argv
/// element, or a list spliced as several whole elements; nothing is ever joined into a shell line.
///
/// ```swift
/// var engine = StepEngine(runbook: runbook,
///                         parameters: ["principal": "DataAnalystRole", "region": "us-east-1", "time_frame": "1 hour ago"],
///                         facts: ["principal.kind": "role", "principal.name": "DataAnalystRole"])
/// loop: while true {
///     switch engine.next() {
///     case .checkTools(let request):
///         try engine.recordToolCheck(step: request.stepID, missing: request.tools.filter { !onPath($0) })
///     case .command(let command):          // show command.argv, confirm (twice if command.mutates), run
///         let result = run(command.argv)
///         try engine.record(CommandResult(commandID: command.id, exitStatus: result.status,
///                                          output: try? JSONValue.parse(result.stdout),
///                                          errorCode: AWSErrorCode.find(in: result.stderr),
///                                          parserCaptures: parse(command.parser, result)))
///     case .analysis(let request):
///         try engine.recordAnalysis(step: request.stepID, facts: analyse(request.name, engine.captures))
///     case .blocked(let blocked):
///         try engine.skip(command: blocked.id, reason: blocked.reason)
///     case .halted, .finished:
///         break loop                       // or retryCurrent() / skipStep / rerunStep
///     }
/// }
/// ```
public struct StepEngine: Sendable, Equatable {
    public let runbook: Runbook
    public private(set) var parameters: [String: String]
    public private(set) var facts: [String: JSONValue]
    public private(set) var captures: [String: JSONValue] = [:]
    public private(set) var history: [CommandRecord] = []
    /// Things worth telling the operator that are not failures (a capture that came back empty).
    public private(set) var notes: [String] = []

    private var statuses: [StepState]
    private var runs: [StepRun]
    private var cursor = Cursor(stepIndex: 0, stage: .entry)
    private var phase = Phase.running

    private struct StepRun: Sendable, Equatable {
        var attempted = 0
        var succeeded = false
        var failures = 0
        var failureReasons: [String] = []
        /// A `group` alternative that has started succeeding; the step ends when it is done.
        var groupInProgress: String?
    }

    private struct Cursor: Sendable, Equatable {
        var stepIndex: Int
        var stage: Stage
    }

    private enum Stage: Sendable, Equatable {
        case entry
        case checks
        case commands(index: Int, iteration: Int)
        case analysis
    }

    private enum Phase: Sendable, Equatable {
        case running
        case halted(Halt)
        case stopped
        case finished
    }

    /// - Parameters:
    ///   - parameters: the runbook's parameters by name; empty values count as not given.
    ///   - facts: values named in `FactCatalog` (strings, or any JSON such as a policy document).
    public init(runbook: Runbook, parameters: [String: String], facts: [String: JSONValue] = [:]) {
        self.runbook = runbook
        self.parameters = parameters.filter { !$0.value.isEmpty }
        self.facts = facts
        statuses = Array(repeating: .pending, count: runbook.steps.count)
        runs = Array(repeating: StepRun(), count: runbook.steps.count)
        settle()
    }

    /// Convenience for facts that are all text.
    public init(runbook: Runbook, parameters: [String: String], textFacts: [String: String]) {
        self.init(runbook: runbook, parameters: parameters, facts: textFacts.mapValues { .string($0) })
    }

    // MARK: - Reading the state

    /// Required parameters that have no value.
    public var missingParameters: [String] {
        runbook.parameters.filter { $0.required && parameters[$0.name] == nil }.map(\.name)
    }

    public func state(of stepID: String) -> StepState? {
        runbook.steps.firstIndex { $0.id == stepID }.map { statuses[$0] }
    }

    /// Every step with its status, in runbook order.
    public var stepStates: [(step: RunbookStep, status: StepState)] {
        Array(zip(runbook.steps, statuses))
    }

    /// The step the engine is in, nil once finished or stopped.
    public var currentStepID: String? {
        switch phase {
        case .running, .halted: runbook.steps.indices.contains(cursor.stepIndex) ? runbook.steps[cursor.stepIndex].id : nil
        case .stopped, .finished: nil
        }
    }

    /// What to do next. Calling it changes nothing.
    public func next() -> Proposal {
        switch phase {
        case .halted(let halt): return .halted(halt)
        case .stopped: return .finished(.stoppedByOperator)
        case .finished: return .finished(.completed)
        case .running: break
        }
        let step = runbook.steps[cursor.stepIndex]
        switch cursor.stage {
        case .entry:
            return .finished(.completed)   // settle() never leaves the cursor here while running
        case .checks:
            return .checkTools(ToolCheckRequest(stepID: step.id, tools: step.toolChecks))
        case .analysis:
            return .analysis(AnalysisRequest(stepID: step.id, name: step.analysis ?? ""))
        case .commands(let index, let iteration):
            let template = step.commands[index]
            let item = forEachItems(template)?[iteration]
            let id = Self.proposalID(step: step.id, command: template.id, iteration: template.forEach == nil ? nil : iteration + 1)
            switch resolve(template, item: item) {
            case .failure(let unresolved):
                return .blocked(BlockedCommand(id: id, stepID: step.id, commandID: template.id,
                                               reason: unresolved.description))
            case .success(let argv):
                return .command(ProposedCommand(
                    id: id, stepID: step.id, commandID: template.id,
                    iteration: template.forEach == nil ? nil : iteration + 1, item: item, argv: argv,
                    why: template.why, mutates: template.mutates, parser: template.parser,
                    timeoutSeconds: template.timeoutSeconds ?? runbook.defaults.timeoutSeconds,
                    environment: runbook.defaults.environment, pagination: template.pagination,
                    rateLimitPerSecond: template.rateLimitPerSecond, fallbackOn: template.fallbackOn,
                    answeredBy: template.answeredBy, captures: template.captures,
                    preconditions: template.preconditions, backup: template.backup, polling: template.polling,
                    account: template.account ?? step.account))
            }
        }
    }

    static func proposalID(step: String, command: String, iteration: Int?) -> String {
        "\(step).\(command)" + (iteration.map { "#\($0)" } ?? "")
    }

    // MARK: - Reporting back

    /// Reports a tool check: `missing` lists the tools not found on PATH.
    public mutating func recordToolCheck(step stepID: String, missing: [String]) throws(StepEngineError) {
        guard phase == .running, cursor.stage == .checks, runbook.steps[cursor.stepIndex].id == stepID else {
            throw .notProposed(expected: currentProposalID, got: "\(stepID)@checks")
        }
        if missing.isEmpty {
            cursor.stage = .commands(index: 0, iteration: 0)
        } else {
            let reason = "not found on PATH: " + missing.joined(separator: ", ")
            fail(reason: reason, at: "\(stepID)@checks") { engine in engine.cursor.stage = .commands(index: 0, iteration: 0) }
        }
        settle()
    }

    /// Reports the outcome of the command `next()` proposed. Applies `select:` captures to the
    /// JSON output and takes `from: parser` captures from `parserCaptures`; on failure applies
    /// `answered_by`, `fallback_on` and the step's `on_failure`.
    public mutating func record(_ outcome: CommandResult) throws(StepEngineError) {
        guard case .command(let command) = next(), command.id == outcome.commandID else {
            throw .notProposed(expected: currentProposalID, got: outcome.commandID)
        }
        guard case .commands(let index, let iteration) = cursor.stage else { return }
        let stepIndex = cursor.stepIndex
        let step = runbook.steps[stepIndex]
        let template = step.commands[index]
        runs[stepIndex].attempted += 1
        let answered = outcome.exitStatus != 0 && outcome.errorCode.map { template.answeredBy.contains($0) } == true
        if step.strategy == .firstSuccess, outcome.exitStatus == 0, template.fallbackIfEmpty,
           capturesAreEmpty(template, outcome: outcome) {
            // The source answered, with nothing: the next source may know more.
            history.append(CommandRecord(id: command.id, stepID: step.id, argv: command.argv, result: .fellBack(Self.emptyCode)))
            applyCaptures(template, outcome: outcome, item: command.item)
            runs[stepIndex].failureReasons.append("\(command.id): \(Self.emptyCode)")
            leaveAlternative(index: index, iteration: iteration)
        } else if outcome.exitStatus == 0 || answered {
            history.append(CommandRecord(id: command.id, stepID: step.id, argv: command.argv,
                                         result: answered ? .answered(outcome.errorCode ?? "") : .succeeded))
            applyCaptures(template, outcome: outcome, item: command.item)
            if step.strategy == .firstSuccess {
                if let group = template.group, step.commands.indices.contains(index + 1),
                   step.commands[index + 1].group == group || isMidLoop(template, iteration: iteration) {
                    runs[stepIndex].groupInProgress = group
                    advanceWithinStep(index: index, iteration: iteration)
                } else {
                    runs[stepIndex].succeeded = true
                    cursor.stage = .commands(index: step.commands.count, iteration: 0)
                }
            } else {
                runs[stepIndex].succeeded = true
                advanceWithinStep(index: index, iteration: iteration)
            }
        } else if step.strategy == .firstSuccess, outcome.cancelledByOperator {
            history.append(CommandRecord(id: command.id, stepID: step.id, argv: command.argv, result: .fellBack(Self.cancelledCode)))
            runs[stepIndex].failureReasons.append("\(command.id): \(Self.cancelledCode)")
            leaveAlternative(index: index, iteration: iteration)
        } else if step.strategy == .firstSuccess, let code = outcome.errorCode, template.fallbackOn.contains(code) {
            history.append(CommandRecord(id: command.id, stepID: step.id, argv: command.argv, result: .fellBack(code)))
            if let api = Self.cliOperation(command.argv) {
                facts[FactCatalog.unavailableSource(service: api.service, operation: api.operation)] = .string(code)
            }
            runs[stepIndex].failureReasons.append("\(command.id): \(code)")
            leaveAlternative(index: index, iteration: iteration)
        } else {
            history.append(CommandRecord(id: command.id, stepID: step.id, argv: command.argv, result: .failed(outcome.errorCode)))
            let reason = "\(command.id) failed with exit status \(outcome.exitStatus)" + (outcome.errorCode.map { " (\($0))" } ?? "")
            runs[stepIndex].failureReasons.append(reason)
            if template.optional {
                runs[stepIndex].failures += 1
                advanceWithinStep(index: index, iteration: iteration)
            } else {
                fail(reason: reason, at: command.id) { engine in engine.advanceWithinStep(index: index, iteration: iteration) }
            }
        }
        settle()
    }

    /// Reports the analysis `next()` asked for; `facts` are merged into the engine's facts
    /// (e.g. `fix.kind` from `recommend_fix`).
    public mutating func recordAnalysis(step stepID: String, facts newFacts: [String: JSONValue]) throws(StepEngineError) {
        guard phase == .running, cursor.stage == .analysis, runbook.steps[cursor.stepIndex].id == stepID else {
            throw .notProposed(expected: currentProposalID, got: "\(stepID)@analysis")
        }
        facts.merge(newFacts) { _, new in new }
        finishStep()
        settle()
    }

    /// Reports that the analysis could not be done; the step's `on_failure` applies.
    public mutating func failAnalysis(step stepID: String, reason: String) throws(StepEngineError) {
        guard phase == .running, cursor.stage == .analysis, runbook.steps[cursor.stepIndex].id == stepID else {
            throw .notProposed(expected: currentProposalID, got: "\(stepID)@analysis")
        }
        runs[cursor.stepIndex].failures += 1
        fail(reason: "analysis \(runbook.steps[cursor.stepIndex].analysis ?? ""): \(reason)", at: "\(stepID)@analysis") { engine in
            engine.finishStep()
        }
        settle()
    }

    /// Adds or replaces facts the caller learned (e.g. from pasted evidence) mid-run.
    public mutating func learn(facts newFacts: [String: JSONValue]) {
        facts.merge(newFacts) { _, new in new }
        settle()
    }

    // MARK: - Operator control

    /// Skips the proposed (or blocked, or halted-on) command; the run goes on with the next one.
    public mutating func skip(command id: String, reason: String) throws(StepEngineError) {
        let current = currentProposalID
        guard current == id, case .commands(let index, let iteration) = cursor.stage else {
            throw .notProposed(expected: current, got: id)
        }
        let step = runbook.steps[cursor.stepIndex]
        history.append(CommandRecord(id: id, stepID: step.id, argv: [], result: .skipped(reason)))
        if case .halted = phase {
            phase = .running
            statuses[cursor.stepIndex] = .active
        }
        advanceWithinStep(index: index, iteration: iteration)
        settle()
    }

    /// Marks a step skipped. The current step is left at once; a later one is passed over when
    /// the run gets there.
    public mutating func skipStep(_ stepID: String, reason: String) throws(StepEngineError) {
        guard let index = runbook.steps.firstIndex(where: { $0.id == stepID }) else { throw .unknownStep(stepID) }
        if phase == .finished || phase == .stopped || index < cursor.stepIndex { throw .stepAlreadyDone(stepID) }
        statuses[index] = .skipped(reason)
        if index == cursor.stepIndex {
            if case .halted = phase { phase = .running }
            moveToStep(index + 1)
        }
        settle()
    }

    /// Goes back to the start of a step (the current one, or one already behind): that step and
    /// every later one run again, and the captures they made are forgotten.
    public mutating func rerunStep(_ stepID: String) throws(StepEngineError) {
        guard let index = runbook.steps.firstIndex(where: { $0.id == stepID }) else { throw .unknownStep(stepID) }
        for later in index..<runbook.steps.count {
            statuses[later] = .pending
            runs[later] = StepRun()
            for command in runbook.steps[later].commands {
                for capture in command.captures { captures[capture.name] = nil }
            }
        }
        phase = .running
        moveToStep(index)
        settle()
    }

    /// After a halt: propose the same thing again (e.g. once credentials are fixed).
    /// A halt on a whole `first_success` step (no source answered) re-runs that step.
    public mutating func retryCurrent() {
        guard case .halted(let halt) = phase else { return }
        if halt.at == "\(halt.stepID)@commands" {
            try? rerunStep(halt.stepID)
            return
        }
        phase = .running
        statuses[cursor.stepIndex] = .active
        settle()
    }

    /// Ends the run; `next()` then says `.finished(.stoppedByOperator)`.
    public mutating func stop() {
        if phase == .finished { return }
        if runbook.steps.indices.contains(cursor.stepIndex), statuses[cursor.stepIndex] == .active {
            statuses[cursor.stepIndex] = .skipped("stopped by the operator")
        }
        phase = .stopped
    }

    // MARK: - Internals

    private var currentProposalID: String? {
        switch next() {
        case .command(let command): command.id
        case .blocked(let blocked): blocked.id
        case .analysis(let request): "\(request.stepID)@analysis"
        case .checkTools(let request): "\(request.stepID)@checks"
        case .halted(let halt): halt.at
        case .finished: nil
        }
    }

    /// Applies the step's on_failure; `continuing` moves the cursor on for `continue`.
    private mutating func fail(reason: String, at proposalID: String, continuing: (inout StepEngine) -> Void) {
        let stepIndex = cursor.stepIndex
        let step = runbook.steps[stepIndex]
        switch step.onFailure {
        case .stop:
            statuses[stepIndex] = .failed(reason)
            phase = .halted(Halt(stepID: step.id, at: proposalID, reason: reason))
        case .continue:
            runs[stepIndex].failures += 1
            continuing(&self)
        case .goto(let target):
            statuses[stepIndex] = .failed(reason)
            let targetIndex = runbook.steps.firstIndex { $0.id == target } ?? runbook.steps.count
            for between in (stepIndex + 1)..<max(stepIndex + 1, targetIndex) where statuses[between] == .pending {
                statuses[between] = .skipped("jumped to \(target) after \(step.id) failed")
            }
            moveToStep(targetIndex)
        }
    }

    /// The error code a `fallback_if_empty` command is recorded with when it found nothing.
    public static let emptyCode = "nothing found"
    /// Why a source the operator stopped was passed over.
    public static let cancelledCode = "cancelled by the operator"

    /// After a fallback: the rest of the command's `group` is passed over, the next alternative follows.
    /// `aws SERVICE OPERATION …` → service and operation (runbook argv name them first).
    static func cliOperation(_ argv: [String]) -> (service: String, operation: String)? {
        guard argv.count >= 3, argv[0] == "aws", !argv[1].hasPrefix("-"), !argv[2].hasPrefix("-") else { return nil }
        return (argv[1], argv[2])
    }

    private mutating func leaveAlternative(index: Int, iteration: Int) {
        let commands = runbook.steps[cursor.stepIndex].commands
        guard let group = commands[index].group else {
            advanceWithinStep(index: index, iteration: iteration)
            return
        }
        var next = index + 1
        while next < commands.count, commands[next].group == group { next += 1 }
        runs[cursor.stepIndex].groupInProgress = nil
        cursor.stage = .commands(index: next, iteration: 0)
    }

    private func isMidLoop(_ template: CommandTemplate, iteration: Int) -> Bool {
        guard let items = forEachItems(template) else { return false }
        return iteration + 1 < items.count
    }

    /// True when every capture of the command came back absent or empty.
    private func capturesAreEmpty(_ template: CommandTemplate, outcome: CommandResult) -> Bool {
        guard !template.captures.isEmpty else { return false }
        return template.captures.allSatisfy { spec in
            let value: JSONValue? = switch spec.source {
            case .select(let path): outcome.output.flatMap { path.select(in: $0) }
            case .parser: outcome.parserCaptures[spec.name]
            }
            switch value {
            case nil, .null?: return true
            case .array(let items)?: return items.isEmpty
            case .string(let text)?: return text.isEmpty
            case .object(let object)?: return object.entries.isEmpty
            default: return false
            }
        }
    }

    private mutating func advanceWithinStep(index: Int, iteration: Int) {
        let template = runbook.steps[cursor.stepIndex].commands[index]
        if let items = forEachItems(template), iteration + 1 < items.count {
            cursor.stage = .commands(index: index, iteration: iteration + 1)
        } else {
            cursor.stage = .commands(index: index + 1, iteration: 0)
        }
    }

    private mutating func moveToStep(_ index: Int) {
        cursor = Cursor(stepIndex: index, stage: .entry)
    }

    /// Ends the current step with the status its runs earned and moves on.
    private mutating func finishStep() {
        let index = cursor.stepIndex
        if statuses[index] == .active {
            statuses[index] = runs[index].failures > 0 ? .completedWithFailures : .completed
        }
        moveToStep(index + 1)
    }

    /// Moves the cursor past everything that needs no caller action: finished steps, steps and
    /// commands whose `when` is false, empty `foreach` loops.
    private mutating func settle() {
        while phase == .running {
            guard runbook.steps.indices.contains(cursor.stepIndex) else {
                phase = .finished
                return
            }
            let index = cursor.stepIndex
            let step = runbook.steps[index]
            switch cursor.stage {
            case .entry:
                if case .skipped = statuses[index] { moveToStep(index + 1); continue }
                if let when = step.when, when.evaluate(lookupSubject) != true {
                    statuses[index] = .notApplicable
                    moveToStep(index + 1)
                    continue
                }
                statuses[index] = .active
                cursor.stage = step.toolChecks.isEmpty ? .commands(index: 0, iteration: 0) : .checks
            case .checks:
                return
            case .commands(let commandIndex, let iteration):
                if let group = runs[index].groupInProgress,
                   commandIndex >= step.commands.count || step.commands[commandIndex].group != group {
                    // The alternative ran to its end: it is the step's answer.
                    runs[index].groupInProgress = nil
                    runs[index].succeeded = true
                    cursor.stage = .commands(index: step.commands.count, iteration: 0)
                    continue
                }
                if commandIndex >= step.commands.count {
                    let run = runs[index]
                    if step.strategy == .firstSuccess && !run.succeeded && run.attempted > 0 {
                        let reason = "no source answered: " + run.failureReasons.joined(separator: "; ")
                        runs[index].attempted = 0   // fail only once
                        fail(reason: reason, at: "\(step.id)@commands") { engine in
                            engine.cursor.stage = step.analysis == nil ? .entry : .analysis
                            if step.analysis == nil { engine.finishStep() }
                        }
                        continue
                    }
                    if step.analysis != nil { cursor.stage = .analysis } else { finishStep() }
                    continue
                }
                let template = step.commands[commandIndex]
                if iteration == 0, let when = template.when, when.evaluate(lookupSubject) != true {
                    cursor.stage = .commands(index: commandIndex + 1, iteration: 0)
                    continue
                }
                if let items = forEachItems(template), iteration >= items.count {
                    if items.isEmpty {
                        notes.append("\(step.id).\(template.id): nothing to do, the list " +
                                     (template.forEach?.items.map { "captures.\($0)" }.joined(separator: " + ") ?? "") + " is empty")
                    }
                    cursor.stage = .commands(index: commandIndex + 1, iteration: 0)
                    continue
                }
                return
            case .analysis:
                return
            }
        }
    }

    private func lookupSubject(_ subject: ConditionSubject) -> SubjectValue {
        switch subject {
        case .parameter(let name): parameters[name].map { .known(.string($0)) } ?? .absent
        case .fact(let name): facts[name].map { .known($0) } ?? .absent
        case .capture(let name): captures[name].map { .known($0) } ?? .absent
        }
    }

    /// The `foreach` list for a command (nil when it has no foreach): the named captures
    /// concatenated, duplicates dropped, cut at `max_items`.
    func forEachItems(_ template: CommandTemplate) -> [JSONValue]? {
        guard let spec = template.forEach else { return nil }
        var items: [JSONValue] = []
        for name in spec.items {
            switch captures[name] {
            case .array(let values)?: items.append(contentsOf: values)
            case nil, .null?: break
            case let value?: items.append(value)
            }
        }
        var seen = Set<JSONValue>()
        items = items.filter { seen.insert($0).inserted }
        return Array(items.prefix(spec.maxItems))
    }

    private func resolve(_ template: CommandTemplate, item: JSONValue?) -> Result<[String], UnresolvedPlaceholder> {
        var argv: [String] = []
        for element in template.argv {
            switch element.resolve({ reference in value(of: reference, loopVariable: template.forEach?.variable, item: item) }) {
            case .success(let parts): argv.append(contentsOf: parts)
            case .failure(let unresolved): return .failure(unresolved)
            }
        }
        return .success(argv)
    }

    private func value(of reference: PlaceholderReference, loopVariable: String?, item: JSONValue?) -> JSONValue? {
        switch reference {
        case .parameter(let name): return parameters[name].map(JSONValue.string)
        case .fact(let name): return facts[name]
        case .capture(let name, let path):
            guard let value = captures[name] else { return nil }
            return path.map { $0.select(in: value) } ?? value
        case .loopVariable(let name, let path):
            guard name == loopVariable, let item else { return nil }
            return path.map { $0.select(in: item) } ?? item
        }
    }

    private mutating func applyCaptures(_ template: CommandTemplate, outcome: CommandResult, item: JSONValue?) {
        for spec in template.captures {
            let value: JSONValue?
            switch spec.source {
            case .select(let path): value = outcome.output.flatMap { path.select(in: $0) }
            case .parser: value = outcome.parserCaptures[spec.name]
            }
            guard let value, !value.isNull else {
                if !spec.optional { notes.append("\(outcome.commandID): nothing to capture as \(spec.name)") }
                continue
            }
            if template.forEach != nil {
                var elements: [JSONValue] = if case .array(let values) = value { values } else { [value] }
                if spec.keepItem, let item {
                    elements = elements.map { .object(JSONObject([("item", item), ("value", $0)])) }
                }
                captures[spec.name] = .array((captures[spec.name]?.arrayValue ?? []) + elements)
                continue
            }
            switch (spec.kind, value) {
            case (.list, .array), (.object, .object), (.any, _), (.string, .string), (.string, .number), (.string, .bool):
                captures[spec.name] = value
            case (.list, _):
                captures[spec.name] = .array([value])
            default:
                notes.append("\(outcome.commandID): \(spec.name) should be \(spec.kind.rawValue), ignored")
            }
        }
    }
}
