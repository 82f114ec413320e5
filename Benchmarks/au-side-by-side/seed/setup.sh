# The sandbox's "seed" scenario (Sources/WhyDeniedSandbox/Scenarios/S3BucketPolicyIPDenyScenario.swift).
aws iam create-role --role-name DataAnalystRole --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
arn=$(aws iam create-policy --policy-name AnalyticsS3ReadOnlyAccess --query Policy.Arn --output text --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Sid":"S3ReadOnly","Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}')
aws iam attach-role-policy --role-name DataAnalystRole --policy-arn "$arn"
aws s3api create-bucket --bucket analytics-data-bucket >/dev/null
aws s3api put-bucket-policy --bucket analytics-data-bucket --policy \
  '{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideCorporateNetwork","Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::analytics-data-bucket/*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}'
