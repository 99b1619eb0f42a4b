"""Ketenregie: grip op arbeidsmigratie voor gemeenten en hun ketenpartners."""

__version__ = "0.1.0"
