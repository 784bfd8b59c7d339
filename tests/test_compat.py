import os.path as osp
import pickle
import subprocess
import sys
import textwrap

import cv2
import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from a3lign_mmaction import compat
from tests.repository import REPO_ROOT


def run_python(code, **env):
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          capture_output=True,
                          text=True,
                          env=env or None)


def test_mmaction_models_import_after_plugin():
    result = run_python("""
        import a3lign_mmaction
        import mmaction.models
        from mmaction.models.localizers import DRN
        try:
            DRN()
        except ImportError as error:
            print('DRN:', error)
    """)
    assert result.returncode == 0, result.stderr
    import os.path as osp
    from importlib.util import find_spec
    root = find_spec('mmaction').submodule_search_locations[0]
    if osp.isfile(osp.join(root, 'models', 'localizers', 'drn', 'drn.py')):
        assert 'DRN:' not in result.stdout
    else:
        assert 'missing from this mmaction2 installation' in result.stdout


def test_drn_placeholder_skipped_where_real_folder_exists(tmp_path):
    drn = tmp_path / 'mmaction' / 'models' / 'localizers' / 'drn'
    drn.mkdir(parents=True)
    (tmp_path / 'mmaction' / '__init__.py').write_text('')
    (drn / 'drn.py').write_text('DRN = "real"\n')
    result = run_python(
        """
        import importlib.util, sys
        sys.path.insert(0, %r)
        spec = importlib.util.spec_from_file_location('compat', %r)
        compat = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(compat)
        print(compat.register_drn_placeholder())
        print('mmaction.models.localizers.drn' in sys.modules)
    """ % (str(tmp_path), compat.__file__))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['False', 'False']


def test_drn_placeholder_skipped_when_already_imported():
    # The plugin import in this process registered it (or found it).
    assert compat.register_drn_placeholder() is False


class _Sneaky:

    def __init__(self, name):
        self.name = name

    def __reduce__(self):
        return getattr, (HistoryBuffer, self.name)


def test_mmengine_checkpoint_loads_with_safe_loader(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(0.5)
    path = str(tmp_path / 'ckpt.pth')
    torch.save(
        dict(
            message_hub=dict(log_scalars={'loss': buffer}),
            meta=dict(seed=np.int64(3), mean=np.float32(0.25),
                      arr=np.arange(3))), path)
    loaded = torch.load(path)  # weights_only=True is the default here
    assert loaded['message_hub']['log_scalars']['loss'].current() == 0.5
    assert loaded['meta']['seed'] == 3


@pytest.mark.parametrize('writer', ['numpy1', 'numpy2'])
def test_checkpoints_of_either_numpy_load(writer):
    """numpy 1 pickles arrays under ``numpy.core``, numpy 2 under
    ``numpy._core``: a checkpoint of either loads under the other."""
    path = osp.join(REPO_ROOT, 'tests', 'data', 'checkpoints', f'{writer}.pth')
    loaded = torch.load(path, weights_only=True)
    assert loaded['message_hub']['log_scalars']['train/loss'].mean() == 0.375
    meta = loaded['meta']
    assert meta['seed'] == 3 and meta['best_score'] == 0.75
    assert meta['confusion'].dtype == np.float32
    assert meta['confusion'].tolist() == [0, 1, 2, 3]


def test_only_history_buffer_methods_are_reachable(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(_Sneaky('_statistics_methods'), path)
    with pytest.raises(pickle.UnpicklingError, match='refusing getattr'):
        torch.load(path, weights_only=True)
    torch.save(_Sneaky('mean'), path)
    assert torch.load(path, weights_only=True) is HistoryBuffer.mean


def test_allow_list_is_noop_on_old_torch(monkeypatch):
    monkeypatch.setattr(torch, '__version__', '2.5.1')
    calls = []
    monkeypatch.setattr(torch.serialization, 'add_safe_globals',
                        calls.append)
    assert compat.allow_mmengine_checkpoints() is False
    assert calls == []


def test_cpu_distributed_launch_skips_cuda(monkeypatch):
    from mmengine.dist import utils
    if torch.cuda.is_available():
        pytest.skip('the fix only applies without CUDA')
    assert getattr(utils._init_dist_pytorch, '_cpu_safe', False)
    assert compat.allow_cpu_distributed() is False  # already applied
    calls = []
    monkeypatch.setattr(torch.distributed, 'init_process_group',
                        lambda **kw: calls.append(kw))
    monkeypatch.setattr(torch.cuda, 'set_device',
                        lambda *a: pytest.fail('set_device called'))
    utils._init_dist_pytorch('gloo', timeout=None)
    assert calls == [dict(backend='gloo', timeout=None)]


@pytest.mark.parametrize('version, skipped', [('5.17.0', True),
                                              ('4.40.0', False),
                                              (None, False)])
def test_multimodal_skipped_next_to_transformers_5(monkeypatch, version,
                                                   skipped):
    import importlib.metadata

    from mmaction.utils import dependency

    def fake_version(name):
        if name != 'transformers' or version is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return version

    monkeypatch.setattr(importlib.metadata, 'version', fake_version)
    monkeypatch.setattr(dependency, 'WITH_MULTIMODAL', True)
    assert compat.skip_incompatible_multimodal() is skipped
    assert dependency.WITH_MULTIMODAL is not skipped


@pytest.mark.parametrize('factor', [-0.4, -0.05, 0.05, 0.45])
def test_color_jitter_rotates_hue(factor):
    """A negative shift (numpy 2 raised OverflowError) and one past 255
    (numpy 1 wrapped at 256) both rotate OpenCV's hues modulo 180."""
    from mmaction.datasets.transforms import ColorJitter
    hsv = np.full((1, 180, 3), 255, np.uint8)
    hsv[0, :, 0] = np.arange(180)
    rgb = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(np.float32)
    shifted = ColorJitter.adjust_hue(rgb, factor)
    hue = cv2.cvtColor(shifted.astype(np.uint8), cv2.COLOR_RGB2HSV)[0, :, 0]
    expected = (np.arange(180) + int(factor * 255)) % 180
    error = (hue.astype(int) - expected) % 180
    assert np.minimum(error, 180 - error).max() <= 1
    jitter = ColorJitter(brightness=0, contrast=0, saturation=0, hue=0.5)
    for _ in range(20):  # random shifts of either sign
        jitter(dict(imgs=[rgb.astype(np.uint8)]))
