"""Loading and validation: YAML with positions, the record models, the project, cross-record checks."""
