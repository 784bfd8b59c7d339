import os.path as osp
import sys

import pytest
import torch

from tests.conftest import CONFIG_DIR, REPO_ROOT, run_command

# a3lign_dfew.py's pipelines at the tiny tower's 32 pixels.
TINY_PIPELINES = """
train_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1),
    dict(type='FrameListDecode'),
    dict(type='RandomResizedCrop', area_range=(0.6, 1.0)),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1, test_mode=True),
    dict(type='FrameListDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
"""

SHORT_CACHED_RUN = """
optim_wrapper = dict(type='OptimWrapper', _delete_=True,
                     optimizer=dict(type='SGD', lr=1e-2, momentum=0.9))
train_cfg = dict(max_epochs=3)
param_scheduler = [dict(type='CosineRestartLR', periods=[1, 1, 1],
                        restart_weights=[1, 1, 1], eta_min=0, by_epoch=True,
                        convert_to_iter_based=True)]
custom_hooks = [dict(type='BAPHook', stages=[
    dict(epochs=1, stage=1), dict(epochs=1, stage=2), dict(epochs=1, stage=3)
])]
train_dataloader = dict(batch_size=8, num_workers=2)
val_dataloader = dict(num_workers=2)
test_dataloader = val_dataloader
"""


@pytest.mark.slow
def test_times_a_fold_on_tiny_clip(tmp_path, tiny_clip_arch):
    arch = (f'model = dict(clip=dict(arch=dict({tiny_clip_arch!r}, '
            '_delete_=True)))\n')
    extract = tmp_path / 'extract.py'
    extract.write_text(f"_base_ = ['{CONFIG_DIR}/a3lign_dfew.py']\n" + arch +
                       TINY_PIPELINES)
    cached = tmp_path / 'cached.py'
    cached.write_text(f"_base_ = ['{CONFIG_DIR}/a3lign_dfew_cached.py']\n" +
                      arch + SHORT_CACHED_RUN)
    work_dir = tmp_path / 'work'
    output = run_command([
        sys.executable,
        osp.join(REPO_ROOT, 'tools', 'analysis', 'time_dfew_fold.py'),
        '--work-dir',
        str(work_dir), '--config',
        str(cached), '--extract-config',
        str(extract), '--clips', '20', '--num-workers', '2'
    ], REPO_ROOT)
    # Fold 1 of 20 clips: 16 training clips x 4 views + 4 test views.
    assert "68 of the fold's 68 clip views" in output
    assert 'training (with validation): ' in output
    assert 'per fold when five share one extraction: ' in output
    # The run writes checkpoints as a user's does: without CLIP weights.
    checkpoint = torch.load(
        work_dir / 'train' / 'epoch_3.pth', weights_only=False)
    assert 'clip_fingerprint' in checkpoint['state_dict']
