"""Oma ääni: an accessible, conversational assistant for wishes and needs before an HB meeting."""

__version__ = "0.1.0"
