/// Checks one statement against the request and writes its `StatementTrace`.
///
/// ```swift
/// let evaluator = StatementEvaluator(request: request, callerHasBoundary: false)
/// let trace = evaluator.evaluate(statement, in: document, policy: reference)
/// trace.outcome   // .matched
/// ```
public struct StatementEvaluator: Sendable {
    public var request: AuthorizationRequest
    /// The NotPrincipal-with-Deny quirk needs to know whether the caller has a boundary.
    public var callerHasBoundary: Bool

    public init(request: AuthorizationRequest, callerHasBoundary: Bool) {
        self.request = request
        self.callerHasBoundary = callerHasBoundary
    }

    public func evaluate(_ statement: PolicyStatement, in document: PolicyDocument, policy: PolicyReference) -> StatementTrace {
        let resolver = PolicyVariableResolver(context: request.context, enabled: document.supportsPolicyVariables)

        let (actionTruth, actionCheck) = checkAction(statement.action)
        let (resourceTruth, resourceCheck) = checkResource(statement.resource, resolver: resolver)
        var principalTruth = Truth.yes
        var principalCheck: ElementCheck?
        var principalKind: PrincipalMatchKind?
        if policy.type.namesPrincipals {
            let (truth, check, kind) = checkPrincipal(statement)
            principalTruth = truth
            principalCheck = check
            principalKind = kind
        }
        let conditionEvaluator = ConditionEvaluator(variables: resolver)
        var conditionTruths: [Truth] = []
        var conditionChecks: [ConditionCheck] = []
        for clause in statement.conditions {
            let (truth, check) = conditionEvaluator.evaluate(clause)
            conditionTruths.append(truth)
            conditionChecks.append(check)
        }
        let conditionTruth = Truth.all(conditionTruths)
        let overall = Truth.all([actionTruth, resourceTruth, principalTruth, conditionTruth])

        let reason: String
        switch overall {
        case .yes:
            reason = "applies: \(actionCheck.element), \(resourceCheck?.element ?? "resource")\(principalCheck.map { ", \($0.element)" } ?? "") and every condition match"
        case .no:
            if actionTruth.isNo { reason = "\(actionCheck.element) does not cover \(request.action)" }
            else if resourceTruth.isNo { reason = "\(resourceCheck?.element ?? "Resource") does not cover \(resourceCheck?.requestValue ?? "the resource")" }
            else if principalTruth.isNo { reason = "\(principalCheck?.element ?? "Principal") does not name the caller" }
            else if let failed = conditionChecks.first(where: { $0.outcome == .notMatched }) {
                reason = "condition \(failed.operator) \(failed.key) is not met"
            } else { reason = "does not apply" }
        case .unknown(let keys):
            reason = "depends on \(keys.sorted().joined(separator: ", ")), which the request context does not give"
        }
        return StatementTrace(policy: policy, statement: StatementReference(statement), effect: statement.effect,
                              outcome: overall.outcome, action: actionCheck, resource: resourceCheck,
                              principal: principalCheck, principalMatch: principalKind, conditions: conditionChecks,
                              missingContextKeys: overall.missingKeys.sorted(), reason: reason)
    }

    /// The statement's applicability as a Truth (the trace keeps the detail).
    public func truth(of trace: StatementTrace) -> Truth {
        switch trace.outcome {
        case .matched: return .yes
        case .notMatched: return .no
        case .unknown: return .unknown(Set(trace.missingContextKeys))
        }
    }

    func checkAction(_ element: ActionElement) -> (Truth, ElementCheck) {
        let matched = element.patterns.first { ActionMatching.matches($0, request.action) }
        let applies: Bool
        switch element {
        case .action: applies = matched != nil
        case .notAction: applies = matched == nil
        }
        var note: String?
        if let bad = element.patterns.first(where: { $0 != "*" && ($0.contains(where: \.isWhitespace) || !$0.contains(":")) }) {
            note = "pattern \"\(bad)\" is malformed and matches no action"
        }
        return (Truth(applies), ElementCheck(element: element.name, outcome: Truth(applies).outcome, patterns: element.patterns,
                                             matchedPattern: matched, requestValue: request.action, note: note))
    }

