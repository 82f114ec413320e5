# The sandbox's "role-boundary" scenario (Sources/WhyDeniedSandbox/Scenarios/RoleBoundaryScenario.swift).
boundary=$(aws iam create-policy --policy-name OrderProcessorBoundary --query Policy.Arn --output text --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Sid":"S3ReadsOnly","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}')
aws iam create-role --role-name OrderProcessorRole --permissions-boundary "$boundary" --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
arn=$(aws iam create-policy --policy-name OrdersQueueWriter --query Policy.Arn --output text --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Sid":"SendOrders","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:orders"}]}')
aws iam attach-role-policy --role-name OrderProcessorRole --policy-arn "$arn"
aws --endpoint-url "$AWS_ENDPOINT_URL" sqs create-queue --queue-name orders >/dev/null
