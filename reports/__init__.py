"""Renderers: the registry, summaries and report files, from plain views to text, JSON and documents."""
