/// Why `AuthorizationErrorParser.parse(_:)` found no authorization error in a text.
///
/// ```swift
/// if case .failure(let why) = AuthorizationErrorParser.parse("An error occurred (ExpiredToken) …") {
///     print(why)  // "…ExpiredToken is a credentials problem, not a permissions denial…"
/// }
/// ```
public struct NotAnAuthorizationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Nothing but whitespace was given.
        case empty
        /// No wording AWS uses for a denial ("not authorized", "Access Denied", an AccessDenied code…).
        case noDenialWording
        /// An AWS error code that is about credentials or signing, not permissions.
        case otherErrorCode(String)
    }

    public var reason: Reason

    public init(reason: Reason) { self.reason = reason }

    public var description: String {
        switch reason {
        case .empty:
            return "The pasted text is empty; paste the whole error message, including the error code."
        case .noDenialWording:
            return "The pasted text does not look like an AWS authorization error: it has no error code such as "
                + "AccessDenied or UnauthorizedOperation and no wording such as \"is not authorized to perform\" "
                + "or \"Access Denied\"."
        case .otherErrorCode(let code):
            return "The error code \(code) is a credentials or request-signing problem, not a permissions denial; "
                + "check the access keys, session token and clock instead."
        }
    }
}
