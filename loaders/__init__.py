"""Ingest (files -> clean articles), extraction (article -> entities, relations),
entity resolution and curated-edge loading."""
