"""The base in other tools' formats (`bibtex`). Exporters read the loaded base; they never talk
to arXiv."""
