import ArgumentParser
import Foundation
import WhyDeniedAnalysis
import WhyDeniedJSON
import WhyDeniedRedaction
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// The options of a live read (`snapshot`, `analyze --live`): where the `aws` commands go.
struct LiveReadOptions: ParsableArguments {
    @Option(help: "AWS CLI profile for the reads.")
    var profile: String?

    @Option(help: "Endpoint URL for every read (a local sandbox, a VPC endpoint).")
    var endpointUrl: String?

    @Option(help: "Region for reads whose resource ARN names none (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1).")
    var region: String?

    @Option(name: .customLong("account-profile"),
            help: "ACCOUNT=PROFILE: read account ACCOUNT's principals and resources with this AWS CLI profile (repeatable).")
    var accountProfiles: [String] = []

    @Option(name: .customLong("org-profile"),
            help: "Read the SCPs on the accounts' organization path with this AWS CLI profile (the management account or a delegated administrator).")
    var orgProfile: String?
    @Option(name: .customLong("resource-profile"),
            help: "Read the resources' policies with this AWS CLI profile (the resources' own account, when it is not the callers'); checked with get-caller-identity first.")
    var resourceProfile: String?

    @Option(name: .customLong("cross-account-role"),
            help: "Read another account's principals and resources by assuming the role of this name in it (sts assume-role: the one command that is not a read).")
    var crossAccountRole: String?

    @Option(help: "The runbook whose policy reads are run (default: Runbooks/access-denied.yaml).")
    var runbook: String?

    @Option(help: "The aws executable (default: aws on PATH).")
    var aws: String = "aws"

    func validate() throws { _ = try profilesByAccount() }

    func profilesByAccount() throws -> [String: String] {
        var profiles: [String: String] = [:]
        for pair in accountProfiles {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].count == 12, parts[0].allSatisfy(\.isNumber), !parts[1].isEmpty else {
                throw ValidationError("--account-profile \(pair): expected ACCOUNT=PROFILE, ACCOUNT a 12-digit account id")
            }
            profiles[parts[0]] = parts[1]
        }
        return profiles
    }

    var effectiveRegion: String {
        let environment = ProcessInfo.processInfo.environment
        return region ?? environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_DEFAULT_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
    }
}

/// Reads principals' and resources' policies from the account(s) into an `AccountSnapshot`:
/// every `aws` command is the runbook's own read (read-only by the classifier), printed through
/// the redactor to standard error as it starts, and run once per batch (`BatchReadCache`).
enum LiveAccountReads {
    struct Read {
        var snapshot: AccountSnapshot
        var notes: [String]
        /// `aws` commands run, every account together.
        var commands: Int
        /// How they ran: a process each, or through the CLI's resident driver.
        var driver: SessionCLIDriver
        /// Reads answered from the batch's cache instead.
        var reused: Int
        /// With the resident driver: commands that ran as processes of their own instead, and why.
        var fellBack = 0
        var fallBackReason: String?

