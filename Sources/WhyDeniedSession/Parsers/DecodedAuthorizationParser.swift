import WhyDeniedEvidence
import WhyDeniedJSON

/// `sts decode-authorization-message` → the decoded document as an object (the CLI prints it as
/// JSON text inside `DecodedMessage`), checked to be in the documented shape. The
/// `read_decoded_message` analysis reads it into a `DecodedAuthorization`.
enum DecodedAuthorizationParser {
    static func parse(_ output: JSONValue) throws(OutputParsers.ParseError) -> JSONValue {
        do {
            return try DecodedAuthorization.decodedDocument(output)
        } catch {
            throw OutputParsers.ParseError(parser: "decoded_authorization_message", reason: error.description)
        }
    }
}
