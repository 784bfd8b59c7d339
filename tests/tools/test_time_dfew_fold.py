import os.path as osp
import re

import pytest
import torch

from a3lign_mmaction.testing import (THREE_STAGES, run_script, set_bap_stages,
                                     tiny_clip_config)
from tests.repository import REPO_ROOT


def tiny(name, tiny_clip_arch):
    """A DFEW config with the tiny CLIP and two loader processes."""
    cfg = tiny_clip_config(name, tiny_clip_arch)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].num_workers = 2
    return cfg


@pytest.mark.integration
def test_times_a_fold_on_tiny_clip(tmp_path, tiny_clip_arch, monkeypatch):
    work_dir = tmp_path / 'work'
    # The paths the tool gives the configs (they are read on loading).
    monkeypatch.setenv('DFEW_ROOT', str(work_dir / 'dfew'))
    monkeypatch.setenv('FEATURE_STORE', str(work_dir / 'store'))
    monkeypatch.setenv('CLIP_CHECKPOINT', str(work_dir / 'clip.pt'))
    extract = tiny('a3lign_dfew.py', tiny_clip_arch)
    extract.dump(tmp_path / 'extract.py')
    cached = tiny('a3lign_dfew_cached.py', tiny_clip_arch)
    set_bap_stages(cached, THREE_STAGES)
    cached.train_dataloader.batch_size = 8
    cached.optim_wrapper = dict(
        type='OptimWrapper',
        optimizer=cached.optim_wrapper.optimizer,
        paramwise_cfg=cached.optim_wrapper.paramwise_cfg)  # no GPU, no AMP
    cached.dump(tmp_path / 'cached.py')
    output = run_script([
        osp.join(REPO_ROOT, 'tools', 'analysis', 'time_dfew_fold.py'),
        '--work-dir',
        str(work_dir), '--config',
        str(tmp_path / 'cached.py'), '--extract-config',
        str(tmp_path / 'extract.py'), '--clips', '60', '--num-workers', '2'
    ], REPO_ROOT)
    # Fold 1 of 60 clips: 48 training clips x 4 views + 12 test views.
    assert "204 of the fold's 204 clip views" in output
    assert 'training (with validation): ' in output
    # The training time is split by stage from the runner's own timings.
    assert re.search(
        r'train steps: [\d.]+ s \(stage 1 [\d.]+ s, stage 2 '
        r'[\d.]+ s, stage 3 [\d.]+ s\), of which waiting for '
        r'data [\d.]+ s', output)
    assert re.search(r'validation steps: [\d.]+ s', output)
    assert re.search(
        r'measured: one fold: [\d.]+ min \(extraction [\d.]+ '
        r'\+ training [\d.]+\); per fold when five share one '
        r'extraction: [\d.]+ min', output)
    # 60 of DFEW's 11,697 clips: the per-view parts scale by 194.95.
    assert re.search(
        r'projected to 11697 clips \(x194.95 on the '
        r'extraction loop [\d.]+ s and the training and '
        r'validation steps [\d.]+ s; held fixed: extraction '
        r'setup [\d.]+ s, the rest of training [\d.]+ s\): '
        r'one fold: [\d.]+ min', output)
    # The run writes checkpoints as a user's does: without CLIP weights.
    checkpoint = torch.load(
        work_dir / 'train' / 'epoch_3.pth', weights_only=False)
    assert 'clip_fingerprint' in checkpoint['state_dict']
