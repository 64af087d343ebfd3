"""Shared helpers with no models and no knowledge of the catalogue: the bottom layer every app may use."""
