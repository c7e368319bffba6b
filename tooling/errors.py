"""The one exception type a user is meant to read: commands print it and exit non-zero."""


class KbError(Exception):
    """A failure explained in words (`papers/x.md:3: ...`), never shown as a traceback."""

    exit_code = 1
