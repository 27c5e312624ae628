"""The pure decision core: models, normalisation, evidence, rules and decisions. No I/O here."""
