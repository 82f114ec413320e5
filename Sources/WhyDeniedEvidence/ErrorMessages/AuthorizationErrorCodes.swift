/// Error codes AWS services use for authorization failures, and codes that look similar but are
/// not (bad or expired credentials, signatures): the parser tells the operator which one it saw.
enum AuthorizationErrorCodes {
    /// Lower-cased codes that mean "the request was authenticated but not authorized".
    static let authorization: Set<String> = [
        "accessdenied", "accessdeniedexception", "403 forbidden", "unauthorizedoperation", "client.unauthorizedoperation",
        "unauthorizedaccess", "unauthorizedexception", "unauthorized", "authorizationerror",
        "authorizationerrorexception", "authorizationexception", "forbidden", "forbiddenexception",
        "vpceaccessdenied", "kmsaccessdeniedexception", "lambda.kmsaccessdeniedexception",
        "notauthorizedexception", "allaccessdisabled", "accountproblem", "403",
        "insufficientpermissionsexception", "accessdeniederror", "unauthorizedaccessexception",
        "authorizationfailure", "client.authfailure.unauthorizedoperation",
    ]

    /// Codes of errors that are not authorization failures (credentials, signing, tokens).
    static let notAuthorization: Set<String> = [
        "invalidclienttokenid", "expiredtoken", "expiredtokenexception", "signaturedoesnotmatch",
        "unrecognizedclientexception", "invalidaccesskeyid", "incompletesignature", "authfailure",
        "missingauthenticationtoken", "missingauthenticationtokenexception", "invalidsignatureexception", "requestexpired", "optinrequired",
        "invalidtoken", "tokenrefreshrequired", "client.authfailure",
    ]

    static func isAuthorization(_ code: String) -> Bool {
        let lowered = code.lowercased()
        if authorization.contains(lowered) { return true }
        return lowered.hasSuffix("accessdenied") || lowered.hasSuffix("accessdeniedexception")
            || lowered.hasSuffix("unauthorizedoperation")
    }

    static func isNotAuthorization(_ code: String) -> Bool {
        notAuthorization.contains(code.lowercased())
    }
}
