import pytest
import torch

from a3lign_mmaction.utils import without_mha_fastpath


def test_fast_path_off_inside_and_restored_after_errors():
    before = torch.backends.mha.get_fastpath_enabled()
    with pytest.raises(RuntimeError):
        with without_mha_fastpath():
            assert not torch.backends.mha.get_fastpath_enabled()
            raise RuntimeError
    assert torch.backends.mha.get_fastpath_enabled() == before
