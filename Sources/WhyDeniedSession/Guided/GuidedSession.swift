import Foundation
import WhyDeniedAnalysis
import WhyDeniedEvidence
import WhyDeniedJSON
import WhyDeniedRunbook

/// A runbook session as a value: the step engine plus what the session layer adds — the facts
/// worked out from the parameters, the named parsers applied to each output, the named analyses,
/// the transcript and the findings. It runs nothing itself: `nextStep()` says what to do, a
/// driver does it through `SessionEffects` and reports back with `record`, `recordTools`,
/// `runAnalysis`, `refuse` or `skip`. The headless `run` and the TUI drive the same value. (Its
/// only file access is the trail-log download folder, see `TrailLogDownloads`.)
///
/// ```swift
/// var session = GuidedSession(runbook: runbook, parameters: params, now: Date(), readOnly: true)
/// await session.runHeadless(effects: runner, journal: journal) { print($0) }
/// session.findings.decidingStatement   // "DenyOutsideCorporateNetwork"
/// ```
public struct GuidedSession: Sendable {
    public private(set) var engine: StepEngine
    public private(set) var transcript: [TranscriptEntry] = []
    public internal(set) var notes: [String]
    public private(set) var denials: DenialSummary?
    public private(set) var analysis: EventAnalysis?
    /// When the lookup found no denied event: why, from what the session read, each with the
    /// command that would change it (shown, never run by the session).
    public private(set) var whyNoEvent: [NoEventDiagnosis.Finding] = []
    /// What `sts decode-authorization-message` said, once the `decode_message` step has read it:
    /// the strongest evidence of the session; its context values go into the denied request.
    public private(set) var decodedAuthorization: DecodedAuthorization?
    /// Policy reads that failed or were skipped (the resource's policy, the principal's identity
    /// policies and boundary, per `foreach` item), by `FailedPolicyRead.key`: the evaluator gets
    /// them as unread policies, never as "no policy".
    public private(set) var failedPolicyReads: [String: FailedPolicyRead] = [:]
    public let readOnly: Bool
    /// Where trail log files are downloaded (`s3api get-object`); a journaled session sets its
    /// own folder, otherwise a private temporary folder is used.
    public var downloadDirectory: String
    private let catalog: ActionCatalog
    /// Classifies every command before it is offered: one the runbook calls read-only but the
    /// classifier cannot prove so is treated as a change.
    public let classifier: CommandClassifier
    /// Every read's latest answer, and when the account last changed (`StepRetry`).
    var answers = StepRetry.Answers()
    /// While a failed step is tried again: the reads that answered before, by command and argv,
    /// handed back once each instead of running again (`StepRetry`).
    var reusableReads: [StepRetry.ReadKey: CommandOutcome] = [:]

    /// The pasted error message as the parser read it, once, at the start: the facts, the
    /// denial summary and (without an event) the denied request are all built from this value.
    public let pastedDenial: AuthorizationError?

    /// `pasted`: the parser's reading of the pasted message when the caller already has it (the
    /// TUI's paste dialog); otherwise the `error_message` parameter is parsed here, once.
    /// `facts`: facts known before the first command besides those the parameters give (a live
    /// read of one VPC endpoint names it as `denial.vpc_endpoint_id`).
    public init(runbook: Runbook, parameters: [String: String], now: Date, readOnly: Bool,
                catalog: ActionCatalog = .bundled, pasted: PastedDenial? = nil, facts: [String: JSONValue] = [:]) {
        // Decoded authorization output is not an error text (it is read as the decoded message below).
        let decoded = pasted == nil ? parameters["error_message"].flatMap(DecodedAuthorization.readIfDecoded) : pasted?.decodedMessage
        let message = pasted == nil ? parameters["error_message"].flatMap {
            $0.isEmpty || decoded != nil ? nil : AuthorizationErrorParser.parseIfAuthorizationError($0)
        } : pasted?.errorMessage
        self.pastedDenial = message
        let derived = SessionFacts.fromParameters(parameters, message: message, now: now)
        engine = StepEngine(runbook: runbook, parameters: parameters, facts: derived.facts.merging(facts) { _, given in given })
        notes = derived.notes
        self.readOnly = readOnly
        self.catalog = catalog
        classifier = CommandClassifier(catalog: catalog)
        downloadDirectory = TrailLogDownloads.temporaryFolder()
        // Decoded output pasted as the error message: the best evidence, from the start.
        if let decoded {
            let read = DecodedMessageFacts.from(decoded)
            decodedAuthorization = decoded
            notes += read.notes
            engine.learn(facts: read.facts)
        }
    }

