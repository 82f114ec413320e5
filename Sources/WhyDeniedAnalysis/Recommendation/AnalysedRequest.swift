/// One request of a denied call with the policies it was checked against and the verdict.
///
/// Example: `s3:GetObject` on the seed object, the role's policies plus the bucket policy, and
/// an `.explicitDeny` result naming the bucket policy's `DenyOutsideCorporateNetwork` statement.
public struct AnalysedRequest: Sendable {
    public var request: AuthorizationRequest
    public var policies: PolicySet
    public var result: EvaluationResult

    public init(request: AuthorizationRequest, policies: PolicySet, result: EvaluationResult) {
        self.request = request
        self.policies = policies
        self.result = result
    }
}
