import Foundation
import Testing
import WhyDeniedRunbook
@testable import WhyDeniedSession

/// The one rule for "does this command change the account": the action catalog's access levels
/// for the CLI's service and operation, plus the short table of high-level `aws s3` and CLI-local
/// commands. Everything not proven read-only is a change.
@Suite struct CommandClassifierTests {
    let classifier = CommandClassifier.bundled

    func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

    @Test(arguments: [
        // The deny-list's misses, from issue 12.
        "aws --debug iam create-user --user-name eve",
        "aws --region eu-west-1 iam put-user-policy --user-name eve --policy-name p --policy-document {}",
        "aws --region=eu-west-1 iam put-user-policy --user-name eve --policy-name p --policy-document {}",
        "aws iam --output json attach-user-policy --user-name eve --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
        "aws --reg eu-west-1 iam create-access-key --user-name eve",
        "aws s3 cp ./x s3://bucket/x", "aws s3 mv s3://bucket/a s3://bucket/b", "aws s3 rm s3://bucket/x",
        "aws s3 sync . s3://bucket", "aws s3 mb s3://new-bucket", "aws s3 rb s3://bucket",
        "aws s3 presign s3://bucket/key", "aws s3 website s3://bucket --index-document index.html",
        "aws lambda invoke --function-name f out.json", "aws ssm send-command --document-name AWS-RunShellScript",
        "aws configure set aws_access_key_id AKIA", "aws configure", "aws configure import --csv file://k.csv",
        // Unknown operations, services and programs are changes too.
        "aws iam frobnicate-user", "aws iam ListUsers", "aws made-up-service list-things", "aws s3 frob",
        "bash -c aws", "/usr/bin/env aws iam list-users", "aws iam", "aws",
        // An option before the operation that is not global, or one that lets the command be changed.
        "aws iam --user-name eve list-users", "aws --no iam list-users", "aws iam list-users --cli-auto-prompt",
        // Catalog levels other than List/Read.
        "aws s3api copy-object --bucket b --key k --copy-source b/j", "aws sts assume-role --role-arn r --role-session-name s",
        "aws athena start-query-execution --query-string SELECT", "aws cloudtrail start-query --query-statement SELECT",
        "aws iam tag-user --user-name eve --tags Key=a,Value=b",
    ])
    func changes(_ line: String) {
        let classification = classifier.classify(words(line))
        #expect(classification.mutates, "\(line): \(classification.reason)")
    }

    @Test(arguments: [
        "aws iam list-users", "aws --debug iam list-users", "aws iam list-users --region=eu-west-1 --output json",
        "aws --endpoint-url http://127.0.0.1:5000 iam get-user --user-name eve",
        "aws sts get-caller-identity", "aws s3api list-objects-v2 --bucket b", "aws s3api get-object --bucket b --key k out",
        "aws s3 ls", "aws s3 ls s3://bucket/prefix/", "aws configure list", "aws configure get region",
        "aws configure list-profiles", "aws --version", "aws help", "aws iam help", "aws iam create-user help",
        "aws opensearchserverless list-access-policies --type data", "aws logs filter-log-events --log-group-name g",
        "aws secretsmanager get-resource-policy --secret-id s",
        "aws sts decode-authorization-message --encoded-message EXAMPLEWodyRNrtlQ",
        "aws sts decode-authorization-message --encoded-message=-EXAMPLEWodyRNrtlQ",
    ])
    func reads(_ line: String) {
        let classification = classifier.classify(words(line))
        #expect(!classification.mutates, "\(line): \(classification.reason)")
    }

