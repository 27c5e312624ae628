"""cxrecon: reconciles NICE CXone interactions with Salesforce Tasks."""

__version__ = "0.1.0"