    public var missingParameters: [String] { engine.missingParameters }

    // MARK: What next

    public func nextStep() -> SessionStep {
        switch engine.next() {
        case .checkTools(let request): return .checkTools(request)
        case .command(let proposed):
            let command = classified(asWhom(proposed))
            if command.mutates && readOnly { return .refuseMutation(command) }
            return .run(command, Self.request(for: command))
        case .analysis(let request): return .analyse(request)
        case .blocked(let blocked): return .blocked(blocked)
        case .halted(let halt): return .halted(halt)
        case .finished(let completion): return .finished(completion)
        }
    }

    /// A command of the resource's account (`account: resource`) runs with the `resource_profile`
    /// parameter's profile when one is given: the resource's policy is read, and changed, by its
    /// owner's account.
    func asWhom(_ command: ProposedCommand) -> ProposedCommand {
        guard command.account == .resource, let profile = engine.parameters["resource_profile"], !profile.isEmpty else { return command }
        return command.runningWith(profile: profile)
    }

    /// The command as it will be offered: marked as a change when the classifier says it is one.
    func classified(_ command: ProposedCommand) -> ProposedCommand {
        command.mutates || !classifier.classify(command.argv).mutates ? command : command.markedMutating()
    }

    /// Whether the proposed command changes the account: the classifier's verdict, and a change
    /// whenever the runbook marks it as one.
    public func classification(of command: ProposedCommand) -> CommandClassification {
        let found = classifier.classify(command.argv)
        return command.mutates && !found.mutates ? .mutating("the runbook marks it mutates: true") : found
    }

    /// The runner's request for a proposed command: argv, timeout, paging, pacing.
    public static func request(for command: ProposedCommand) -> CommandRequest {
        var request = CommandRequest(argv: command.argv, timeout: .seconds(command.timeoutSeconds),
                       paging: command.pagination.map {
                           var paging = PageRequest(tokenArgument: $0.tokenArgument, tokenField: $0.tokenField, maxPages: $0.maxPages)
                           paging.itemsPath = $0.itemsPath
                           return paging
                       },
                       minimumInterval: command.rateLimitPerSecond.flatMap { $0 > 0 ? .milliseconds(Int(1000 / $0)) : nil },
                       mutates: command.mutates)
        request.polling = command.polling.map(PollRequest.init(_:))
        return request
    }

    // MARK: Reporting back

    public mutating func recordTools(step: String, missing: [String]) {
        if !missing.isEmpty { notes.append("Not on PATH: \(missing.joined(separator: ", ")).") }
        note { try $0.recordToolCheck(step: step, missing: missing) }
    }

