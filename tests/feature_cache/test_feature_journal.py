import os
import re

import numpy as np
import pytest

from a3lign_mmaction.feature_cache import FeatureJournal, FeatureStore

LAYOUT = dict(views=2, frames=3, dim=2)


def views(n, offset=0):
    return (np.arange(n * 6).reshape(n, 3, 2) + offset).astype(np.float32)


def store_of(path):
    store = FeatureStore(str(path))
    store.add(['a', 'b', 'c'], **LAYOUT)
    return store


def test_journals_merge_into_the_store_a_single_writer_makes(tmp_path):
    direct = store_of(tmp_path / 'direct')
    items = [('a', 0), ('a', 1), ('b', 0), ('c', 1)]
    direct.write(items, views(4))
    merged = store_of(tmp_path / 'merged')
    FeatureJournal(merged, 'rank0').append(items[::2], views(4)[::2])
    FeatureJournal(merged, 'rank1').append(items[1::2], views(4)[1::2])
    assert merged.missing({'a': [0]}) == [('a', 0)]  # not merged yet
    assert FeatureJournal.merge(merged) == 4
    for name in sorted(os.listdir(tmp_path / 'direct')):
        assert (tmp_path / 'merged' / name).read_bytes() == (
            tmp_path / 'direct' / name).read_bytes(), name
    assert sorted(os.listdir(tmp_path / 'merged')) == sorted(
        os.listdir(tmp_path / 'direct'))  # no journal folder left


def test_what_a_killed_writer_left(tmp_path):
    store = store_of(tmp_path)
    journal = FeatureJournal(store, 'rank1')
    journal.append([('a', 0)], views(1))
    journal.append([('b', 0)], views(1, offset=50))
    # Killed while recording a third batch: its line is cut short.
    with open(f'{journal.stem}.jsonl', 'a') as f:
        f.write('[["c", 0, 48')
    # A process killed before its first record, and one killed while
    # writing its first data.
    FeatureJournal(store, 'rank2')
    (tmp_path / 'journal' / 'rank3.bin').write_bytes(b'\0' * 24)
    assert FeatureJournal.merge(store) == 2
    assert store.read('b', 0)[0, 0] == 50
    assert store.missing({'c': [0]}) == [('c', 0)]
    assert not (tmp_path / 'journal').exists()


def damaged(stem, message):
    """The first line of a damaged journal's refusal."""
    return (re.escape(message) + r'.*: the journal .*' + stem +
            r'\.jsonl / \.bin is damaged; remove both files and extract '
            'again')


def test_damaged_journal_is_named(tmp_path):
    store = store_of(tmp_path)
    journal = FeatureJournal(store, 'rank0')
    journal.append([('a', 0)], views(1))
    with open(f'{journal.stem}.bin', 'r+b') as f:
        f.write(b'\1\2\3')
    with pytest.raises(ValueError, match=damaged(
            'rank0', f'{journal.stem}.bin does not match its checksums '
            '(line 2)')):
        FeatureJournal.merge(store)


@pytest.mark.parametrize('fault,message', [
    ('garbage', 'a line is not JSON'),
    ('unknown clip', "line 2 names view 0 of clip 'train/NOPE_999', which "
     'the store does not hold'),
    ('empty data', 'rank0.bin is missing or empty'),
    ('malformed', 'line 2 is malformed'),
])
def test_each_damage_gives_the_journal_message(fault, message, tmp_path):
    store = store_of(tmp_path)
    journal = FeatureJournal(store, 'rank0')
    journal.append([('a', 0)], views(1))
    lines = open(f'{journal.stem}.jsonl').read().split('\n')
    if fault == 'garbage':
        lines.insert(2, 'not json at all')
    elif fault == 'unknown clip':
        lines[1] = lines[1].replace('"a"', '"train/NOPE_999"')
    elif fault == 'empty data':
        open(f'{journal.stem}.bin', 'w').close()
    else:
        lines[1] = '[["a", 0]]'
    with open(f'{journal.stem}.jsonl', 'w') as f:
        f.write('\n'.join(lines))
    with pytest.raises(ValueError, match=damaged('rank0', message)):
        FeatureJournal.merge(store)
    assert not store.is_done('a', 0)


def test_journal_of_another_store_is_refused(tmp_path):
    """A journal left by a killed extraction, after the store's files were
    removed and the store made again by another image tower: its views
    are refused, not merged."""
    store = store_of(tmp_path)
    FeatureJournal(store, 'old_rank').append([('a', 0)], views(1))
    for name in os.listdir(tmp_path):
        if name != 'journal':
            os.remove(tmp_path / name)
    remade = FeatureStore(str(tmp_path))
    remade.add(['a', 'b', 'c'], **LAYOUT, info=dict(tower='another'))
    with pytest.raises(ValueError, match=r'old_rank\.jsonl holds views '
                       r'made for another feature store than .* remove .*'
                       r'journal and extract again'):
        FeatureJournal.merge(remade)
    assert not remade.is_done('a', 0)


def test_non_finite_views_are_refused(tmp_path):
    bad = views(1)
    bad[0, 1, 1] = np.inf
    with pytest.raises(ValueError, match="view 1 of clip 'c' has 1"):
        FeatureJournal(store_of(tmp_path), 'r').append([('c', 1)], bad)
