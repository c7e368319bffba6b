"""The static site: a thin MkDocs plugin over page generators that read the knowledge base."""
