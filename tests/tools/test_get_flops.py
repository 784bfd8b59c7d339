import re

import pytest

from a3lign_mmaction.testing import run_script
from tests.repository import REPO_ROOT


def flops(output):
    """The FLOPs MMAction2's script prints, as a number."""
    value, unit = re.search(r'Flops: ([\d.]+)([GMT])', output).groups()
    return float(value) * dict(M=1e6, G=1e9, T=1e12)[unit]


@pytest.mark.integration
def test_demo_configs(tmp_path):
    """The demo, and its cached config, which scores videos with the same
    model."""
    counts = []
    for name in ('a3lign_demo.py', 'a3lign_demo_cached.py'):
        output = run_script([
            f'{REPO_ROOT}/tools/analysis/get_flops.py',
            f'{REPO_ROOT}/configs/{name}'
        ], tmp_path)
        assert 'Input shape: (1, 3, 16, 32, 32)' in output
        counts.append(flops(output))
    assert counts[0] > 0 and counts[0] == counts[1]


@pytest.mark.integration
def test_real_size_config_counts_every_projection_of_the_image_tower(
        tmp_path):
    output = run_script([
        f'{REPO_ROOT}/tools/analysis/get_flops.py',
        f'{REPO_ROOT}/configs/a3lign_dfew_vit-b-16.py', '--cfg-options',
        'model.clip.checkpoint=None'
    ], tmp_path)
    assert 'Input shape: (1, 3, 16, 224, 224)' in output
    # ViT-B/16 at 224 px: 197 tokens through 12 blocks of 12 * 768^2
    # multiply-adds (attention projections 4, MLP 8), 16 frames. The JAS
    # neck adds a little; attention's QK^T and softmax are not counted.
    tower = 16 * 197 * 12 * 12 * 768**2
    assert tower <= flops(output) <= 1.03 * tower
