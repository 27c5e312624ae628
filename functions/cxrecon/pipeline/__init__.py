"""Pipeline steps: combine the pure core with adapters. The Lambda handlers and the CLI both call these."""
