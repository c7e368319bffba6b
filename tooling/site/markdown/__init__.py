"""Python-Markdown extensions of the site (one module each, each with `makeExtension`)."""