    /// Feeds a command's outcome back: runs the command's named parser on its output and hands
    /// the engine the exit status, JSON output, error code and parser captures.
    /// `reused`: an answer read earlier in the session, handed back while a failed step is tried
    /// again; it ran once, so the transcript and the notes already have it.
    public mutating func record(_ outcome: CommandOutcome, for command: ProposedCommand, reused: Bool = false) {
        answers.note(outcome, for: command, answered: outcome.succeeded || Self.answer(outcome, for: command) != nil)
        if !reused {
            transcript.append(TranscriptEntry(commandID: command.id, stepID: command.stepID, argv: outcome.argv,
                                              mutates: command.mutates, result: .ran(outcome)))
            if let code = Self.answer(outcome, for: command) {
                notes.append("\(command.id): \(code) — an answer (nothing there), not a failure.")
            } else if let failure = outcome.failure {
                notes.append("\(command.id): \(failure.operatorMessage)")
            }
            if outcome.morePagesAvailable {
                notes.append("\(command.id): stopped after \(outcome.pagesRead) pages (the runbook's bound); more results exist.")
            }
        }
        let output = try? JSONValue.parse(outcome.stdout)
        let policyCaptures = FailedPolicyRead.policyCaptures(of: command)
        let item = FailedPolicyRead.itemText(command.item)
        for capture in policyCaptures {
            let read = FailedPolicyRead(argv: outcome.argv, reason: outcome.failure?.operatorMessage ?? "exit status \(Self.exitStatus(outcome))",
                                        capture: capture, item: item)
            let failed = !outcome.succeeded && Self.answer(outcome, for: command) == nil
            failedPolicyReads[read.key] = failed ? read : nil
        }
        var parserCaptures: [String: JSONValue] = [:]
        if outcome.succeeded, let parser = command.parser, let output {
            let declared = command.captures.filter { if case .parser = $0.source { return true } else { return false } }.map(\.name)
            let input = ParserInput(output: output, item: command.item, principalNames: principalNames,
                                    facts: engine.facts, parameters: engine.parameters,
                                    downloadDirectory: downloadDirectory,
                                    downloadedFile: parser == "cloudtrail_log_file" ? TrailLogDownloads.read(item: command.item) : nil)
            do {
                let parsed = try OutputParsers.parse(parser, input: input)
                parserCaptures = parsed.captures(for: declared)
                if parser == "trail_log_objects", parserCaptures.values.contains(where: { !($0.arrayValue?.isEmpty ?? true) }),
                   let problem = TrailLogDownloads.prepare(folder: downloadDirectory) {
                    notes.append("\(command.id): \(problem)")
                }
            } catch {
                notes.append("\(command.id): \(error.description)")
                for capture in policyCaptures {
                    let read = FailedPolicyRead(argv: outcome.argv, reason: "its output is not a policy: \(error.description)",
                                                capture: capture, item: item)
                    failedPolicyReads[read.key] = read
                }
            }
        }
        var cancelled = false
        if case .cancelled = outcome.ending { cancelled = true }
        let result = CommandResult(commandID: command.id, exitStatus: Self.exitStatus(outcome),
                                   output: output, errorCode: AWSErrorCode.find(in: outcome.stderr),
                                   parserCaptures: parserCaptures, cancelledByOperator: cancelled)
        note { try $0.record(result) }
    }

    /// A mutating command in a read-only session: recorded as refused (with the argv it would
    /// have run) and skipped. The rest of its step is passed over the same way: further changes
    /// are refused too, and the reads after a change (its verification) are skipped, since
    /// nothing changed.
    public mutating func refuse(_ command: ProposedCommand) {
        refuseOne(command)
        // Alternatives (first_success, e.g. look_up_events' Athena table) are independent sources: go on with the next.
        if engine.runbook.step(command.stepID)?.strategy == .firstSuccess { return }
        while true {
            switch engine.next() {
            case .command(let proposed) where proposed.stepID == command.stepID:
                let later = classified(asWhom(proposed))
                if later.mutates {
                    refuseOne(later)
                } else {
                    let reason = "nothing was changed (read-only session), so there is nothing to verify"
                    transcript.append(TranscriptEntry(commandID: later.id, stepID: later.stepID, argv: later.argv,
                                                      mutates: false, result: .skipped(reason: reason)))
                    note { try $0.skip(command: later.id, reason: reason) }
                }
            case .blocked(let blocked) where blocked.stepID == command.stepID:
                skip(blocked)
            default:
                return
            }
        }
    }

    private mutating func refuseOne(_ command: ProposedCommand) {
        let reason = "read-only session: not run (would have run: \(command.argv.joined(separator: " ")))"
        transcript.append(TranscriptEntry(commandID: command.id, stepID: command.stepID, argv: command.argv,
                                          mutates: true, result: .refused(reason: reason)))
        note { try $0.skip(command: command.id, reason: reason) }
    }

    public mutating func skip(_ blocked: BlockedCommand) {
        transcript.append(TranscriptEntry(commandID: blocked.id, stepID: blocked.stepID, argv: [], mutates: false,
                                          result: .skipped(reason: blocked.reason)))
        note { try $0.skip(command: blocked.id, reason: blocked.reason) }
    }

    /// A proposed command the operator chose not to run (a read-only one skipped with a reason,
    /// or a mutation declined in the dialog): recorded as skipped, and the session moves on.
    public mutating func skip(_ command: ProposedCommand, reason: String) {
        for capture in FailedPolicyRead.policyCaptures(of: command) {
            let read = FailedPolicyRead(argv: command.argv, reason: "not run: \(reason)", capture: capture,
                                        item: FailedPolicyRead.itemText(command.item))
            failedPolicyReads[read.key] = read
        }
        transcript.append(TranscriptEntry(commandID: command.id, stepID: command.stepID, argv: command.argv,
                                          mutates: command.mutates, result: .skipped(reason: reason)))
        note { try $0.skip(command: command.id, reason: reason) }
    }

