"""Reading and writing graphs in the formats other tools use: the curated files
(:mod:`.curated`), KGX (:mod:`.kgx`), Hetionet (:mod:`.hetionet`) and pandas DataFrames
(:mod:`.dataframes`).
"""
