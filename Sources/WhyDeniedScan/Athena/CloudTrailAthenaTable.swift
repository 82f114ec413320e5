import Foundation

/// The Athena table over a trail's S3 bucket, with partition projection on account, region and
/// day, so queries read only the days they ask for and no `MSCK REPAIR`/`ADD PARTITION` is needed.
/// The columns follow the CloudTrail table in AWS's Athena documentation.
///
/// ```swift
/// let table = CloudTrailAthenaTable(bucket: "org-trail", prefix: "", accounts: ["111122223333"],
///                                   regions: ["us-east-1"], firstDay: "2024/01/01")
/// table.createStatement   // CREATE EXTERNAL TABLE IF NOT EXISTS … TBLPROPERTIES (…)
/// ```
public struct CloudTrailAthenaTable: Sendable, Equatable {
    public struct InvalidTable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let database: String
    public let name: String
    public let bucket: String
    public let prefix: String
    public let accounts: [String]
    public let regions: [String]
    /// `yyyy/MM/dd`: the first day the projection offers.
    public let firstDay: String

    public init(database: String = "default", name: String = "whydenied_cloudtrail", bucket: String, prefix: String,
                accounts: [String], regions: [String], firstDay: String) throws(InvalidTable) {
        // Identifiers and values end up inside SQL text: only the characters AWS allows for them.
        guard Self.isIdentifier(database), Self.isIdentifier(name) else {
            throw InvalidTable(description: "database and table names may hold only letters, digits and '_'")
        }
        guard bucket.range(of: #"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$"#, options: .regularExpression) != nil else {
            throw InvalidTable(description: "\"\(bucket)\" is not an S3 bucket name")
        }
        guard prefix.range(of: #"^[A-Za-z0-9!_.*()/\-]*$"#, options: .regularExpression) != nil else {
            throw InvalidTable(description: "the trail's S3 prefix \"\(prefix)\" has characters that cannot go in a table location")
        }
        guard !accounts.isEmpty, accounts.allSatisfy({ $0.range(of: #"^\d{12}$"#, options: .regularExpression) != nil }) else {
            throw InvalidTable(description: "accounts must be 12-digit account ids")
        }
        guard !regions.isEmpty, regions.allSatisfy({ $0.range(of: #"^[a-z]{2}(-[a-z]+)+-\d$"#, options: .regularExpression) != nil }) else {
            throw InvalidTable(description: "regions must look like us-east-1")
        }
        guard firstDay.range(of: #"^\d{4}/\d{2}/\d{2}$"#, options: .regularExpression) != nil else {
            throw InvalidTable(description: "the first day must be yyyy/MM/dd")
        }
        self.database = database
        self.name = name
        self.bucket = bucket
        self.prefix = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.accounts = accounts
        self.regions = regions
        self.firstDay = firstDay
    }

    static func isIdentifier(_ text: String) -> Bool {
        text.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,127}$"#, options: .regularExpression) != nil
    }

    public var qualifiedName: String { "\(database).\(name)" }

    var root: String { prefix.isEmpty ? "s3://\(bucket)/AWSLogs" : "s3://\(bucket)/\(prefix)/AWSLogs" }

    public var createStatement: String {
        """
        CREATE EXTERNAL TABLE IF NOT EXISTS \(qualifiedName) (
            eventversion STRING,
            useridentity STRUCT<
                type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
                accesskeyid: STRING, username: STRING,
                sessioncontext: STRUCT<
                    attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
                    sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
                    ec2roledelivery: STRING,
                    webidfederationdata: MAP<STRING, STRING>>>,
            eventtime STRING,
            eventsource STRING,
            eventname STRING,
            awsregion STRING,
            sourceipaddress STRING,
            useragent STRING,
            errorcode STRING,
            errormessage STRING,
            requestparameters STRING,
            responseelements STRING,
            additionaleventdata STRING,
            requestid STRING,
            eventid STRING,
            readonly STRING,
            resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
            eventtype STRING,
            apiversion STRING,
            recipientaccountid STRING,
            serviceeventdetails STRING,
            sharedeventid STRING,
            vpcendpointid STRING,
            tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
        )
        PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)
        ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
        STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
        LOCATION '\(root)/'
        TBLPROPERTIES (
            'projection.enabled'='true',
            'projection.account.type'='enum',
            'projection.account.values'='\(accounts.joined(separator: ","))',
            'projection.region.type'='enum',
            'projection.region.values'='\(regions.joined(separator: ","))',
            'projection.timestamp.type'='date',
            'projection.timestamp.format'='yyyy/MM/dd',
            'projection.timestamp.interval'='1',
            'projection.timestamp.interval.unit'='DAYS',
            'projection.timestamp.range'='\(firstDay),NOW',
            'storage.location.template'='\(root)/${account}/CloudTrail/${region}/${timestamp}'
        )
        """
    }
}