    /// Runs the named analysis (pure) and reports its facts, or its failure, to the engine.
    public mutating func runAnalysis(_ request: AnalysisRequest) {
        switch request.name {
        case "summarize_denials":
            let diagnosis = NoEventDiagnosis.inputs(captures: engine.captures, facts: engine.facts,
                                                    parameters: engine.parameters, now: Date())
            do {
                let summary = try DenialSummary.summarize(captures: engine.captures, facts: engine.facts,
                                                          action: engine.parameters["action"])
                denials = summary
                whyNoEvent = summary.chosen == nil ? NoEventDiagnosis.diagnose(diagnosis) : []
                note { try $0.recordAnalysis(step: request.stepID, facts: summary.facts) }
            } catch {
                whyNoEvent = NoEventDiagnosis.diagnose(diagnosis)
                notes.append(error.description)
                note { try $0.failAnalysis(step: request.stepID, reason: error.description) }
            }
        case "evaluate_identity_policies":
            // The verdict needs identity and resource policies together; recommend_fix evaluates.
            note { try $0.recordAnalysis(step: request.stepID, facts: [:]) }
        case "evaluate_resource_policies":
            // Whose account owns the resource is known now: another's RCPs are read next.
            let facts = OrganizationPolicyReads.resourceAccountFacts(captures: engine.captures, facts: engine.facts)
            note { try $0.recordAnalysis(step: request.stepID, facts: facts) }
        case "recommend_fix":
            recommend(request)
        case "read_decoded_message":
            do {
                let read = try DecodedMessageFacts.derive(captures: engine.captures)
                decodedAuthorization = read.decoded
                notes += read.notes
                note { try $0.recordAnalysis(step: request.stepID, facts: read.facts) }
            } catch {
                notes.append(error.description)
                note { try $0.failAnalysis(step: request.stepID, reason: error.description) }
            }
        case "plan_trail_queries":
            let plan = TrailQueryFacts.derive(captures: engine.captures, facts: engine.facts, parameters: engine.parameters)
            notes += plan.notes
            note { try $0.recordAnalysis(step: request.stepID, facts: plan.facts) }
        default:
            note { try $0.failAnalysis(step: request.stepID, reason: "no analysis named \(request.name)") }
        }
    }

    /// Explains the chosen event; without one (none found, or the lookup skipped), the request
    /// reported by the pasted message and the parameters.
    private mutating func recommend(_ request: AnalysisRequest) {
        let snapshot = CapturedAccount.snapshot(captures: engine.captures, facts: engine.facts, failedReads: failedPolicyReads,
                                                parameters: engine.parameters, organizationNotInUse: organizationNotInUse)
        // What the organization reads said when it is not a policy (no organization, SCPs or RCPs not enabled).
        for kind in [OrganizationPolicyReads.Kind.serviceControlPolicies, .resourceControlPolicies, .resourceAccountControlPolicies] {
            notes += OrganizationPolicyReads.read(kind, captures: engine.captures, facts: engine.facts, parameters: engine.parameters,
                                                  failedReads: failedPolicyReads, notInUse: organizationNotInUse,
                                                  readerAccount: engine.captures["caller_account"]?.stringValue)
                .notes.filter { !notes.contains($0) }
        }
        // Whether the session's issuing call (and so its session policies) was found.
        notes += SessionPolicyReads.read(captures: engine.captures, facts: engine.facts, failedReads: failedPolicyReads)
            .notes.filter { !notes.contains($0) }
        let analyzer = DeniedEventAnalyzer(catalog: catalog, snapshot: snapshot.map(SnapshotPolicySets.init))
        let result: EventAnalysis
        if let event = denials?.chosen {
            result = analyzer.analyse(event, decoded: decodedAuthorization)
        } else {
            var reported: ReportedRequest
            do {
                reported = try ReportedDenial.request(message: pastedDenial, parameters: engine.parameters, facts: engine.facts)
            } catch {
                note { try $0.failAnalysis(step: request.stepID, reason: "no denied event was found, and \(error.description)") }
                return
            }
            // The resource profile's account owns the resource (its reads answered as it; an S3 ARN names none).
            if reported.resourceAccount == nil, let owner = engine.captures["resource_account"]?.stringValue {
                reported.resourceAccount = owner
            }
            do {
                let denied = try DeniedRequest(reported: reported, catalog: catalog)
                result = analyzer.analyse(denied, errorMessage: pastedDenial?.normalizedText ?? engine.parameters["error_message"],
                                          decoded: decodedAuthorization)
            } catch {
                note { try $0.failAnalysis(step: request.stepID, reason: "no denied event was found, and the reported request cannot be evaluated: \(error)") }
                return
            }
        }
        var analysed = result
        // A KMS denial: grants that name the caller without the operation, or the operation for someone else.
        if let denied = analysed.denied, analysed.decision?.isDenied == true, denied.requests.contains(where: { $0.action.lowercased().hasPrefix("kms:") }) {
            let grants = KMSGrantsParser.grants(engine.captures["key_grants"])
            let callerArns = [denied.principal.arn] + (denied.principal.roleArn.map { [$0] } ?? [])
            for action in Set(denied.requests.map(\.action)).sorted() where action.lowercased().hasPrefix("kms:") {
                let known = analysed.notes
                analysed.notes += KMSGrant.nearMisses(grants, action: action, callerArns: callerArns).filter { !known.contains($0) }
            }
        }
        analysis = analysed
        // Who owns the target of the change the implement step would make (the first policy to add).
        let owner = analysed.fix?.policiesToAdd.first.flatMap { add in
            analysed.placements.first { $0.targetArn == add.attachmentTargetArn }?.owner
        } ?? .direct
        let facts = analysed.fix.map {
            FixFacts.facts(for: $0, resourceService: engine.facts["resource.service"]?.stringValue,
                           resourceID: engine.facts["resource.id"]?.stringValue,
                           defaultVersions: FixFacts.defaultVersions(captures: engine.captures), owner: owner,
                           permissionSet: FixFacts.PermissionSetRead.from(captures: engine.captures))
        } ?? [:]
        if let withheld = facts["fix.not_applied"]?.stringValue, !notes.contains(withheld) { notes.append(withheld) }
        note { try $0.recordAnalysis(step: request.stepID, facts: facts) }
    }

