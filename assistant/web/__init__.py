"""The web layer: thin views, forms, security, rendering. Knows no SQL and no dialogue rules."""
