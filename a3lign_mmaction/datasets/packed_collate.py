from typing import Any, List, Sequence

import torch
from mmengine.dataset import COLLATE_FUNCTIONS, pseudo_collate
from mmengine.structures import BaseDataElement

__all__ = ['packed_collate']


def _pack(values: List[Any]) -> List[Any]:
    """Views of one stacked copy of ``values``, where they are tensors of
    one shape, dtype and device; else ``values`` itself."""
    first = values[0]
    if not all(
            isinstance(v, torch.Tensor) and v.shape == first.shape
            and v.dtype == first.dtype and v.device == first.device
            for v in values):
        return values
    return list(torch.stack(values).unbind(0))


@COLLATE_FUNCTIONS.register_module()
def packed_collate(data_batch: Sequence[dict]) -> dict:
    """:func:`pseudo_collate`, with the tensors of each field in one storage.

    The batch has ``pseudo_collate``'s layout, a list of inputs and a list
    of data samples, so every data preprocessor takes it. But where the
    inputs (or one data field of the data samples, such as ``gt_label``)
    share shape and dtype, they become views of one stacked tensor. A data
    loader worker hands each tensor storage to the main process through its
    own shared-memory segment, so a batch of ``B`` MMAction2 samples costs
    ``2 * B`` segments with ``pseudo_collate`` and 2 when packed; receiving
    them is the main process's work, in series with the training step.

    Args:
        data_batch (sequence[dict]): Outputs of the data pipeline, e.g.
            ``PackActionInputs``'.

    Returns:
        dict: ``inputs`` and ``data_samples`` lists, as from
        ``pseudo_collate``.
    """
    batch = pseudo_collate(data_batch)
    if isinstance(batch.get('inputs'), list):
        batch['inputs'] = _pack(batch['inputs'])
    samples = batch.get('data_samples')
    if isinstance(samples, list) and all(
            isinstance(s, BaseDataElement) for s in samples):
        for key in samples[0].keys():
            values = [s.get(key) for s in samples]
            packed = _pack(values)
            if packed is not values:
                for sample, value in zip(samples, packed):
                    sample.set_field(value, key)
    return batch
