"""Declaring that a piece of a snippet must raise, so pages can show real error messages."""

import re


class expect:
    """`with expect(RuntimeError, match="..."):` passes only if that exception is raised.

    The error is printed as `Type: message`, so the page shows what PyTorch really says.
    Any other exception goes through; no exception at all is an error.
    """

    def __init__(self, exc_type, match=None):
        self.exc_type = exc_type
        self.match = match

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        name = self.exc_type.__name__
        if kind is None:
            raise AssertionError(f"expected {name}, but nothing was raised")
        if not issubclass(kind, self.exc_type):
            return False
        message = str(error)
        if self.match and not re.search(self.match, message):
            raise AssertionError(f"{name} raised, but {message!r} does not match {self.match!r}")
        first_line = message.strip().splitlines()[0] if message.strip() else ""
        print(f"{kind.__name__}: {first_line}")
        self.error = error
        return True
