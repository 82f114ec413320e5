import Foundation
import WhyDeniedRunbook
import WhyDeniedSession

/// What the guided session looks like right now, as the session driver reports it after each
/// change: step states, the next proposed command, the context, findings and the recommendation.
/// The TUI never computes these itself; it only shows them and sends back the operator's choices.
///
/// ```swift
/// SessionView(steps: [StepRow(id: "verify", title: "Verify dependencies", status: .running)],
///             context: ContextBanner(region: "us-east-1"))
/// ```
public struct SessionView: Hashable, Sendable {
    public var steps: [StepRow]
    public var currentStep: Int?
    public var proposal: CommandProposal?
    public var context: ContextBanner
    public var findings: [FindingRow]
    public var explanation: [String]
    public var recommendation: RecommendationView?
    public var outputs: [CommandOutput]
    public var finished: Bool
    /// Finished because a step failed and the runbook stops there (the notice says why).
    public var stopped: Bool
    /// A line from the session to the operator (a fallback taken, a step that stopped).
    public var notice: String?
    /// The step whose change was declined and can be offered again (the `r` key) while no
    /// command waits.
    public var declinedChangeStep: String?
    /// The step that failed and halted the session, while it can be tried again (the `r` key):
    /// its failed command is proposed again at the gate.
    public var retryableStep: String?
    /// Set while the session waits for working credentials (a check failed on them): what is
    /// missing and the profiles to check again with.
    public var credentials: CredentialsCheck?

    public init(steps: [StepRow], currentStep: Int? = nil, proposal: CommandProposal? = nil,
                context: ContextBanner, findings: [FindingRow] = [], explanation: [String] = [],
                recommendation: RecommendationView? = nil, outputs: [CommandOutput] = [],
                finished: Bool = false, stopped: Bool = false, notice: String? = nil) {
        self.steps = steps
        self.currentStep = currentStep
        self.proposal = proposal
        self.context = context
        self.findings = findings
        self.explanation = explanation
        self.recommendation = recommendation
        self.outputs = outputs
        self.finished = finished
        self.stopped = stopped
        self.notice = notice
    }
}

/// One runbook step in the step list.
public struct StepRow: Hashable, Sendable {
    public var id: String
    public var title: String
    public var status: StepStatus
    public var guidance: String
    /// Why it was skipped, not applicable or failed, in the operator's words.
    public var why: String?
    /// It failed and let the session go on (✗): `r` runs its failed commands again.
    public var retryable: Bool

    public init(id: String, title: String, status: StepStatus = .pending, guidance: String = "", why: String? = nil,
                retryable: Bool = false) {
        self.id = id
        self.title = title
        self.status = status
        self.guidance = guidance
        self.why = why
        self.retryable = retryable
    }
}

/// A step's state, always shown as a glyph plus colour so it reads without colour too.
public enum StepStatus: String, Hashable, Sendable, CaseIterable {
    case pending, running, done, skipped, failed

    public var glyph: String {
        switch self {
        case .pending: "·"
        case .running: "▶"
        case .done: "✓"
        case .skipped: "↷"
        case .failed: "✗"
        }
    }

    var role: ColorRole {
        switch self {
        case .pending: .muted
        case .running: .accent
        case .done: .success
        case .skipped: .warning
        case .failed: .danger
        }
    }
}

/// The always-visible context: who and where every command runs as.
public struct ContextBanner: Hashable, Sendable {
    public var account: String?
    public var caller: String?
    public var region: String?
    public var profile: String?
    public var sandbox: Bool
    /// `guide --replay`: every command is answered from a recording; nothing reaches AWS.
    public var replay: Bool

    public init(account: String? = nil, caller: String? = nil, region: String? = nil,
                profile: String? = nil, sandbox: Bool = false, replay: Bool = false) {
        self.account = account
        self.caller = caller
        self.region = region
        self.profile = profile
        self.sandbox = sandbox
        self.replay = replay
    }