        /// The closing line on standard error: how many commands ran, and how.
        var summary: String {
            let ran = switch driver {
            case .processes: "\(commands) aws process(es)"
            case .resident where fellBack == commands && commands > 0:
                "\(commands) aws process(es) (\(fallBackReason ?? "this aws is not AWS CLI v1's own script"): the CLI's resident driver cannot stand in for it)"
            case .resident:
                "\(commands) aws command(s) through the CLI's resident driver"
                    + (fellBack > 0 ? ", \(fellBack) of them as processes of their own" : "")
                    + " (WHYDENIED_AWS_DRIVER=processes runs each as a process)"
            }
            return "read with \(ran); \(reused) read(s) answered from this batch's cache"
        }
    }

    /// - Parameter objectACLs: read each S3 object's own ACL (one process per object); a batch
    ///   (`analyze --live`) reads each bucket once instead.
    /// - Parameter followUp: given, each bucket's Block Public Access and tags are read only for the
    ///   buckets it names after seeing the first snapshot (`LiveAccountReader.defersBucketSettings`).
    /// - Parameter commandLauncher: what runs the commands (`commandLauncher(options:)`), made
    ///   earlier by a caller with other work to do first; else made here.
    static func read(principals: [String], resources: [String], vpcEndpoints: [String] = [],
                     objectACLs: Bool = true, options: LiveReadOptions,
                     commandLauncher: (SessionCLIDriver, any ProcessLauncher)? = nil,
                     followUp: ((AccountSnapshot) async -> [String])? = nil) async throws -> Read {
        let reads: Runbook
        do {
            let loaded = try RunbookLoader.load(contentsOf: try RunbookFile.locate(options.runbook), classifier: CommandClassifier.bundled)
            reads = try PolicyReadRunbook.slice(loaded)
        } catch {
            throw ValidationError("\(error)")
        }
        let (driver, launcher): (SessionCLIDriver, any ProcessLauncher)
        if let commandLauncher { (driver, launcher) = commandLauncher } else { (driver, launcher) = try await Self.commandLauncher(options: options) }
        func cache(profile: String?, credentials: [String: String] = [:]) -> BatchReadCache {
            var connection = AWSConnection(executable: options.aws, profile: profile, region: options.region, endpointURL: options.endpointUrl,
                                           organizationProfile: options.orgProfile)
            connection.environment.merge(credentials) { _, assumed in assumed }
            return BatchReadCache(wrapping: AWSCommandRunner(connection: connection, launcher: launcher)) { argv, started in
                let line = ArgvDisplay.line(redactor.redact(argv: argv))
                printError(started ? "$ " + line : "= " + line + "   (read before in this batch; not run again)")
            }
        }
        let home = cache(profile: options.profile)
        guard let homeAccount = await account(of: home) else {
            throw ValidationError("aws sts get-caller-identity failed: whydenied cannot tell which account it reads (check --profile, --endpoint-url, credentials)")
        }
        var byAccount: [String: BatchReadCache] = [homeAccount: home]
        var caches = [home]
        var notes: [String] = []
        for (account, profile) in try options.profilesByAccount().sorted(by: { $0.key < $1.key }) where account != homeAccount {
            let other = cache(profile: profile)
            let actual = await self.account(of: other)
            caches.append(other)
            if actual == account {
                byAccount[account] = other
            } else {
                // Reading IAM by name with the wrong account's credentials would read someone else's role.
                notes.append("--account-profile \(account)=\(profile): the profile belongs to account \(actual ?? "(unknown: get-caller-identity failed)"); not used.")
            }
        }
        if let role = options.crossAccountRole {
            let accounts = LiveAccountReader.accounts(of: principals + resources).filter { byAccount[$0] == nil }
            for account in accounts {
                switch await assume(role: role, in: account, with: home) {
                case .success(let credentials):
                    let other = cache(profile: nil, credentials: credentials)
                    caches.append(other)
                    if await self.account(of: other) == account { byAccount[account] = other } else {
                        notes.append("--cross-account-role \(role): the assumed role's credentials are not account \(account)'s; not used.")
                    }
                case .failure(let reason):
                    notes.append("--cross-account-role \(role): account \(account) not read: \(reason)")
                }
            }
        }
        // --resource-profile: the resources' account, whichever their ARNs name (an S3 ARN names none).
        var resourceReads: BatchReadCache?
        if let profile = options.resourceProfile {
            let other = cache(profile: profile)
            caches.append(other)
            if let account = await self.account(of: other) {
                resourceReads = other
                if byAccount[account] == nil { byAccount[account] = other }
            } else {
                notes.append("--resource-profile \(profile): get-caller-identity failed; not used, the resources are read with the default credentials.")
            }
        }
        var reader = LiveAccountReader(reads: reads, region: options.effectiveRegion, organizationProfile: options.orgProfile)
        reader.readsObjectACLs = objectACLs
        reader.defersBucketSettings = followUp != nil
        let result = await reader.read(principals: principals, resources: resources, vpcEndpoints: vpcEndpoints,
                                       effects: { account in
                                           guard let account else { return home }
                                           return byAccount[account]
                                       },
                                       resourceEffects: resourceReads.map { reads in { account in account.flatMap { byAccount[$0] } ?? reads } },
                                       homeAccount: homeAccount, followUp: followUp) { line in printError(line) }
        var commands = 0
        var reused = 0
        for cache in caches {
            commands += await cache.started.count
            reused += await cache.reused
        }
        var read = Read(snapshot: result.snapshot, notes: notes + result.notes, commands: commands, driver: driver, reused: reused)
        if let resident = launcher as? ResidentAWSCLI {
            read.fellBack = await resident.commandsFallenBack
            read.fallBackReason = await resident.unavailableReason
        }
        return read
    }

    /// The launcher the reads' commands go through (`WHYDENIED_AWS_DRIVER`). The resident driver's
    /// drivers, one per core, are started before this returns and get ready in the background: a
    /// caller that makes it before reading its input has them ready (about half a second of imports
    /// each) by the first read, whatever its own work keeps the cores busy with meanwhile.
    static func commandLauncher(options: LiveReadOptions) async throws -> (SessionCLIDriver, any ProcessLauncher) {
        // A batch's dozens of reads go through the CLI's own driver unless told otherwise: a
        // process per command costs about half a second of the CLI's start each.
        let driver = try RunCommand.sessionDriver(unset: .resident)
        let launcher = driver.launcher()
        if let resident = launcher as? ResidentAWSCLI {
            await resident.warmUp(executable: options.aws, environment: ProcessInfo.processInfo.environment)
        }
        return (driver, launcher)
    }

    /// `aws sts assume-role` of `role` in `account`, through the home credentials: the one
    /// command of a live read that is not read-only (it creates a role session). Only
    /// `--cross-account-role` runs it, printed like every read; the credentials it returns stay
    /// in memory and in the environment of the reads for that account, never printed or written.
    static func assume(role: String, in account: String, with home: BatchReadCache) async -> Result<[String: String], AssumeRoleFailure> {
        let argv = ["aws", "sts", "assume-role", "--role-arn", "arn:aws:iam::\(account):role/\(role)",
                    "--role-session-name", "whydenied-read-only"]
        let outcome = await home.run(CommandRequest(argv: argv))
        guard outcome.succeeded, let credentials = (try? JSONValue.parse(outcome.stdout))?["Credentials"],
              let key = credentials["AccessKeyId"]?.stringValue, let secret = credentials["SecretAccessKey"]?.stringValue else {
            return .failure(AssumeRoleFailure(reason: outcome.failure?.operatorMessage ?? "assume-role returned no credentials"))
        }
        var environment = ["AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret]
        if let token = credentials["SessionToken"]?.stringValue { environment["AWS_SESSION_TOKEN"] = token }
        return .success(environment)
    }

    struct AssumeRoleFailure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// The account the credentials behind `reads` belong to (`aws sts get-caller-identity`).
    static func account(of reads: BatchReadCache) async -> String? {
        let outcome = await reads.run(CommandRequest(argv: ["aws", "sts", "get-caller-identity"]))
        guard outcome.succeeded, let identity = try? JSONValue.parse(outcome.stdout) else { return nil }
        return identity["Account"]?.stringValue
    }

    static let redactor = Redactor()

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((redactor.redact(text) + "\n").utf8))
    }
}
