import os

import numpy as np
import pytest

from a3lign_mmaction.datasets import FeatureJournal, FeatureStore

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
    # And a process killed before its first record.
    (tmp_path / 'journal' / 'rank2.bin').write_bytes(b'\0' * 24)
    assert FeatureJournal.merge(store) == 2
    assert store.read('b', 0)[0, 0] == 50
    assert store.missing({'c': [0]}) == [('c', 0)]
    assert not (tmp_path / 'journal').exists()


def test_damaged_journal_is_named(tmp_path):
    store = store_of(tmp_path)
    journal = FeatureJournal(store, 'rank0')
    journal.append([('a', 0)], views(1))
    with open(f'{journal.stem}.bin', 'r+b') as f:
        f.write(b'\1\2\3')
    with pytest.raises(ValueError, match=r'rank0.bin does not match its '
                       r'checksums in .*rank0.jsonl'):
        FeatureJournal.merge(store)


def test_non_finite_views_are_refused(tmp_path):
    bad = views(1)
    bad[0, 1, 1] = np.inf
    with pytest.raises(ValueError, match="view 1 of clip 'c' has 1"):
        FeatureJournal(store_of(tmp_path), 'r').append([('c', 1)], bad)
