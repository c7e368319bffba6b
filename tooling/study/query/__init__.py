"""kb-query: a Dataview-readable query language over the notes.

`parse` (lark: `grammar.lark`, its tables loaded by `parser`; the tree in `tree`) -> `compile`
(FROM and the data commands to one SQL statement with parameters; expressions in `expr`, names in
`fields`, functions in `functions`, compiled values in `values`) -> `table` (the notes as an
in-memory SQLite table, list fields as JSON; links and file times filled on demand) -> `engine`
(runs a query, or read-only raw SQL, every statement bounded) -> `render` (text, CSV, JSON,
HTML). `blocks` finds fenced `kb-query` and `dataview` blocks in note bodies.
"""
