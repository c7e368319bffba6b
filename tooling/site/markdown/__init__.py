"""The site's Python-Markdown extensions, one module each, usable without MkDocs.

Each is a `markdown.Extension` with `makeExtension(context=...)` (the build's `Context`, which the
kb plugin passes) or `makeExtension(root=...)` (a host that can only name the notes root: the
extension loads the base once). Pages say which note they render with a marker line
(`context.page_marker`); see README, "The site without MkDocs plugins".

    demo  `python demo` blocks: the code, then its build-time output, figures and errors
"""
