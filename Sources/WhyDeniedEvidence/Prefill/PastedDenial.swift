/// The pasted denial as the parser read it, once: an AWS authorization error text, or the output
/// of `sts decode-authorization-message`. The paste dialog hands it to the session as this
/// value, so the session, its facts and its reported request never parse the text again.
///
/// ```swift
/// let prefill = Prefill.from(text: pasted, now: Date())
/// if case .errorMessage(let denied)? = prefill.denial { denied.action }   // "s3:GetObject"
/// ```
public enum PastedDenial: Sendable, Hashable {
    case errorMessage(AuthorizationError)
    case decodedMessage(DecodedAuthorization)

    public var errorMessage: AuthorizationError? {
        if case .errorMessage(let denied) = self { return denied }
        return nil
    }

    public var decodedMessage: DecodedAuthorization? {
        if case .decodedMessage(let decoded) = self { return decoded }
        return nil
    }
}
