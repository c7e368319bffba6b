"""kb-query: a Dataview-readable query language over the notes.

`parse` (lark: `grammar.lark`, its tables loaded by `parser`) -> `compile` (the tree to one SQL
statement with parameters) -> `table` (the notes as an in-memory SQLite table, list fields as
JSON) -> `engine` (runs a query, or read-only raw SQL) -> `render` (text, CSV, JSON, HTML).
`blocks` finds fenced `kb-query` blocks in note bodies.
"""
