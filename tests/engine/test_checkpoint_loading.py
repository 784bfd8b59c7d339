import pickle

import pytest
import torch

from a3lign_mmaction.engine import load_local_checkpoint


class Unlisted:
    """A global that weights-only loading refuses."""


def test_cut_short_file_is_named_with_the_one_before(tmp_path):
    torch.save(dict(meta=dict(epoch=1)), tmp_path / 'epoch_1.pth')
    last = tmp_path / 'epoch_2.pth'
    torch.save(dict(meta=dict(epoch=2)), last)
    last.write_bytes(last.read_bytes()[:100])
    with pytest.raises(RuntimeError, match=rf'{last} is damaged or truncated '
                       r'\(100 bytes; .*The newest checkpoint before it is '
                       rf'{tmp_path}/epoch_1\.pth'):
        load_local_checkpoint(str(last))


def test_other_errors_of_a_whole_archive_pass_unchanged(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    torch.save(dict(meta=Unlisted()), path)
    with pytest.raises(pickle.UnpicklingError, match='Weights only load'):
        load_local_checkpoint(str(path))
