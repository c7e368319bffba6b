"""kb: a personal knowledge base and study tracker for ML papers, concepts and authors.

The pipeline, one module per stage: load (files -> notes) -> links (resolve references) ->
graph (networkx) -> checks / reports / site. `base.open_base` runs it once and hands the result on.
"""

__version__ = "0.1.0"
