import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// moto's own documented control API (`/moto-api/...`): seeding Athena query results, holding
/// a query's state for some polls. Loopback only, like everything the tests talk to.
///
/// ```swift
/// let status = try await MotoAPI.post("\(sandbox.endpointURL)/moto-api/static/athena/query-results", json)
/// ```
public enum MotoAPI {
    /// POSTs a JSON body and returns the HTTP status.
    public static func post(_ url: String, _ body: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
