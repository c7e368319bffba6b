"""The site's Python-Markdown extensions, one module each, usable without MkDocs.

Each is a `markdown.Extension` with `makeExtension(context=...)` (the build's `Context`, which the
kb plugin passes) or `makeExtension(root=...)` (a host that can only name the notes root: the
extension loads the base once). Pages say which note they render with a marker line
(`context.page_marker`); see README, "The site without MkDocs plugins".

    demo  `python demo` blocks: the code, then its build-time output, figures and errors
"""

# Ours, in the order the MkDocs plugin lists them (each takes {"context"} or {"root", "directory_urls"}); embeds
# render other notes with these too when the host gives no converter of its own.
EXTENSIONS = [
    "tooling.site.markdown.guard", "tooling.site.markdown.comments", "tooling.site.markdown.cards",
    "tooling.site.markdown.wikilinks", "tooling.site.markdown.anchors", "tooling.site.markdown.tags",
    "tooling.site.markdown.callouts", "tooling.site.markdown.lists", "tooling.site.markdown.lines",
    "tooling.site.markdown.mermaid", "tooling.site.markdown.query", "tooling.site.markdown.fences",
    "tooling.site.markdown.sanitise",
]
