import WhyDeniedRunbook

/// The hand-kept part of command classification: what the action catalog cannot answer because
/// the CLI does it without one API call of the same name. The high-level `aws s3` commands, the
/// CLI's own commands (`configure`, `help`, `--version`), and the CLI service names that are not
/// IAM prefixes. Anything not here is looked up in the catalog, or is a change.
///
/// ```swift
/// AWSCLICommands.local(AWSCommandLine(["aws", "s3", "mb", "s3://b"]))   // .mutating("aws s3 mb creates a bucket")
/// AWSCLICommands.iamPrefix(forCLIService: "s3api")                      // "s3"
/// AWSCLICommands.apiName(forCLIOperation: "list-objects-v2")            // "ListObjectsV2"
/// ```
enum AWSCLICommands {
    /// `aws s3 <command>`: only `ls` is a read. `cp`, `sync` and `mv` may run in either direction
    /// and also write local files; `presign` calls nothing but mints a URL that works as a
    /// credential for whoever holds it, for up to seven days.
    static let s3Commands: [String: CommandClassification] = [
        "ls": .readOnly("aws s3 ls lists buckets or objects (s3:ListAllMyBuckets, s3:ListBucket)"),
        "cp": .mutating("aws s3 cp writes objects (or local files)"),
        "mv": .mutating("aws s3 mv writes and deletes objects (or local files)"),
        "rm": .mutating("aws s3 rm deletes objects"),
        "sync": .mutating("aws s3 sync writes objects (or local files), and with --delete deletes them"),
        "mb": .mutating("aws s3 mb creates a bucket"),
        "rb": .mutating("aws s3 rb deletes a bucket"),
        "website": .mutating("aws s3 website sets a bucket's website configuration"),
        "presign": .mutating("aws s3 presign mints a URL that grants access to an object to whoever holds it"),
    ]

    /// `aws configure <command>`: the reads of the CLI's own configuration. `set`, `import`,
    /// `sso`, a bare `aws configure` (it prompts, then writes) and the rest change it.
    static let configureReads: [String: CommandClassification] = [
        "list": .readOnly("aws configure list shows where the CLI's settings come from"),
        "get": .readOnly("aws configure get reads one setting of the CLI's configuration"),
        "list-profiles": .readOnly("aws configure list-profiles lists the configured profiles"),
    ]

    /// CLI service names whose IAM prefix is another name; every other name is its own prefix.
    static let iamPrefixes: [String: String] = [
        "s3api": "s3", "s3control": "s3", "opensearchserverless": "aoss", "opensearch": "es",
        "stepfunctions": "states", "elbv2": "elasticloadbalancing", "elb": "elasticloadbalancing",
        "configservice": "config", "resourcegroupstaggingapi": "tag", "efs": "elasticfilesystem",
        "emr": "elasticmapreduce", "sesv2": "ses", "dynamodbstreams": "dynamodb", "sso-admin": "sso",
    ]

    /// s3control operations spelt like an s3api one whose IAM action is another: the account's
    /// Block Public Access (`s3:GetAccountPublicAccessBlock`, not the bucket's
    /// `s3:GetBucketPublicAccessBlock`, which the catalog's table maps `GetPublicAccessBlock` to).
    static let s3controlAPINames: [String: String] = [
        "GetPublicAccessBlock": "GetAccountPublicAccessBlock",
        "PutPublicAccessBlock": "PutAccountPublicAccessBlock",
        "DeletePublicAccessBlock": "PutAccountPublicAccessBlock",
    ]

    /// The API name the catalog is asked about for `service`'s `apiName`.
    static func catalogAPIName(forCLIService service: String, apiName: String) -> String {
        service == "s3control" ? s3controlAPINames[apiName] ?? apiName : apiName
    }

    /// The classification of a command the CLI runs itself, or nil when the catalog decides.
    static func local(_ line: AWSCommandLine) -> CommandClassification? {
        guard let service = line.service else {
            return line.has("--version") ? .readOnly("aws --version prints the CLI's version") : nil
        }
        // Help is shown when asked for after the program, the service or the operation.
        if service == "help", line.arguments.isEmpty { return .readOnly("aws help shows the CLI's documentation") }
        if line.operation == "help", line.arguments.isEmpty { return .readOnly("aws \(service) help shows documentation") }
        if let operation = line.operation, line.arguments == ["help"] {
            return .readOnly("aws \(service) \(operation) help shows documentation")
        }
        switch service {
        case "s3":
            guard let operation = line.operation else { return .mutating("aws s3 needs a command") }
            return s3Commands[operation] ?? .mutating("aws s3 \(operation) is not a known aws s3 command")
        case "configure":
            guard let operation = line.operation else { return .mutating("aws configure prompts for settings and writes them") }
            return configureReads[operation] ?? .mutating("aws configure \(operation) writes the CLI's configuration")
        default:
            return nil
        }
    }

    static func iamPrefix(forCLIService service: String) -> String { iamPrefixes[service] ?? service }

    /// `list-objects-v2` → `ListObjectsV2`; nil when `operation` is not spelt as the CLI spells
    /// operations (lower-case words joined by hyphens), since the CLI would not run it.
    static func apiName(forCLIOperation operation: String) -> String? {
        let words = operation.split(separator: "-", omittingEmptySubsequences: false)
        guard !words.isEmpty, words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { ($0.isLowercase || $0.isNumber) && $0.isASCII } }) else {
            return nil
        }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
