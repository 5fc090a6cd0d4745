"""The source name of the fictional demo data: written by the demo generator (``zorgzaam.demo``), read by the
documents that say a figure is fictional. Its own module, so a reader need not import the generator."""

DEMO_SOURCE = "demo — fictief"

__all__ = ["DEMO_SOURCE"]
