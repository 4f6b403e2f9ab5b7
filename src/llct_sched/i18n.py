"""The tool's own words (CLI messages, validation errors, the input template) in Vietnamese or English.

Messages are written in English in the code, marked with `_()`, and translated by the gettext
catalog `locale/vi/LC_MESSAGES/llct_sched.po` (compiled to `.mo` beside it, shipped with the
package). The library speaks English unless `set_language("vi")` is called; the command line
speaks Vietnamese unless given `--lang en`.

`set_language` is process-wide. A server answering requests in several languages at once uses
`speaking(code)` instead: a context manager that sets the language of the current context only
(a `contextvars.ContextVar`: one thread, one asyncio task), which `_()` and `language()` read
before the process-wide language.

Texts whose language is a parameter rather than the current language (the reports, explain, the
re-plan's change log) are keyed word tables: `NP_(key, English)` marks each with its key as the
message's context, and `translation(code).pgettext(key, English)` gives it in that language.

Maintainers: after editing the .po, run `python -m llct_sched.i18n` (needs Babel) to compile the
.mo; `tests/test_i18n.py` fails on any marked message without a Vietnamese translation and on any
English word of the tool's messages in the command line's Vietnamese output.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

DOMAIN = "llct_sched"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()
_code = "en"
# the language of the current context (see `speaking`), before the process-wide one
_context: ContextVar[str | None] = ContextVar("llct_sched_language", default=None)


@cache
def translation(code: str) -> gettext.NullTranslations:
    """The catalog of one language ("vi" or "en"; English is the messages as written).

    For texts whose language is a parameter (the reports, explain, the re-plan's change log), not
    the current language."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language '{code}' (have: {', '.join(LANGUAGES)})")
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code])


def set_language(code: str) -> str:
    """Speak `code` ("vi" or "en") from now on; returns the previous language."""
    global _current, _code
    _current = translation(code)
    previous, _code = _code, code
    return previous


def language() -> str:
    """The language messages are given in now (the current context's, else the process's)."""
    return _context.get() or _code


@contextmanager
def speaking(code: str) -> Iterator[str]:
    """Speak `code` in the current context only (this thread or asyncio task, and the tasks and
    worker threads it starts), until the block ends; other threads keep their language."""
    translation(code)  # an unknown language fails here
    token = _context.set(code)
    try:
        yield code
    finally:
        _context.reset(token)


def _catalog() -> gettext.NullTranslations:
    code = _context.get()
    return _current if code is None else translation(code)


def _(message: str) -> str:
    """`message` (English) in the current language."""
    return _catalog().gettext(message)


def pgettext(context: str, message: str) -> str:
    """A message marked with `NP_(context, message)`, in the current language."""
    return _catalog().pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalog without translating it yet (translated where it is shown)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Marks a message with its context (msgctxt) for the catalog; returns both, to be translated
    where it is shown with `translation(code).pgettext(context, message)`.

    The keyed word tables (report labels, explain, the change log) use their key as the context, so
    that one English word may have two Vietnamese ones ("Sessions": "Số buổi", "Buổi học")."""
    return context, message


def keyed(*entries: tuple[str, str], prefix: str = "") -> dict[str, tuple[str, str]]:
    """A word table from `NP_(prefix + key, English)` entries: key -> (context, English)."""
    table: dict[str, tuple[str, str]] = {}
    for context, message in entries:
        key = context.removeprefix(prefix)
        if key in table or not context.startswith(prefix):
            raise ValueError(f"bad or repeated key '{context}'")
        table[key] = (context, message)
    return table


# --- pydantic's validation errors ----------------------------------------------------------------

# pydantic error type -> a message template over the error's context (pydantic's own `ctx` keys)
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("required but missing"),
    "extra_forbidden": N_("unknown key '{key}'"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be at most {le}"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "string_type": N_("must be text"),
    "string_too_short": N_("must have at least {min_length} character(s)"),
    "string_too_long": N_("must have at most {max_length} character(s)"),
    "string_pattern_mismatch": N_("must be an identifier without spaces"),
    "bool_parsing": N_("must be yes or no (true / false)"),
    "bool_type": N_("must be yes or no (true / false)"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("must be a date without a time of day"),
    "time_parsing": N_("must be a time of day (HH:MM)"),
    "time_type": N_("must be a time of day (HH:MM)"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a mapping (keys and values)"),
    "model_type": N_("must be a mapping (keys and values)"),
    "model_attributes_type": N_("must be a mapping (keys and values)"),
    "too_short": N_("must have at least {min_length} item(s)"),
    "too_long": N_("must have at most {max_length} item(s)"),
    "enum": N_("must be one of: {expected}"),
    "literal_error": N_("must be one of: {expected}"),
    "union_tag_invalid": N_("unknown kind '{tag}' (kinds: {expected_tags})"),
    "union_tag_not_found": N_("the kind is missing ({discriminator})"),
    "none_required": N_("must be empty"),
    "multiple_of": N_("must be a multiple of {multiple_of}"),
}


def pydantic_message(error: dict[str, Any]) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) in plain words, in the current language.

    Our own validators' messages (type value_error) are shown as they were raised (they are
    translated where they are raised); a type without a template keeps pydantic's English text.
    """
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return message
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    fields: dict[str, Any] = dict(error.get("ctx") or {})
    loc = [p for p in error.get("loc", ()) if not (isinstance(p, str) and p.startswith("function-"))]
    fields.setdefault("key", loc[-1] if loc else "")
    try:
        return _(template).format(**fields)
    except (KeyError, IndexError):
        return str(error.get("msg", ""))


def compile_catalog() -> Path:
    """Compile the Vietnamese .po into the .mo beside it (a maintainer's step; needs Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    with po.open("rb") as source:
        catalog = read_po(source)
    with mo.open("wb") as target:
        write_mo(target, catalog)
    return mo


if __name__ == "__main__":
    print(compile_catalog())
