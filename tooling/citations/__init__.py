"""The citation graph around the base: which works each paper cites (`store`, filled by
`kb fetch --references` and kept in the cache folder), and what to read next from it (`suggest`,
offline: co-citation and bibliographic coupling counted exactly, each with its reasons).
"""
