"""Item pipelines: extraction, classification, metadata, dedupe and storage, one stage each."""
