"""arXiv: ids (`ids`), the polite HTTP client (`http`, `client`), the day's cache (`cache`), answers
as plain records (`records`) and note fields (`fields`), who owns a field (`ownership`), and the
two commands built on them (`add`, `fetch`). Importing the package loads none of the HTTP stack.
"""
