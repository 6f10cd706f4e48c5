"""One error hierarchy for the whole package.

Library code raises these; the CLI turns them into one line and exit code 1 (usage errors are
Click's, exit 2); the API turns them into its one JSON error shape. Each message says what the
user must do next.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""

    #: HTTP status the API maps this error to.
    status = 500
    code = "internal"


class ConfigError(EventwireError):
    """Settings are invalid (bad value, unreadable config file)."""

    status = 500
    code = "config"


class InputError(EventwireError):
    """One input (file, line, URL, record) cannot be processed; the batch goes on."""

    status = 400
    code = "bad_input"

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source, self.reason, self.line = source, reason, line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class FetchError(InputError):
    """A URL or feed could not be fetched (network, HTTP status, robots.txt)."""

    code = "fetch"


class FilterError(EventwireError):
    """A filter value (event type, country, date, ...) names nothing that exists."""

    status = 422
    code = "validation"

    def __init__(self, param: str, reason: str, valid: tuple[str, ...]) -> None:
        self.param, self.reason, self.valid = param, reason, valid
        super().__init__(f"{param}: {reason}; valid: {', '.join(valid)}")


class StoreError(EventwireError):
    """The database cannot be reached or written."""

    status = 503
    code = "store"


class NotFound(EventwireError):
    status = 404
    code = "not_found"


class ModelError(EventwireError):
    """A model or data package the pipeline needs is not installed."""

    status = 500
    code = "model"


class EvalError(EventwireError):
    """Evaluation data missing or malformed."""

    code = "eval"