    @Test func reasonsNameTheActionAndItsLevel() {
        #expect(classifier.classify(words("aws --debug iam create-user --user-name eve"))
            == .mutating("iam:CreateUser is Write in the action catalog"))
        #expect(classifier.classify(words("aws iam list-users")) == .readOnly("iam:ListUsers is List in the action catalog"))
        #expect(classifier.classify(words("aws s3api list-objects-v2 --bucket b"))
            == .readOnly("s3:ListBucket is List in the action catalog"))
        #expect(classifier.classify(words("aws s3 mb s3://b")) == .mutating("aws s3 mb creates a bucket"))
        #expect(classifier.classify(words("aws sts get-caller-identity"))
            == .readOnly("sts:GetCallerIdentity needs no permission and changes nothing"))
        #expect(classifier.classify(words("aws iam frobnicate-user"))
            == .mutating("the action catalog has no action for aws iam frobnicate-user (iam:FrobnicateUser)"))
        #expect(classifier.classify(words("bash -c x")) == .mutating("only aws commands can be proven read-only, and bash is not aws"))
    }

    /// s3control's GetPublicAccessBlock is the account's setting (s3:GetAccountPublicAccessBlock),
    /// not the bucket's that s3api's call of the same name reads.
    @Test func theAccountsBlockPublicAccessIsReadAndSetByItsOwnActions() {
        #expect(classifier.classify(words("aws s3control get-public-access-block --account-id 111122223333"))
            == .readOnly("s3:GetAccountPublicAccessBlock is Read in the action catalog"))
        #expect(classifier.classify(words("aws s3api get-public-access-block --bucket b"))
            == .readOnly("s3:GetBucketPublicAccessBlock is Read in the action catalog"))
        #expect(classifier.classify(words("aws s3control put-public-access-block --account-id 111122223333 --public-access-block-configuration x")).mutates)
        #expect(classifier.classify(words("aws s3control delete-public-access-block --account-id 111122223333")).mutates)
    }

    /// The catalog calls sts:DecodeAuthorizationMessage Write; the STS API reference says it only
    /// decodes the message it is given. It is the one justified entry of the exceptions table.
    @Test func decodeAuthorizationMessageIsAReadByAnExplicitJustifiedEntry() throws {
        let decode = words("aws sts decode-authorization-message --encoded-message EXAMPLEWodyRNrtlQ")
        let classification = classifier.classify(decode)
        #expect(!classification.mutates, "\(classification.reason)")
        #expect(classification.reason.contains("sts:DecodeAuthorizationMessage is Write in the action catalog"))
        #expect(classification.reason.contains("changes nothing"))
        // The exception is for that action only: the rest of STS still follows the catalog.
        #expect(classifier.classify(words("aws sts assume-role --role-arn r --role-session-name s")).mutates)
        // Every entry names a catalog action that the catalog does not already call a read, and says why.
        for (action, reason) in CommandClassifier.readOnlyExceptions {
            let level = try #require(try classifier.catalog.action(action)?.accessLevel, "\(action) is not in the catalog")
            #expect(!CommandClassifier.readOnlyLevels.contains(level), "\(action) is \(level): the entry is not needed")
            #expect(reason.count > 40, "\(action) needs its reason")
        }
        #expect(CommandClassifier.readOnlyExceptions.count == 1, "the table stays short: add an entry only with a test and its source")
    }

    @Test func globalOptionsAreReadAnywhereInEitherFormAndAbbreviated() {
        let line = AWSCommandLine(["aws", "--debug", "iam", "--region=eu-west-1", "create-user", "--user-name", "eve",
                                   "--endp", "https://elsewhere.example", "--prof=other"])
        #expect(line.service == "iam")
        #expect(line.operation == "create-user")
        #expect(line.arguments == ["--user-name", "eve"])
        #expect(line.values(of: "--region") == ["eu-west-1"])
        #expect(line.values(of: "--endpoint-url") == ["https://elsewhere.example"])
        #expect(line.values(of: "--profile") == ["other"])
        #expect(line.has("--debug"))
        #expect(line.unknownOptionBeforeOperation == nil)
    }

    /// Every command of the shipped runbook is classified as it is marked: unmarked ones are
    /// proven reads, `mutates: true` ones are changes. The demo scenarios run this runbook.
    @Test func theShippedRunbookIsMarkedAsTheClassifierSays() throws {
        let runbook = try RunbookLoader.load(contentsOf: RunbookFixture.accessDenied, classifier: classifier)
        var marked = 0
        for step in runbook.steps {
            for command in step.commands {
                let classification = classifier.classify(command.argv.map(\.description))
                #expect(classification.mutates == command.mutates,
                        "\(step.id).\(command.id) (line \(command.line)): \(classification)")
                if command.mutates { marked += 1 }
            }
        }
        #expect(marked >= 10)
    }

    @Test func anEditKeepsTheSessionsEndpointProfileAndRegion() {
        let proposed = ["aws", "iam", "list-users", "--region", "us-east-1"]
        #expect(EditedCommand.problem(editing: proposed, into: proposed + ["--max-items", "5"]) == nil)
        #expect(EditedCommand.problem(editing: proposed, into: ["aws", "iam", "list-users", "--region=us-east-1"]) == nil)
        for edited in [
            ["aws", "iam", "list-users", "--region", "us-east-1", "--endpoint-url", "https://elsewhere.example"],
            ["aws", "--endpoint-url=https://elsewhere.example", "iam", "list-users", "--region", "us-east-1"],
            ["aws", "iam", "list-users", "--region", "us-east-1", "--endp", "https://elsewhere.example"],
            ["aws", "iam", "list-users", "--region", "eu-west-1"],
            ["aws", "iam", "list-users"],
            ["aws", "iam", "list-users", "--region", "us-east-1", "--profile", "prod-admin"],
        ] {
            #expect(EditedCommand.problem(editing: proposed, into: edited) != nil, "\(edited)")
        }
        #expect(EditedCommand.problem(editing: proposed, into: ["aws", "iam", "list-users", "--region", "eu-west-1"])
            == "--region can't be changed in an edit: this command runs with \"us-east-1\"; start a session with the one you want instead")
        #expect(EditedCommand.problem(editing: proposed, into: ["bash", "-c", "aws iam list-users"])
            == "must still run aws, not bash")
    }
}
