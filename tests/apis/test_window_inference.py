import numpy as np
import pytest
import torch
from mmaction.apis import init_recognizer
from mmaction.registry import DATASETS, MODELS
from mmengine.dataset import Compose, pseudo_collate

from a3lign_mmaction.apis import (class_names, predict_windows, window_indices,
                                  window_pipeline)
from a3lign_mmaction.datasets import DEMO_CLASSES
from tests.conftest import load_config


def test_window_indices():
    windows = window_indices(40, clip_len=16, stride=8)
    assert windows[:, 0].tolist() == [0, 8, 16, 24]  # 24 ends at frame 39
    assert (windows == windows[:, :1] + np.arange(16)).all()
    spread = window_indices(100, clip_len=16, stride=50, frame_interval=4)
    # 61-frame windows: one at 0, and one that ends at the last frame.
    assert spread[:, 0].tolist() == [0, 39] and spread[-1, -1] == 99
    assert window_indices(31, clip_len=16, stride=15)[:, 0].tolist() == [
        0, 15
    ]


def test_short_video_gives_one_spread_window():
    windows = window_indices(5, clip_len=16)
    assert windows.shape == (1, 16)
    assert windows[0, 0] == 0 and windows[0, -1] == 4
    assert (np.diff(windows[0]) >= 0).all()


def test_bad_window_arguments():
    with pytest.raises(ValueError):
        window_indices(10, stride=0)


def test_class_names():
    cfg = load_config('a3lign_demo.py')
    assert class_names(cfg, 6) == DEMO_CLASSES
    assert class_names(cfg, 3) == ('class 0', 'class 1', 'class 2')
    assert class_names(load_config('a3lign_dfew.py'), 7)[0] == 'happy'


def first_clip_as_window(model, dataset, pipeline):
    """Scores of a dataset's first clip through the window API, on the
    frames the test pipeline samples and decodes (face crops)."""
    sampled = Compose(pipeline[:3])(dataset.get_data_info(0))
    return predict_windows(
        model,
        sampled['imgs'],
        np.arange(16)[None],
        window_pipeline(pipeline),
        face_cropped=True)[0]


def test_windows_score_like_the_test_pipeline(demo_root):
    """A window of the frames the test pipeline reads scores the same as
    the clip through the test pipeline."""
    cfg = load_config('a3lign_demo.py')
    cfg.test_dataloader.dataset.data_root = demo_root
    model = init_recognizer(cfg, device='cpu')
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    with torch.no_grad():
        expected = model.test_step(pseudo_collate([dataset[0]
                                                   ]))[0].pred_score
    pipeline = cfg.test_dataloader.dataset.pipeline
    # The sampler goes; the steps that open and decode pass decoded frames
    # on, and FaceCrop passes face crops on.
    assert [type(step).__name__ for step in window_pipeline(pipeline)
            .transforms] == [
                'VideoInit', 'VideoDecode', 'FaceCrop', 'Resize',
                'FormatShape', 'PackActionInputs'
            ]
    scores = first_clip_as_window(model, dataset, pipeline)
    assert np.allclose(scores, expected.numpy(), atol=1e-6)


def test_stage_1_checkpoint_scores_as_validated(demo_root, tmp_path):
    """A checkpoint saved in BAP stage 1 scores through the temporal mean
    in the inference API, as its validation did."""
    cfg = load_config('a3lign_demo.py')
    cfg.test_dataloader.dataset.data_root = demo_root
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.set_stage(1)
    model.eval()
    checkpoint = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    with torch.no_grad():
        expected = model.test_step(pseudo_collate([dataset[0]
                                                   ]))[0].pred_score
    pipeline = cfg.test_dataloader.dataset.pipeline
    loaded = init_recognizer(cfg, checkpoint, device='cpu')
    assert loaded.neck.video_path == 'mean'
    scores = first_clip_as_window(loaded, dataset, pipeline)
    assert np.allclose(scores, expected.numpy(), atol=1e-6)
