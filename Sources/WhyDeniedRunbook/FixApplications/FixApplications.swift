import WhyDeniedJSON

/// The table of fix applications, one per `fix.kind`: the implement step's commands
/// (`commands_from: fix_applications`) and the record of each change it runs come from here.
/// Adding a fix kind is adding its `FixApplication` here (and its value to `FactCatalog`'s
/// `fix.kind`); `FixApplicationTableTests` fails while a kind has none.
///
/// ```swift
/// FixApplications.application(forKind: "trust_policy")?.commands.map(\.id)
/// // ["backup_trust_policy", "update_trust_policy", "verify_trust_policy"]
/// ```
public enum FixApplications {
    /// The runbook's `commands_from` value whose commands these applications render.
    public static let commandSource = "fix_applications"

    /// Every fix kind the implement step applies, in the order its commands are listed.
    public static let all: [any FixApplication] = [
        NewManagedPolicyApplication(principal: .user),
        NewManagedPolicyApplication(principal: .role),
        InlinePolicyApplication(principal: .user),
        InlinePolicyApplication(principal: .role),
        PolicyVersionApplication(),
        BucketPolicyApplication(),
        TrustPolicyApplication(),
        PermissionSetPolicyApplication(),
    ]

    public static func application(forKind kind: String?) -> (any FixApplication)? {
        guard let kind else { return nil }
        return all.first { $0.kind == kind }
    }

    /// The application the session's facts name (`fix.kind`), if any.
    public static func application(for facts: [String: JSONValue]) -> (any FixApplication)? {
        application(forKind: facts["fix.kind"]?.stringValue)
    }

    /// Every application's commands as runbook commands, phase by phase, in the runbook's own
    /// format (JSON is YAML), so the loader decodes and checks them as it does written ones. A
    /// command several kinds share (`create_policy`, `verify_identity_fix`) is listed once, for
    /// all of them (`fix.kind in [...]`); a test checks that they agree on it.
    public static func runbookCommands() -> String {
        var rendered: [JSONValue] = []
        for phase in FixCommand.Phase.allCases {
            var order: [String] = []
            var shared: [String: (command: FixCommand, kinds: [String])] = [:]
            for application in all {
                for command in application.commands where command.phase == phase {
                    if shared[command.id] == nil { order.append(command.id); shared[command.id] = (command, []) }
                    shared[command.id]?.kinds.append(application.kind)
                }
            }
            rendered += order.compactMap { id in shared[id].map { $0.command.runbookCommand(kinds: $0.kinds).json } }
        }
        return JSONValue.array(rendered).serialized(pretty: true)
    }
}

/// Whose policy a fix for the denied principal changes: the user's or the role's
/// (`facts.principal.name`).
///
/// ```swift
/// InlinePolicyApplication(principal: .role).kind   // "role_inline_policy"
/// ```
public enum FixPrincipal: String, Sendable {
    case user, role

    /// The CLI option naming it (`--user-name`).
    var option: String { "--\(rawValue)-name" }
    var owner: WrittenPolicy.Owner { self == .user ? .user : .role }
}
