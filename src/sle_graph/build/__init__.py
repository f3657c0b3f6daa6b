"""Building a graph: located records (:mod:`.records`, read from delimited tables by
:mod:`.tables`), their checks (:mod:`.validation`), study rows (:mod:`.studies`) and evidence
grades (:mod:`.grading`), the modality of quotes (:mod:`.modality`). Nothing here imports the graph or any operation on it.
"""