    func checkResource(_ element: ResourceElement?, resolver: PolicyVariableResolver) -> (Truth, ElementCheck?) {
        guard let element else { return (.yes, nil) }
        let resourceText = request.resource?.arn ?? "*"
        var matched: String?
        var truths: [Truth] = []
        var notes: [String] = []
        for pattern in element.patterns {
            switch resolver.resolve(pattern) {
            case .resolved(let resolved):
                let hit = ArnMatching.matches(resolved, resourceText)
                if hit, matched == nil { matched = pattern }
                truths.append(Truth(hit))
            case .failed(let variable, let reason):
                notes.append("\(variable) in \"\(pattern)\" cannot be substituted (\(reason)), so it matches nothing")
                truths.append(.no)
            case .unknown(let keys):
                notes.append("\"\(pattern)\" depends on \(keys.sorted().joined(separator: ", "))")
                truths.append(.unknown(keys))
            }
        }
        if request.resource == nil {
            notes.append("the action has no resource type; only \"*\" covers it")
        }
        let anyMatch = Truth.any(truths)
        let applies: Truth
        switch element {
        case .resource: applies = anyMatch
        case .notResource: applies = anyMatch.negated
        }
        return (applies, ElementCheck(element: element.name, outcome: applies.outcome, patterns: element.patterns,
                                      matchedPattern: matched, requestValue: resourceText,
                                      note: notes.isEmpty ? nil : notes.joined(separator: "; ")))
    }

    func checkPrincipal(_ statement: PolicyStatement) -> (Truth, ElementCheck?, PrincipalMatchKind) {
        guard let element = statement.principal else {
            return (.no, ElementCheck(element: "Principal", outcome: .notMatched, patterns: [], matchedPattern: nil,
                                      requestValue: request.principal.arn,
                                      note: "the statement names no principal, so it applies to no one"), .none)
        }
        var best = PrincipalMatchKind.none
        var bestEntry: PrincipalEntry?
        for entry in element.entries {
            let kind = PrincipalMatching.match(entry, request.principal)
            if kind.strength > best.strength {
                best = kind
                bestEntry = entry
            }
        }
        let patterns = element.entries.map(\.description)
        // A caller known only by its account may or may not be the role or user an entry names.
        let maybe = best == .none ? PrincipalMatching.mightName(element.entries, request.principal) : nil
        if let maybe {
            let unknown = Truth.unknown(["aws:PrincipalArn"])
            let note = "the caller is known only by its account; it may be \(maybe.entry.value)"
            switch element {
            case .principal:
                return (unknown, ElementCheck(element: "Principal", outcome: unknown.outcome, patterns: patterns,
                                              matchedPattern: maybe.entry.description, requestValue: request.principal.arn, note: note), maybe.kind)
            case .notPrincipal:
                return (unknown, ElementCheck(element: "NotPrincipal", outcome: unknown.outcome, patterns: patterns,
                                              matchedPattern: maybe.entry.description, requestValue: request.principal.arn, note: note), .direct)
            }
        }
        switch element {
        case .principal:
            return (Truth(best != .none), ElementCheck(element: "Principal", outcome: Truth(best != .none).outcome,
                                                       patterns: patterns, matchedPattern: bestEntry?.description,
                                                       requestValue: request.principal.arn, note: nil), best)
        case .notPrincipal:
            // IAM User Guide, "Permissions boundaries": a Deny with NotPrincipal always denies a
            // caller that has a permissions boundary, whatever NotPrincipal lists.
            if statement.effect == .deny, callerHasBoundary {
                return (.yes, ElementCheck(element: "NotPrincipal", outcome: .matched, patterns: patterns, matchedPattern: nil,
                                           requestValue: request.principal.arn,
                                           note: "a Deny with NotPrincipal always applies to callers with a permissions boundary"), .direct)
            }
            let excluded = best != .none
            return (Truth(!excluded), ElementCheck(element: "NotPrincipal", outcome: Truth(!excluded).outcome, patterns: patterns,
                                                   matchedPattern: bestEntry?.description, requestValue: request.principal.arn,
                                                   note: excluded ? "the caller is excluded by NotPrincipal" : nil),
                    excluded ? .none : .direct)
        }
    }
}
