"""The command line's help texts (`llct-sched --help`, `llct-sched solve --help`) in its language.

Typer builds the commands' help from texts given when `cli.py` is imported, before any language is
set, so the texts are marked with `N_()` (English, as written) and translated when help is shown:
`HelpGroup` and `HelpCommand` format their help in the language of the command line (the last
`--lang` among its arguments, else Vietnamese), translating their own help, their parameters' and
their subcommands', and the words typer and click add (panel titles, "Usage:", "[default: ...]",
the --help option's text).

Usage errors (an unknown option, a bad value, a missing argument) are typer's (0.29: its own copy
of click, with English f-strings and no catalog): `HelpGroup.main` shows them in the same language
by matching the message against typer's templates in `USAGE_ERRORS` and putting in the catalog's
translation; a message no template matches is shown as it is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import typer.rich_utils as rich_utils
from typer import _click as click  # typer (0.29) formats help with its own copy of click
from typer.core import TyperCommand, TyperGroup

from llct_sched.i18n import LANGUAGES, N_, _, speaking, translation

DEFAULT_LANGUAGE = "vi"  # the command line's, unlike the library's
_META_KEY = "llct_sched.help_language"

HELP_OPTION_HELP = N_("Show this message and exit.")
USAGE = "Usage: "  # click's prefix, replaced by its translation
# typer's words in rich help (module globals of typer.rich_utils, read when help is formatted)
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}
SHOWN_WORDS = (N_("Usage: "),)
# typer's words around a usage error, shown as `typer.rich_utils` module globals
ERROR_WORDS = {
    "ERRORS_PANEL_TITLE": N_("Error"),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    "ABORTED_TEXT": N_("Aborted."),
}
# typer's usage errors as it writes them ({name}: a part kept, itself translated when a template
# matches it); the composed ones before their parts
USAGE_ERRORS = (
    N_("No such option: {name} (Possible options: {names})"),
    N_("No such option: {name}"),
    N_("No such command {name}. Did you mean {names}?"),
    N_("No such command {name}."),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    N_("Missing option {name}. {reason}"),
    N_("Missing option {name}."),
    N_("Missing argument {name}. {reason}"),
    N_("Missing argument {name}."),
    N_("Missing parameter: {name}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {count} values."),
    N_("Got unexpected extra argument ({names})"),
    N_("Got unexpected extra arguments ({names})"),
    N_("Got unexpected extra argument(s) ({names})"),
    N_("Value error, {reason}"),
    N_("{value} is not one of {names}."),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be greater than or equal to {value}"),
    N_("Input should be less than or equal to {value}"),
    N_("Input should be greater than {value}"),
    N_("Input should be less than {value}"),
    N_("{name} {value} does not exist."),
    N_("{name} {value} is a directory."),
    N_("{name} {value} is a file."),
)


def language_in(args: Sequence[str]) -> str | None:
    """The language given by the last `--lang vi|en` (or `--lang=en`) among `args`, if any."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGUAGES:
            found = value
    return found


def _english(thing: Any, attribute: str) -> str | None:
    """The English text of `thing.attribute`, kept aside the first time it is translated."""
    kept = f"_english_{attribute}"
    if kept not in vars(thing):
        setattr(thing, kept, getattr(thing, attribute))
    return getattr(thing, kept)


def _translate(thing: Any, *attributes: str) -> None:
    for attribute in attributes:
        text = _english(thing, attribute)
        if text:
            setattr(thing, attribute, _(text))


@contextmanager
def _rich_words(words: dict[str, str], translate: Callable[[str], str]) -> Iterator[None]:
    """typer's words (module globals of typer.rich_utils: name -> English) translated for the block
    (process-wide, put back after)."""
    saved = {name: getattr(rich_utils, name) for name in words}
    try:
        for name, text in words.items():
            setattr(rich_utils, name, translate(text))
        yield
    finally:
        for name, value in saved.items():
            setattr(rich_utils, name, value)


def _translated_help(command: click.Command, ctx: click.Context) -> None:
    """The command's help, its parameters' (the --help option's too) and its subcommands', translated."""
    _translate(command, "help", "short_help")
    for param in command.get_params(ctx):
        if not hasattr(param, "help"):  # arguments have help in typer only
            continue
        if param.name == "help" and param.help:
            param.help = _(HELP_OPTION_HELP)
        else:
            _translate(param, "help")
    for sub in getattr(command, "commands", {}).values():  # a group's
        _translate(sub, "help", "short_help")


def _remember_language(ctx: click.Context, args: list[str]) -> None:
    code = language_in(args)
    if code is not None:
        ctx.meta[_META_KEY] = code  # meta is shared by a context and its subcommands' contexts


def _format(command: click.Command, ctx: click.Context, show: Any) -> None:
    with speaking(ctx.meta.get(_META_KEY, DEFAULT_LANGUAGE)), _rich_words(TYPER_WORDS, _):
        _translated_help(command, ctx)
        show()


def _usage(text: str) -> str:
    return _(USAGE) + text.removeprefix(USAGE) if text.startswith(USAGE) else text


class HelpGroup(TyperGroup):
    """The root command: help and usage errors in the command line's language."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        code = language_in(sys.argv[1:] if args is None else args) or DEFAULT_LANGUAGE
        with _error_words(code):
            return super().main(args, *more, **options)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _remember_language(ctx, args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format(self, ctx, lambda: super(HelpGroup, self).format_help(ctx, formatter))

    def get_usage(self, ctx: click.Context) -> str:
        return _usage(super().get_usage(ctx))


class HelpCommand(TyperCommand):
    """A command: help in the command line's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _remember_language(ctx, args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format(self, ctx, lambda: super(HelpCommand, self).format_help(ctx, formatter))

    def get_usage(self, ctx: click.Context) -> str:
        return _usage(super().get_usage(ctx))


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """A template of USAGE_ERRORS as a regular expression, its {fields} as named groups."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex, re.S)


def translate_usage_error(message: str, code: str) -> str:
    """A usage error of typer in language `code`: the first template of USAGE_ERRORS that matches
    the whole message, translated, with its parts translated the same way; else the message."""
    if code == "en":
        return message
    for template in USAGE_ERRORS:
        found = _pattern(template).fullmatch(message)
        if found:
            parts = {key: translate_usage_error(value, code) for key, value in found.groupdict().items()}
            return translation(code).gettext(template).format(**parts)
    return message


@contextmanager
def _error_words(code: str) -> Iterator[None]:
    """While the command line runs: its usage errors, typer's words around them and the usage
    line in language `code` (typer's error printers wrapped; everything put back after)."""
    show_error = rich_utils.rich_format_error

    def format_error(self: click.ClickException) -> None:
        english = self.format_message()
        self.format_message = lambda: translate_usage_error(english, code)  # type: ignore[method-assign]
        with speaking(code):
            show_error(self)

    with _rich_words(ERROR_WORDS, translation(code).gettext):
        try:
            rich_utils.rich_format_error = format_error
            yield
        finally:
            rich_utils.rich_format_error = show_error
