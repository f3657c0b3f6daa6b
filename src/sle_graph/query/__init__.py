"""Asking the graph: ranked, explained paths (:mod:`.paths`) and metapath patterns
(:mod:`.patterns`).
"""
