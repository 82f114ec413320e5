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
        /// `aws` processes started, every account together.
        var processes: Int
        /// Reads answered from the batch's cache instead.
        var reused: Int
    }

    static func read(principals: [String], resources: [String], options: LiveReadOptions) async throws -> Read {
        let reads: Runbook
        do {
            let loaded = try RunbookLoader.load(contentsOf: try RunbookFile.locate(options.runbook), classifier: CommandClassifier.bundled)
            reads = try PolicyReadRunbook.slice(loaded)
        } catch {
            throw ValidationError("\(error)")
        }
        func cache(profile: String?) -> BatchReadCache {
            let connection = AWSConnection(executable: options.aws, profile: profile, region: options.region, endpointURL: options.endpointUrl)
            return BatchReadCache(wrapping: AWSCommandRunner(connection: connection)) { argv, started in
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
        let reader = LiveAccountReader(reads: reads, region: options.effectiveRegion)
        let result = await reader.read(principals: principals, resources: resources,
                                       effects: { account in
                                           guard let account else { return home }
                                           return byAccount[account]
                                       },
                                       homeAccount: homeAccount) { line in printError(line) }
        var processes = 0
        var reused = 0
        for cache in caches {
            processes += await cache.started.count
            reused += await cache.reused
        }
        return Read(snapshot: result.snapshot, notes: notes + result.notes, processes: processes, reused: reused)
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
