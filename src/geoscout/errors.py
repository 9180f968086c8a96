"""The one exception type the CLI turns into a single clear error line."""


class GeoscoutError(Exception):
    """A user-facing error: bad input, missing weights, unreadable snapshot, unwritable folder."""
