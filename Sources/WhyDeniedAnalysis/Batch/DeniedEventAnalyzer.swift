import WhyDeniedEvidence

/// Analyses denied CloudTrail events one at a time: builds the requests, picks the policies
/// from the account snapshot, evaluates, and recommends the fix. Never throws: a problem with
/// one event becomes that event's `Error` result.
///
/// ```swift
/// let analyzer = DeniedEventAnalyzer(catalog: .bundled, snapshot: SnapshotPolicySets(snapshot))
/// let analysis = analyzer.analyse(event)
/// ```
public struct DeniedEventAnalyzer: Sendable {
    public let catalog: ActionCatalog
    public let snapshot: SnapshotPolicySets?
    public let evaluator: PolicyEvaluator

    public init(catalog: ActionCatalog, snapshot: SnapshotPolicySets?) {
        self.catalog = catalog
        self.snapshot = snapshot
        let rcp = try? catalog.resourceControlPolicyServices()
        self.evaluator = PolicyEvaluator(options: rcp.map { EvaluationOptions(rcpSupportedServices: $0) } ?? EvaluationOptions())
    }

    /// - Parameter decoded: the decoded authorization message of this denial, when the session
    ///   has one: its context values are applied to the request as known values.
    public func analyse(_ event: CloudTrailEvent, decoded: DecodedAuthorization? = nil) -> EventAnalysis {
        var denied: DeniedRequest
        do {
            let known = snapshot?.snapshot.principalArnsByUniqueId ?? [:]
            // The tags' holder: the event's own ARN, or the role or user its unique id names.
            let uniqueId = event.userIdentity?.principalId.map { String($0.prefix { $0 != ":" }) }
            let holder = event.userIdentity?.policyHolderArn ?? uniqueId.flatMap { known[$0] }
            let tags = snapshot.flatMap { sets in
                holder.flatMap(PrincipalIdentity.init(arn:)).flatMap { sets.snapshot.principal(for: $0)?.tags }
            } ?? [:]
            denied = try DeniedRequest(event: event, catalog: catalog, principalTags: tags, knownPrincipals: known)
        } catch {
            return EventAnalysis(eventID: event.eventID, assessment: AssessmentResult.error, errorMessage: "\(error)")
        }
        return analyse(denied, errorMessage: event.errorMessage, decoded: decoded)
    }

    /// Evaluates a denied request however it was known (its event, or the reported message and
    /// parameters); `errorMessage` is AWS's text, read when there is no snapshot; `decoded`'s
    /// context values are applied as known values.
    public func analyse(_ denied: DeniedRequest, errorMessage: String?, decoded: DecodedAuthorization? = nil) -> EventAnalysis {
        var analysis = evaluate(denied, errorMessage: errorMessage, decoded: decoded)
        if let fix = analysis.fix {
            analysis.placements = FixPlacement.placements(for: fix) { arn in
                snapshot?.snapshot.fixTargetFacts(for: arn) ?? FixTargetFacts(arn: arn)
            }
        }
        return analysis
    }

