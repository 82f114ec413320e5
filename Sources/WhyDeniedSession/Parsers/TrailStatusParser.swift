import WhyDeniedJSON

/// `get-trail-status` → `{trail, is_logging, latest_delivery_error}`.
enum TrailStatusParser {
    static func parse(_ output: JSONValue, trail: JSONValue?) -> JSONValue {
        .object(JSONObject([
            ("trail", trail ?? .null),
            ("is_logging", .bool(output["IsLogging"]?.boolValue ?? false)),
            ("latest_delivery_error", output["LatestDeliveryError"]?.stringValue.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null),
        ]))
    }
}
