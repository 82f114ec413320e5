import WhyDeniedJSON

/// `get-event-selectors` → `{trail, management_events, read_write_type, data_resource_types}`,
/// from basic or advanced selectors. A trail with neither logs management events (CloudTrail's
/// default) and no data events; `data_resource_types` lists the resource types whose data events
/// are selected (`AWS::S3::Object`…), whichever ARNs they are narrowed to.
enum TrailEventSelectorsParser {
    static func parse(_ output: JSONValue, trail: JSONValue?) -> JSONValue {
        let basic = output["EventSelectors"]?.arrayValue ?? []
        let advanced = output["AdvancedEventSelectors"]?.arrayValue ?? []
        var management = basic.isEmpty && advanced.isEmpty
        var readWrite = basic.isEmpty && advanced.isEmpty ? "All" : "None"
        var dataTypes: [String] = []
        for selector in basic {
            if selector["IncludeManagementEvents"]?.boolValue ?? true {
                management = true
                readWrite = selector["ReadWriteType"]?.stringValue ?? "All"
            }
            for resource in selector["DataResources"]?.arrayValue ?? [] {
                if let type = resource["Type"]?.stringValue, !dataTypes.contains(type) { dataTypes.append(type) }
            }
        }
        for selector in advanced {
            let fields = selector["FieldSelectors"]?.arrayValue ?? []
            let category = fields.first { $0["Field"]?.stringValue == "eventCategory" }
            if category?["Equals"]?.arrayValue?.contains(.string("Management")) == true {
                management = true
                readWrite = "All"
            }
            if category?["Equals"]?.arrayValue?.contains(.string("Data")) == true {
                let types = fields.first { $0["Field"]?.stringValue == "resources.type" }?["Equals"]?.arrayValue ?? []
                for type in types.compactMap(\.stringValue) where !dataTypes.contains(type) { dataTypes.append(type) }
            }
        }
        return .object(JSONObject([
            ("trail", trail ?? .null),
            ("management_events", .bool(management)),
            ("read_write_type", .string(readWrite)),
            ("data_resource_types", .array(dataTypes.map(JSONValue.string))),
        ]))
    }
}
