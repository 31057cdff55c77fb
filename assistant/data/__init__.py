"""Data files shipped with the package (route examples)."""
