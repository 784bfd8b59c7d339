import numpy as np
import pytest
import torch
from mmaction.apis import init_recognizer
from mmaction.registry import DATASETS, MODELS
from mmengine.dataset import Compose, pseudo_collate

from a3lign_mmaction.datasets import (DEMO_CLASSES, DFEWDataset,
                                      FERV39kDataset, MAFWDataset, class_names)
from a3lign_mmaction.testing import load_config
from a3lign_mmaction.video import (WINDOW_SECONDS, face_detector_settings,
                                   frame_sampler, predict_windows,
                                   window_indices, window_pipeline,
                                   window_seconds, window_spans)
from tests.datasets.fake_releases import published_list


def test_windows_last_a_typical_clip():
    # 2.8 s at 25 fps: 70 frames, starting every 0.5 s (12 frames at 25
    # fps, as round(12.5) is 12); the last ends at the last frame.
    spans = window_spans(100, 25)
    assert WINDOW_SECONDS == 2.8
    assert spans.tolist() == [[0, 70], [12, 82], [24, 94], [30, 100]]
    assert window_spans(100, 25, window_seconds=2, stride_seconds=1)[:, 0] \
        .tolist() == [0, 25, 50]
    # Shorter than a window: one window, the whole video.
    assert window_spans(40, 25).tolist() == [[0, 40]]


def test_windows_are_sampled_as_clips_are():
    """Each window's frames are those the test sampler takes from a clip
    as long as the window: the middle of each of 16 segments."""
    sampler = frame_sampler(load_config('a3lign_dfew.py').test_pipeline)
    spans = np.array([[0, 70], [12, 82], [0, 8]])
    indices = window_indices(spans, sampler)
    clip = sampler(dict(total_frames=70, start_index=0))['frame_inds']
    assert indices[0].tolist() == clip.tolist()
    assert indices[1].tolist() == (clip + 12).tolist()
    assert len(set(indices[0])) == 16 and indices[0, -1] < 70
    # A window of 8 frames: every frame twice.
    assert indices[2].tolist() == [i // 2 for i in range(16)]


def test_several_test_clips_per_window():
    sampler = frame_sampler([
        dict(type='SegmentSampleFrames', clip_len=16, num_clips=2,
             test_mode=True)
    ])
    indices = window_indices(np.array([[0, 64]]), sampler)
    # Segments of 4 frames: offsets 1 and 3 of each.
    assert indices[0, :3].tolist() == [1, 5, 9]
    assert indices[0, 16:19].tolist() == [3, 7, 11]


def test_bad_window_arguments():
    with pytest.raises(ValueError, match='must be positive'):
        window_spans(10, 25, stride_seconds=0)
    with pytest.raises(ValueError, match='no frame sampler'):
        frame_sampler([dict(type='VideoDecode')])


def test_window_length_of_each_dataset():
    """A config's windows last as long as a typical clip of its dataset:
    the median frame count of DFER-CLIP's lists at 25 fps."""
    for config, dataset in (('a3lign_dfew.py', DFEWDataset),
                            ('a3lign_ferv39k.py', FERV39kDataset),
                            ('a3lign_mafw.py', MAFWDataset)):
        frames = [
            count for split in ('train', 'test')
            for _, count, _ in published_list(
                dataset, split, 1 if dataset.NUM_FOLDS else None)
        ]
        assert window_seconds(load_config(config)) == round(
            np.median(frames) / 25, 1) == dataset.CLIP_SECONDS
    assert window_seconds(load_config('a3lign_demo.py')) == WINDOW_SECONDS


def test_face_detector_settings():
    pipeline = [
        dict(type='VideoDecode'),
        dict(type='FaceCrop', detector=dict(model='a.tflite', min_score=0.8))
    ]
    assert face_detector_settings(pipeline) == dict(
        model='a.tflite', min_score=0.8)
    assert face_detector_settings(pipeline, 'b.tflite') == dict(
        model='b.tflite', min_score=0.8)
    assert pipeline[1]['detector']['model'] == 'a.tflite'  # not changed
    assert face_detector_settings([dict(type='VideoDecode')]) == {}
    assert face_detector_settings([dict(type='FaceCrop')], 'b.tflite') == \
        dict(model='b.tflite')


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
                'VideoInit', 'VideoDecode', 'FaceCrop', 'ViewCrops',
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
