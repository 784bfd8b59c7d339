from a3lign_mmaction.utils import format_table


def test_columns_align_and_missing_cells_are_blank():
    table = format_table([
        dict(module='prompts', parameters=458752, stage='train'),
        dict(module='total', parameters=1234567),
    ])
    assert table.splitlines() == [
        'module   parameters  stage',
        '-------  ----------  -----',
        'prompts  458,752     train',
        'total    1,234,567',
    ]
