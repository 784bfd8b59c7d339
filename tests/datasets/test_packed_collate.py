import numpy as np
import torch
from mmaction.datasets.transforms import PackActionInputs
from mmaction.registry import MODELS
from mmengine.dataset import pseudo_collate
from mmengine.runner import Runner

from a3lign_mmaction.datasets import packed_collate


class Clips(torch.utils.data.Dataset):
    """PackActionInputs outputs of ``(1, 4, 8)`` embeddings, or of
    ``(1, n, 8)`` with ``ragged``."""

    def __init__(self, size: int = 6, ragged: bool = False) -> None:
        self.size, self.ragged = size, ragged
        self.pack = PackActionInputs()

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> dict:
        frames = 2 + index if self.ragged else 4
        imgs = np.full((1, frames, 8), index, np.float32)
        return self.pack(dict(imgs=imgs, label=index % 3))


def storages(tensors):
    return {t.untyped_storage().data_ptr() for t in tensors}


def test_same_batch_as_pseudo_collate_in_two_storages():
    items = [Clips()[i] for i in range(6)]
    expected = pseudo_collate(items)
    batch = packed_collate(items)
    assert isinstance(batch['inputs'], list)
    for ours, theirs in zip(batch['inputs'], expected['inputs']):
        assert torch.equal(ours, theirs)
    labels = [s.gt_label for s in batch['data_samples']]
    assert [x.tolist() for x in labels] == [[i % 3] for i in range(6)]
    assert len(storages(batch['inputs'])) == 1
    assert len(storages(labels)) == 1
    # The data preprocessor stacks both to the same batch.
    preprocessor = MODELS.build(dict(type='ActionDataPreprocessor'))
    ours = preprocessor(batch, training=True)
    theirs = preprocessor(expected, training=True)
    assert torch.equal(ours['inputs'], theirs['inputs'])


def test_tensors_of_different_shapes_stay_apart():
    items = [Clips(ragged=True)[i] for i in range(3)]
    batch = packed_collate(items)
    assert [x.shape[1] for x in batch['inputs']] == [2, 3, 4]
    assert len(storages(batch['inputs'])) == 3
    labels = [s.gt_label for s in batch['data_samples']]
    assert len(storages(labels)) == 1


def test_a_worker_hands_over_one_storage_per_field():
    loader = Runner.build_dataloader(
        dict(
            dataset=Clips(),
            batch_size=3,
            num_workers=2,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='packed_collate')))
    batches = list(loader)
    assert len(batches) == 2
    for start, batch in zip((0, 3), batches):
        inputs = batch['inputs']
        assert [x[0, 0, 0].item() for x in inputs] == [start, start + 1,
                                                       start + 2]
        assert len(storages(inputs)) == 1
        assert len(storages(s.gt_label for s in batch['data_samples'])) == 1
