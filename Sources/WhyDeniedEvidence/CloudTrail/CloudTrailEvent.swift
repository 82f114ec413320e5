import Foundation
import WhyDeniedJSON
import WhyDeniedRedaction

/// One CloudTrail record, with the fields the analysis reads decoded and the whole record kept
/// as `raw` for anything else.
///
/// ```swift
/// let event = try CloudTrailEvent(record: JSONValue.parse(recordText))
/// event.eventName      // "GetObject"
/// event.isDenied       // true when errorCode is AccessDenied, Client.UnauthorizedOperation, ...
/// event.userIdentity?.policyHolderArn  // the role behind an assumed-role session
/// ```
public struct CloudTrailEvent: Sendable, Hashable {
    public var eventVersion: String?
    public var eventTime: Date?
    /// `eventTime` as recorded, for display and for error messages.
    public var eventTimeText: String?
    public var eventSource: String?
    public var eventName: String?
    public var awsRegion: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var userIdentity: CloudTrailUserIdentity?
    public var sourceIPAddress: String?
    public var vpcEndpointId: String?
    public var userAgent: String?
    public var requestParameters: JSONValue?
    /// May hold credentials (`AssumeRole`): use `redactedResponseElements` for display.
    public var responseElements: JSONValue?
    public var additionalEventData: JSONValue?
    public var resources: [CloudTrailResource]
    public var recipientAccountId: String?
    public var eventID: String?
    public var requestID: String?
    public var readOnly: Bool?
    public var managementEvent: Bool?
    public var tlsDetails: TLSDetails?
    public var eventType: String?
    public var eventCategory: String?
    public var sharedEventID: String?
    /// The record exactly as read (unknown keys included).
    public var raw: JSONValue

    /// One entry of the record's `resources` list.
    public struct CloudTrailResource: Sendable, Hashable {
        public var arn: String?
        public var accountId: String?
        public var type: String?

        public init(arn: String? = nil, accountId: String? = nil, type: String? = nil) {
            self.arn = arn
            self.accountId = accountId
            self.type = type
        }
    }

    /// The TLS session the caller used.
    public struct TLSDetails: Sendable, Hashable {
        public var tlsVersion: String?
        public var cipherSuite: String?
        public var clientProvidedHostHeader: String?

        public init(tlsVersion: String? = nil, cipherSuite: String? = nil, clientProvidedHostHeader: String? = nil) {
            self.tlsVersion = tlsVersion
            self.cipherSuite = cipherSuite
            self.clientProvidedHostHeader = clientProvidedHostHeader
        }
    }

    /// Decodes a record. Unknown keys are ignored; a known field of the wrong type, an
    /// unreadable `eventTime`, or a value that is not a CloudTrail record at all is an error
    /// naming the field.
    public init(record: JSONValue) throws(CloudTrailRecordError) {
        guard case .object(let object) = record else {
            throw CloudTrailRecordError(field: "", problem: "is \(RecordFieldReader.describe(record)), a CloudTrail record (an object) was expected")
        }
        let fields = RecordFieldReader(object)
        guard Self.looksLikeRecord(object) else {
            throw CloudTrailRecordError(field: "", problem: "is not a CloudTrail record: \(Self.whyNotARecord(object))")
        }
        raw = record
        eventVersion = try fields.string("eventVersion")
        eventTimeText = try fields.string("eventTime")
        if let text = eventTimeText {
            guard let date = Timestamp.parseISO(text) else {
                throw CloudTrailRecordError(field: "eventTime", problem: "\"\(text.prefix(40))\" is not an ISO-8601 time")
            }
            eventTime = date
        }
        eventSource = try fields.string("eventSource")
        eventName = try fields.string("eventName")
        awsRegion = try fields.string("awsRegion")
        errorCode = try fields.string("errorCode")
        errorMessage = try fields.string("errorMessage")
        if let identity = try fields.object("userIdentity") {
            userIdentity = try CloudTrailUserIdentity(reading: identity)
        }
        sourceIPAddress = try fields.string("sourceIPAddress")
        vpcEndpointId = try fields.string("vpcEndpointId")
        userAgent = try fields.string("userAgent")
        requestParameters = fields.value("requestParameters")
        responseElements = fields.value("responseElements")
        additionalEventData = fields.value("additionalEventData")
        resources = []
        for (index, item) in (try fields.array("resources") ?? []).enumerated() {
            guard case .object(let entry) = item else {
                throw CloudTrailRecordError(field: "resources[\(index)]", problem: "is \(RecordFieldReader.describe(item)), an object was expected")
            }
            let resource = RecordFieldReader(entry, path: "resources[\(index)]")
            resources.append(CloudTrailResource(arn: try resource.string("ARN"), accountId: try resource.string("accountId"),
                                                type: try resource.string("type")))
        }
        recipientAccountId = try fields.string("recipientAccountId")
        eventID = try fields.string("eventID")
        requestID = try fields.string("requestID")
        readOnly = try fields.flag("readOnly")
        managementEvent = try fields.flag("managementEvent")
        if let tls = try fields.object("tlsDetails") {
            tlsDetails = TLSDetails(tlsVersion: try tls.string("tlsVersion"), cipherSuite: try tls.string("cipherSuite"),
                                    clientProvidedHostHeader: try tls.string("clientProvidedHostHeader"))
        }
        eventType = try fields.string("eventType")
        eventCategory = try fields.string("eventCategory")
        sharedEventID = try fields.string("sharedEventID")
    }

    /// Why an object is not taken for a record: "it has none of eventTime, … (keys: foo)".
    package static func whyNotARecord(_ object: JSONObject) -> String {
        let keys = object.keys.prefix(6).joined(separator: ", ")
        return "it has none of eventTime, eventName, eventSource, eventID, userIdentity (keys: \(keys.isEmpty ? "none" : keys))"
    }

    package static func looksLikeRecord(_ object: JSONObject) -> Bool {
        ["eventTime", "eventName", "eventSource", "eventID", "userIdentity"].contains { object[$0] != nil || object.value(forCaseInsensitiveKey: $0) != nil }
    }

    /// True when the error code says the request was denied (see `DeniedErrorCode`).
    public var isDenied: Bool { DeniedErrorCode.isDenied(errorCode) }

    /// A short handle for messages: the first 8 characters of the event ID.
    public var shortID: String { eventID.map { String($0.prefix(8)) } ?? "(no eventID)" }

    /// The account that owns the resource acted on: `recipientAccountId`, else the caller's.
    public var resourceAccountId: String? { recipientAccountId ?? userIdentity?.accountId }

    /// `responseElements` with credentials, secrets and tokens masked, safe to print.
    public var redactedResponseElements: JSONValue? { responseElements.map { Redactor().redact($0) } }
}
