"""Data-access and use-case functions shared by the HTTP routes and the CLI.

They take a Session and plain values (keyword-only), call ``matcher`` for domain logic, and
raise domain errors (``api.services.errors``), never HTTPException.
"""
