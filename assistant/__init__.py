"""Oma ääni: an accessible, conversational assistant whose answers become a caseworker's draft."""

__version__ = "0.1.0"
