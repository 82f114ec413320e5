import Foundation

/// Finds the AWS error code in the CLI's stderr, e.g. `AccessDenied` in
/// "An error occurred (AccessDenied) when calling the GetBucketPolicy operation: Access Denied".
/// Both CLI v1 and v2 print this line.
///
/// ```swift
/// AWSErrorCode.find(in: "An error occurred (NoSuchBucketPolicy) when calling ...")  // "NoSuchBucketPolicy"
/// ```
public enum AWSErrorCode {
    public static func find(in stderr: String) -> String? {
        guard let marker = stderr.range(of: "An error occurred (") else { return nil }
        let rest = stderr[marker.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let code = rest[..<close]
        guard !code.isEmpty, code.count <= 128, code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }) else {
            return nil
        }
        return String(code)
    }
}
