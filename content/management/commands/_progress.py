"""A tqdm progress bar for long management commands: shown on a terminal, silent when the output
is not a terminal (logs, CI) and at --verbosity 0."""

from functools import partial

from tqdm import tqdm


def progress_bar(verbosity: int):
    return partial(tqdm, disable=True if verbosity < 1 else None, unit=" records", leave=False)
