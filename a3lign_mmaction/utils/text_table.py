from typing import List, Mapping

__all__ = ['format_table']


def format_table(rows: List[Mapping[str, object]]) -> str:
    """Rows of equal keys as a text table, the keys as its header.

    Integers get thousands separators; a key a row lacks is left blank.

    Args:
        rows (list[Mapping]): The rows; the first one's keys are the
            columns.

    Returns:
        str: The header, a rule and one line per row, left-aligned.
    """
    header = list(rows[0])
    cells = [header] + [[
        f'{row[key]:,}' if isinstance(row.get(key), int) else str(
            row.get(key, '')) for key in header
    ] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = [
        '  '.join(cell.ljust(width)
                  for cell, width in zip(line, widths)).rstrip()
        for line in cells
    ]
    lines.insert(1, '  '.join('-' * width for width in widths))
    return '\n'.join(lines)
