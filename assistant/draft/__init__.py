"""The draft for the caseworker: answers -> draft model -> html, text, json, docx, fhir."""
