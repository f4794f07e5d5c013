"""The dialogue engine: model, loader and validation, conditions, engine. Pure: no I/O, no web."""
