extension FixCommand {
    /// After a change to the principal's own policies: IAM's simulation of the denied request.
    /// The offline re-verification already ran; the simulator only adds AWS's own opinion, so
    /// lacking iam:SimulatePrincipalPolicy (or an endpoint without it) is noted, not fatal.
    static let verifyIdentityFix = FixCommand(
        "verify_identity_fix", why: "Simulates the denied request against the principal's policies as they are now.",
        phase: .verification,
        argv: ["aws", "iam", "simulate-principal-policy", "--policy-source-arn", "{{facts.principal.arn}}",
               "--action-names", "{{facts.denial.action}}", "--resource-arns", "{{facts.denial.resource_arn}}"]
    ).with {
        $0.optional = true
        $0.needsFacts = ["denial.action", "denial.resource_arn"]
        $0.parser = "simulation_decision"
        $0.captures = [.parser("simulated_decision", type: "string")]
    }
}
