"""A tqdm progress bar for long management commands, silent at --verbosity 0."""

from functools import partial

from tqdm import tqdm


def progress_bar(verbosity: int):
    return partial(tqdm, disable=verbosity < 1, unit=" records", leave=False)
