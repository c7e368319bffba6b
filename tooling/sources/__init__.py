"""Where papers' metadata comes from: arXiv, OpenAlex, OpenReview and Crossref, each answering
with the same plain record (`work`), through one network policy (`http`, `deadline`) and one
day's cache (`cache`); which source answers for which identifier (`lookup`); a record as note
fields (`fields`) and who owns a field (`ownership`); and the commands built on them: `add`,
`fetch` (and `--resolve`), `references` (`kb fetch --references`). Importing the package loads
none of the HTTP stack.
"""