    public mutating func stop() { engine.stop() }

    /// After a halt: propose the halted command again (e.g. once other credentials are in place).
    public mutating func retryHalted() { engine.retryCurrent() }

    /// Goes back to the start of a step (e.g. `implement`, to offer a declined change again):
    /// it proposes its commands anew, backups first, and the steps after it follow.
    public mutating func rerunStep(_ stepID: String) {
        reusableReads = [:]
        note { try $0.rerunStep(stepID) }
    }

    /// A note from the driver (e.g. a journal write that failed), shown with the findings.
    public mutating func addNote(_ note: String) { notes.append(note) }

    // MARK: Helpers

    private var principalNames: Set<String> {
        var names = Set<String>()
        for key in ["principal.name", "principal.session_name", "principal.arn"] {
            if let value = engine.facts[key]?.stringValue { names.insert(value) }
        }
        if let given = engine.parameters["principal"] { names.insert(given) }
        return names
    }

    /// Whether `describe-organization` answered that the reading account is in no organization.
    public var organizationNotInUse: Bool {
        transcript.contains { entry in
            guard entry.stepID == "check_iam", entry.commandID == "check_iam.organization", case .ran(let outcome) = entry.result else { return false }
            return AWSErrorCode.find(in: outcome.stderr) == "AWSOrganizationsNotInUseException"
        }
    }

    /// Engine misuse cannot happen through this type; if it ever does, it is a note, not a crash.
    private mutating func note(_ action: (inout StepEngine) throws -> Void) {
        do { try action(&engine) } catch { notes.append("session: \(error)") }
    }

    /// The error code when a failed command's error is an answer the runbook expects
    /// (`answered_by`, e.g. `NoSuchBucketPolicy`), nil otherwise.
    public static func answer(_ outcome: CommandOutcome, for command: ProposedCommand) -> String? {
        guard !outcome.succeeded, let code = AWSErrorCode.find(in: outcome.stderr), command.answeredBy.contains(code) else { return nil }
        return code
    }

    /// Exit status for the engine: the CLI's own, or the conventional shell code for how it ended.
    public static func exitStatus(_ outcome: CommandOutcome) -> Int32 {
        switch outcome.ending {
        // A poll that ended FAILED (or a page that is not JSON) fails though the CLI exited 0.
        case .exited(let code): return code == 0 && outcome.failure != nil ? 1 : code
        case .signalled(let signal): return 128 + signal
        case .timedOut: return 124
        case .cancelled: return 130
        case .notStarted: return 127
        }
    }
}
