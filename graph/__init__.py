"""cmkg: a knowledge graph of critical-minerals diplomacy read out of news and policy texts.

The package is a pipeline of stages, one module each:
ingest → extract → build → validate → store → analyze → export → serve.
"""

__version__ = "0.1.0"
