import WhyDeniedJSON

/// `get-event-selectors` → `{trail, management_events, read_write_type}`, from basic or advanced
/// selectors. A trail with neither logs management events (CloudTrail's default).
enum TrailEventSelectorsParser {
    static func parse(_ output: JSONValue, trail: JSONValue?) -> JSONValue {
        let basic = output["EventSelectors"]?.arrayValue ?? []
        let advanced = output["AdvancedEventSelectors"]?.arrayValue ?? []
        var management = basic.isEmpty && advanced.isEmpty
        var readWrite = basic.isEmpty && advanced.isEmpty ? "All" : "None"
        for selector in basic where selector["IncludeManagementEvents"]?.boolValue ?? true {
            management = true
            readWrite = selector["ReadWriteType"]?.stringValue ?? "All"
        }
        for selector in advanced {
            let fields = selector["FieldSelectors"]?.arrayValue ?? []
            let category = fields.first { $0["Field"]?.stringValue == "eventCategory" }
            if category?["Equals"]?.arrayValue?.contains(.string("Management")) == true {
                management = true
                readWrite = "All"
            }
        }
        return .object(JSONObject([
            ("trail", trail ?? .null),
            ("management_events", .bool(management)),
            ("read_write_type", .string(readWrite)),
        ]))
    }
}
