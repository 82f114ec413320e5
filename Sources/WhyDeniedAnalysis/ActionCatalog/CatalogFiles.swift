import Foundation

// The on-disk shape written by Scripts/generate-catalog.py. Keys are short because the catalog
// holds ~22,000 actions; these types are the only place that knows them.

struct ServiceFile: Decodable {
    let p: String
    let name: String
    let rt: [String: ResourceTypeEntry]
    let ck: [String: String]
    let act: [ActionEntry]

    struct ResourceTypeEntry: Decodable {
        let arn: String
        let k: [String]?
    }

    struct ActionEntry: Decodable {
        let n: String
        let a: String
        let rt: [ActionResourceEntry]?
        let k: [String]?
        let d: [String]?
    }

    struct ActionResourceEntry: Decodable {
        let t: String
        let r: Int?
        let k: [String]?
        let d: [String]?
    }
}

struct IndexFile: Decodable {
    let services: [Entry]
    struct Entry: Decodable {
        let p: String
        let name: String
        let rcp: Bool
        let actions: Int
    }
}

struct GlobalConditionKeysFile: Decodable {
    let keys: [String: String]
}

struct ApiActionsFile: Decodable {
    let eventSourcePrefixes: [String: String]
    let permissionless: [String]
    let calls: [String: Call]

    struct Call: Decodable {
        let actions: [String]
        let hints: [Hint]?
    }

    struct Hint: Decodable {
        let action: String
        let when: String
    }
}
