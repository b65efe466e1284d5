"""Engines: one module per engine, each exposing ENGINE (see base.py)."""
