import pytest

from a3lign_mmaction.datasets import total_batch_sampler
from a3lign_mmaction.datasets.total_batch_sampler import TotalBatchSampler


@pytest.mark.parametrize('world_size,per_process', [(1, 64), (4, 16)])
def test_splits_the_total_over_processes(world_size, per_process,
                                         monkeypatch):
    monkeypatch.setattr(total_batch_sampler, 'get_world_size',
                        lambda: world_size)
    batches = list(TotalBatchSampler(range(100), batch_size=64))
    assert [len(b) for b in batches] == [per_process] * (
        100 // per_process) + ([100 % per_process] if 100 % per_process
                               else [])
    assert sum(batches, []) == list(range(100))


def test_total_must_split_evenly(monkeypatch):
    monkeypatch.setattr(total_batch_sampler, 'get_world_size', lambda: 3)
    with pytest.raises(ValueError, match='64 clips does not split evenly '
                       'over 3 processes'):
        TotalBatchSampler(range(100), batch_size=64)
