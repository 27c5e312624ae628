"""The only code that does I/O: S3, SQS, DynamoDB, Secrets Manager and Parquet."""
