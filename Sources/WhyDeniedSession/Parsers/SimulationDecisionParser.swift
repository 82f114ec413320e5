import WhyDeniedJSON

/// `iam simulate-principal-policy` → `allowed`, `implicitDeny` or `explicitDeny` (the worst
/// decision over the evaluated actions).
enum SimulationDecisionParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        let decisions = (output["EvaluationResults"]?.arrayValue ?? []).compactMap { $0["EvalDecision"]?.stringValue }
        guard !decisions.isEmpty else {
            throw OutputParsers.ParseError(parser: "simulation_decision", reason: "no EvaluationResults[].EvalDecision")
        }
        for worst in ["explicitDeny", "implicitDeny"] where decisions.contains(worst) { return .string(worst) }
        return .string("allowed")
    }
}
