from typing import Iterable, List, Mapping, Sequence

__all__ = ['describe_key_mismatch']

_LISTED = 10


def _list(keys: Iterable[str]) -> str:
    keys = sorted(keys)
    shown = ', '.join(keys[:_LISTED])
    more = len(keys) - _LISTED
    return shown + (f', ... ({more} more)' if more > 0 else '')


def describe_key_mismatch(expected: Mapping[str, Sequence[int]],
                          given: Mapping[str, Sequence[int]],
                          source: str = 'file') -> List[str]:
    """How the tensors of a state dict differ from the ones a model has.

    Args:
        expected (Mapping[str, Sequence[int]]): The model's keys and
            shapes.
        given (Mapping[str, Sequence[int]]): The state dict's keys and
            shapes.
        source (str): What the state dict is called in the shape lines.
            Defaults to ``'file'``.

    Returns:
        list[str]: A line each for the missing keys, the unexpected keys and
        the shape mismatches that there are (ten of each named); empty if
        the keys and shapes match.
    """
    missing = expected.keys() - given.keys()
    unexpected = given.keys() - expected.keys()
    mismatched = [
        f'{key}: {source} {tuple(given[key])} vs model '
        f'{tuple(expected[key])}'
        for key in sorted(expected.keys() & given.keys())
        if tuple(expected[key]) != tuple(given[key])
    ]
    lines = []
    if missing:
        lines.append(f'Missing keys ({len(missing)}): {_list(missing)}')
    if unexpected:
        lines.append(
            f'Unexpected keys ({len(unexpected)}): {_list(unexpected)}')
    if mismatched:
        lines.append(f'Shape mismatches ({len(mismatched)}): ' +
                     '; '.join(mismatched[:_LISTED]))
    return lines