    private func evaluate(_ denied: DeniedRequest, errorMessage: String?, decoded: DecodedAuthorization?) -> EventAnalysis {
        var denied = denied
        if let decoded { denied.apply(decoded, catalog: catalog) }
        if denied.call.basis == .permissionless {
            return EventAnalysis(eventID: denied.eventID, assessment: AssessmentResult.invalidAction, denied: denied,
                                 errorMessage: "\(denied.eventName) needs no IAM permission; the denial is not caused by a policy.",
                                 notes: denied.notes)
        }
        guard let snapshot else { return fromMessageOnly(errorMessage, denied) }

        var analysed: [AnalysedRequest] = []
        var notes = denied.notes
        var callerUnknown = false
        for request in denied.requests {
            do {
                let selection = try snapshot.policySet(for: request)
                notes += selection.notes.filter { !notes.contains($0) }
                if !selection.callerIsKnown { callerUnknown = true }
                analysed.append(AnalysedRequest(request: request, policies: selection.policies,
                                                result: evaluator.evaluate(request, against: selection.policies)))
            } catch {
                return EventAnalysis(eventID: denied.eventID, assessment: AssessmentResult.error, denied: denied,
                                     errorMessage: "\(error)", notes: notes)
            }
        }
        guard !analysed.isEmpty else {
            return EventAnalysis(eventID: denied.eventID, assessment: AssessmentResult.undecided, decision: .undecided, denied: denied,
                                 errorMessage: "No request could be built: " + notes.joined(separator: " "), notes: notes)
        }
        let deciding = Self.decidingRequest(analysed, preferring: denied.actionInErrorMessage)
        var decision = deciding.result.decision
        if callerUnknown, decision != .explicitDeny {
            // Without the caller's policies only an explicit Deny is certain.
            decision = .undecided
            notes.append("Verdict withheld: the caller's identity-based policies are not in the snapshot, and only an explicit Deny would be certain without them.")
        }
        let fix = decision == .undecided && deciding.result.decision != .undecided
            ? nil : LeastPrivilegeRecommender(catalog: catalog).recommend(for: denied, analysed: analysed)
        let assessment: String
        switch decision {
        case .explicitDeny: assessment = AssessmentResult.explicitDeny(in: deciding.result.deciding.statement?.policy.type ?? .identityBased)
        case .implicitDeny: assessment = AssessmentResult.missingAllow(blockedBy: deciding.result.blockedBy.map(\.policyType), crossAccount: denied.isCrossAccount)
        case .undecided: assessment = AssessmentResult.undecided
        case .allowed: assessment = AssessmentResult.allowed
        }
        let message: String? = switch decision {
        case .allowed: "whydenied could not find a reason for AccessDenied: the policies in the snapshot allow the call. They may have changed since the event, or a policy type the snapshot lacks denied it."
        case .undecided: deciding.result.decision == .undecided ? deciding.result.deciding.summary : notes.last
        default: nil
        }
        return EventAnalysis(eventID: denied.eventID, assessment: assessment, decision: decision, denied: denied, analysed: analysed,
                             deciding: deciding, fix: fix, errorMessage: message, notes: notes)
    }

    /// Without a snapshot only AWS's own words are known: the message tail, if it has one.
    private func fromMessageOnly(_ errorMessage: String?, _ denied: DeniedRequest) -> EventAnalysis {
        var notes = denied.notes
        notes.append("No account snapshot given: only the error message was read.")
        // A reported request carries the message as it was read; an event's text is read by the one parser.
        let reported: AuthorizationError? = if case .reported(let request) = denied.evidence { request.message } else { nil }
        let message = reported ?? errorMessage.flatMap(AuthorizationErrorParser.parseIfAuthorizationError)
        guard let verdict = AssessmentResult.from(message) else {
            return EventAnalysis(eventID: denied.eventID, assessment: AssessmentResult.undecided, decision: .undecided, denied: denied,
                                 errorMessage: "The error message does not say which policy type denied the call; give --account-snapshot to evaluate the policies.",
                                 notes: notes)
        }
        let fix = !verdict.explicit && verdict.type == .identityBased
            ? LeastPrivilegeRecommender(catalog: catalog).identityAllowFromMessage(for: denied) : nil
        return EventAnalysis(eventID: denied.eventID, assessment: verdict.assessment,
                             decision: verdict.explicit ? .explicitDeny : .implicitDeny, denied: denied, fix: fix, notes: notes)
    }

    /// The worst verdict wins (explicit deny, implicit deny, undecided, allowed); among equals,
    /// the action AWS named in the message.
    static func decidingRequest(_ analysed: [AnalysedRequest], preferring named: String?) -> AnalysedRequest {
        func rank(_ decision: Decision) -> Int {
            switch decision {
            case .explicitDeny: return 0
            case .implicitDeny: return 1
            case .undecided: return 2
            case .allowed: return 3
            }
        }
        let best = analysed.map { rank($0.result.decision) }.min() ?? 3
        let worst = analysed.filter { rank($0.result.decision) == best }
        if let named, let match = worst.first(where: { $0.request.action.caseInsensitiveCompare(named) == .orderedSame }) { return match }
        return worst[0]
    }
}