    /// Where the commands go, as the banner says it.
    public var target: String { replay ? "REPLAY" : sandbox ? "SANDBOX" : "REAL AWS" }
}

/// A command the session wants to run, fully resolved. `mutates` commands go through the
/// stronger dialog; `change` is the before/after document it would write.
public struct CommandProposal: Hashable, Sendable {
    public var id: String
    public var stepID: String
    public var argv: [String]
    public var why: String
    public var mutates: Bool
    public var change: PolicyChange?
    /// The word the operator must type to run a mutation (e.g. the policy name).
    public var confirmWord: String
    public var edited: Bool

    public init(id: String, stepID: String, argv: [String], why: String, mutates: Bool = false,
                change: PolicyChange? = nil, confirmWord: String = "apply", edited: Bool = false) {
        self.id = id
        self.stepID = stepID
        self.argv = argv
        self.why = why
        self.mutates = mutates
        self.change = change
        self.confirmWord = confirmWord
        self.edited = edited
    }

    /// Shell-quoted, for display and copying only; commands always run as argv.
    public var displayLine: String { ArgvDisplay.line(argv) }
}

/// The exact change a mutating command makes: the document before and after.
public struct PolicyChange: Hashable, Sendable {
    public var target: String
    public var before: String
    public var after: String

    public init(target: String, before: String, after: String) {
        self.target = target
        self.before = before
        self.after = after
    }
}

/// A finished command's result, as the pager shows it.
public struct CommandOutput: Hashable, Sendable {
    public var proposal: CommandProposal
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    public var seconds: Double
    /// The session's one-line reading of it (e.g. "2 trails, logging on").
    public var summary: String?

    public init(proposal: CommandProposal, exitCode: Int32, stdout: String, stderr: String = "",
                seconds: Double, summary: String? = nil) {
        self.proposal = proposal
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.summary = summary
    }
}

/// One denied event in the findings table.
public struct FindingRow: Hashable, Sendable {
    public var time: String
    public var principal: String
    public var action: String
    public var resource: String
    public var errorCode: String

    public init(time: String, principal: String, action: String, resource: String, errorCode: String) {
        self.time = time
        self.principal = principal
        self.action = action
        self.resource = resource
        self.errorCode = errorCode
    }
}

/// The recommended policy and, per element, why it is there.
public struct RecommendationView: Hashable, Sendable {
    public struct Reason: Hashable, Sendable {
        public var element: String
        public var reason: String
        public init(element: String, reason: String) {
            self.element = element
            self.reason = reason
        }
    }

    /// The fix written out another way (Terraform, CloudFormation), for the `v` key.
    public struct Rendering: Hashable, Sendable {
        public var name: String
        public var text: String
        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// A command that applies the fix, in full (shell-quoted for display and copying only).
    public struct FixCommandLine: Hashable, Sendable {
        public var purpose: String
        public var line: String
        public var alternative: Bool
        public init(purpose: String, line: String, alternative: Bool = false) {
            self.purpose = purpose
            self.line = line
            self.alternative = alternative
        }
    }

    public var headline: String
    public var policy: String
    public var reasons: [Reason]
    public var commands: [FixCommandLine]
    /// Other renderings of the same fix; the policy document itself always comes first.
    public var codeRenderings: [Rendering]

    public init(headline: String, policy: String, reasons: [Reason], commands: [FixCommandLine] = [],
                codeRenderings: [Rendering] = []) {
        self.headline = headline
        self.policy = policy
        self.reasons = reasons
        self.commands = commands
        self.codeRenderings = codeRenderings
    }

    /// Every way to show the fix: the JSON policy, then the code renderings.
    public var renderings: [Rendering] { [Rendering(name: "JSON policy", text: policy)] + codeRenderings }

    /// The rendering the fix view shows for a choice that may outlast the renderings it counted.
    public func rendering(_ index: Int) -> Rendering {
        let all = renderings
        return all[((index % all.count) + all.count) % all.count]
    }
}
