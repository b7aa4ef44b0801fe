"""Publishing without telling the audience: for loading the demo or a bulk import."""

from contextlib import contextmanager
from contextvars import ContextVar

_quiet = ContextVar("quiet_publication", default=False)


@contextmanager
def quiet_publication():
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    return _quiet.get()
