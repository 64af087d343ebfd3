"""The content pipeline: reading and validating bundles, writing each record type, loading, importing,
exporting and backing up. Sits above the catalogue (practices) and below curation."""
