"""The site's Python-Markdown extensions, one module each, usable without MkDocs.

Each is a `markdown.Extension` with `makeExtension(root=...)`, reaching the knowledge base through
the shared, memoised `context.for_root(root)`. Pages say which note they render with a marker line
(`context.page_marker`); see README, "The site without MkDocs plugins".

    demo  `python demo` blocks: the code, then its build-time output, figures and errors
"""
