"""Python-Markdown extensions of the site, one module each (`markdown.Extension` with
`makeExtension`). They work in a plain `markdown.Markdown(extensions=[...])`; the MkDocs plugin
only configures them, so they outlive mkdocs-material's end of life (2027-05-05).

    demo  `python demo` blocks: the code, then its build-time output, figures and errors
"""
