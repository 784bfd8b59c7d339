"""MMAction2's inference routes on this plugin's configs: the inference
API, ``MMAction2Inferencer`` and the pipeline edits of MMAction2's demo
scripts (``demo.py`` calls ``inference_recognizer``)."""
import glob
import os.path as osp
import re
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from mmaction.apis import inference_recognizer, init_recognizer
from mmaction.apis.inferencers import (ActionRecogInferencer,
                                       MMAction2Inferencer)
from mmengine.dataset import Compose, pseudo_collate
from mmengine.infer import BaseInferencer

from a3lign_mmaction.testing import load_config
from a3lign_mmaction.video import (BadVideoError, predict_windows,
                                   window_pipeline)
from tests.apis.mmaction_demo_edits import array_pipeline, frame_queue_pipeline
from tests.repository import CONFIG_DIR, VIDEOS

CONFIGS = sorted(
    osp.basename(p) for p in glob.glob(osp.join(CONFIG_DIR, '*.py')))
FACE_VIDEO = osp.join(VIDEOS, 'WolfgangLanger_Pexels.mp4')


def frame_size(pipeline):
    return next(s['size'] for s in pipeline if s['type'] == 'ViewCrops')


def random_frames(count=16):
    rng = np.random.default_rng(0)
    return [rng.integers(0, 256, (40, 50, 3), np.uint8) for _ in range(count)]


@pytest.mark.parametrize('name', CONFIGS)
def test_demo_scripts_edits_leave_a_working_pipeline(name):
    """The pipelines webcam_demo.py and long_video_demo.py make from a
    config's test_pipeline read their frames and give a 16-frame clip at
    the model's size (face crops here; FaceCrop is tested on real video
    below)."""
    pipeline = load_config(name).test_pipeline
    size = frame_size(pipeline)
    frames = random_frames()
    common = dict(img_shape=(40, 50), modality='RGB', label=-1,
                  face_cropped=True)
    queue_steps, sampler = frame_queue_pipeline(pipeline)
    assert sampler == dict(clip_len=16, num_clips=1)
    from_queue = Compose(queue_steps)(dict(common, **sampler, imgs=frames))
    array_steps, _ = array_pipeline(pipeline)
    from_array = Compose(array_steps)(
        dict(common, **sampler, array=np.stack(frames),
             frame_inds=np.arange(16)))
    for results in (from_queue, from_array):
        assert results['inputs'].shape == (1, 3, 16, size, size)
    assert torch.equal(from_queue['inputs'], from_array['inputs'])


@pytest.mark.parametrize('name', CONFIGS)
def test_inference_api_reads_a_frame_folder(name, tmp_path):
    """What inference_recognizer(model, folder) runs (its data dict, with
    face crops)."""
    pipeline = load_config(name).test_pipeline
    for index, frame in enumerate(random_frames(20)):
        cv2.imwrite(str(tmp_path / f'{index}.png'), frame)
    results = Compose(pipeline)(
        dict(filename=str(tmp_path), label=-1, start_index=0,
             modality='RGB', face_cropped=True))
    size = frame_size(pipeline)
    assert results['inputs'].shape == (1, 3, 16, size, size)


@pytest.mark.parametrize('name', CONFIGS)
def test_inferencer_pipeline_and_collate(name):
    """MMAction2Inferencer's own edits (Decord in place of the init and
    decode steps) to the test loader's pipeline, and its collate_fn."""
    cfg = load_config(name)
    collate = BaseInferencer._init_collate(SimpleNamespace(scope=None), cfg)
    assert collate is pseudo_collate
    pipeline = ActionRecogInferencer._init_pipeline(
        SimpleNamespace(input_format='video', pack_cfg={}), cfg)
    video = osp.join(VIDEOS, 'single_face.mp4')
    if name.endswith('_cached.py'):
        # A cached config's test loader reads its feature store; the error
        # names the routes that score videos.
        with pytest.raises(KeyError, match='inference_recognizer'):
            pipeline(video)
        return
    size = frame_size(cfg.test_pipeline)
    assert pipeline(video)['inputs'].shape == (1, 3, 16, size, size)


@pytest.fixture(scope='module')
def demo_model(trained_demo):
    config, checkpoint = trained_demo
    return init_recognizer(config, checkpoint, device='cpu')


@pytest.fixture(scope='module')
def face_video_result(demo_model):
    return inference_recognizer(demo_model, FACE_VIDEO)


def sampled_frames(cfg, source):
    """The frames the test pipeline samples and decodes from ``source``
    (its first three steps: VideoInit, SegmentSampleFrames,
    VideoDecode)."""
    return Compose(cfg.test_pipeline[:3])(
        dict(filename=source, start_index=0, modality='RGB'))['imgs']


@pytest.mark.integration
def test_inference_recognizer_on_a_video(demo_model, face_video_result):
    scores = face_video_result.pred_score
    assert scores.shape == (6, )
    assert float(scores.sum()) == pytest.approx(1, abs=1e-5)
    # The model saw face crops (the test pipeline up to FaceCrop).
    cropped = Compose(demo_model.cfg.test_pipeline[:4])(
        dict(filename=FACE_VIDEO, start_index=0, modality='RGB'))
    assert cropped['face_cropped'] and cropped['img_shape'] == (224, 224)
    # The window API on the same frames, faces cropped in the window.
    frames = sampled_frames(demo_model.cfg, FACE_VIDEO)
    windows = predict_windows(demo_model, frames, np.arange(16)[None],
                              window_pipeline(demo_model.cfg.test_pipeline))
    np.testing.assert_allclose(windows[0], scores.numpy(), atol=1e-6)


def test_zero_shot_recipe_needs_no_checkpoint():
    """MMAction2's inference API on a raw face video with the zero-shot
    recipe, built without a checkpoint (the demo's tiny CLIP)."""
    model = init_recognizer(
        osp.join(CONFIG_DIR, 'zeroshot-clip_demo.py'), None, device='cpu')
    scores = inference_recognizer(model, FACE_VIDEO).pred_score
    assert scores.shape == (6, )
    assert float(scores.sum()) == pytest.approx(1, abs=1e-5)


@pytest.mark.integration
def test_inference_recognizer_on_a_frame_folder(demo_model, tmp_path):
    capture = cv2.VideoCapture(FACE_VIDEO)
    for index in range(40):
        cv2.imwrite(str(tmp_path / f'frame_{index + 1}.png'),
                    capture.read()[1])
    capture.release()
    result = inference_recognizer(demo_model, str(tmp_path))
    frames = sampled_frames(demo_model.cfg, str(tmp_path))
    windows = predict_windows(demo_model, frames, np.arange(16)[None],
                              window_pipeline(demo_model.cfg.test_pipeline))
    assert float(result.pred_score.sum()) == pytest.approx(1, abs=1e-5)
    np.testing.assert_allclose(windows[0], result.pred_score, atol=1e-6)


@pytest.mark.integration
def test_inferencer_agrees(trained_demo, face_video_result):
    config, checkpoint = trained_demo
    inferencer = MMAction2Inferencer(
        rec=config, rec_weights=checkpoint, device='cpu')
    prediction, = inferencer(FACE_VIDEO)['predictions']
    expected = face_video_result.pred_score
    assert prediction['rec_labels'] == [[int(expected.argmax())]]
    np.testing.assert_allclose(prediction['rec_scores'][0], expected,
                               atol=1e-6)


@pytest.mark.integration
def test_demo_scripts_score_like_the_inference_api(demo_model):
    """webcam_demo.py's frame queue and long_video_demo.py's array, both
    raw frames (faces cropped by the pipeline), score as
    inference_recognizer does on the same frames."""
    cfg = demo_model.cfg
    frames = sampled_frames(cfg, FACE_VIDEO)
    expected = inference_recognizer(
        demo_model,
        dict(imgs=list(frames), img_shape=frames[0].shape[:2],
             modality='RGB', label=-1, num_clips=1, clip_len=16),
        Compose(window_pipeline(cfg.test_pipeline).transforms)).pred_score
    common = dict(img_shape=frames[0].shape[:2], modality='RGB', label=-1)
    queue_steps, sampler = frame_queue_pipeline(cfg.test_pipeline)
    data = Compose(queue_steps)(dict(common, **sampler, imgs=list(frames)))
    with torch.no_grad():
        from_queue = demo_model.test_step(pseudo_collate([data]))[0]
    array_steps, sampler = array_pipeline(cfg.test_pipeline)
    from_array = inference_recognizer(
        demo_model,
        dict(common, **sampler, array=np.stack(frames),
             frame_inds=np.arange(16)), Compose(array_steps))
    for result in (from_queue, from_array):
        np.testing.assert_allclose(result.pred_score, expected, atol=1e-6)


@pytest.mark.integration
def test_cached_config_scores_videos_as_its_frame_config(
        trained_demo, face_video_result):
    _, checkpoint = trained_demo
    model = init_recognizer(
        load_config('a3lign_demo_cached.py'), checkpoint, device='cpu')
    result = inference_recognizer(model, FACE_VIDEO)
    np.testing.assert_allclose(result.pred_score,
                               face_video_result.pred_score, atol=1e-6)


@pytest.mark.integration
def test_bad_video_files_are_named(demo_model, tmp_path):
    """MMAction2's inference API on files that are no video: the error
    names the file and what is wrong with it."""
    with open(osp.join(VIDEOS, 'single_face.mp4'), 'rb') as f:
        data = f.read()
    frame = tmp_path / 'frame.png'
    cv2.imwrite(str(frame), np.zeros((8, 8, 3), np.uint8))
    files = {
        'truncated.mp4': data[:len(data) // 3],
        'empty.mp4': b'',
        'notes.mp4': b'not a video\n',
        'image.mp4': frame.read_bytes(),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    cases = {
        **{
            name: ' is not a video Decord can read, or it is truncated '
            for name in ('truncated.mp4', 'notes.mp4', 'image.mp4')
        }, 'empty.mp4': r' is empty \(0 bytes\), not a video'
    }
    for name, message in cases.items():
        path = str(tmp_path / name)
        with pytest.raises(BadVideoError, match=re.escape(path) + message):
            inference_recognizer(demo_model, path)
    # A path that does not exist MMAction2 refuses itself, before the
    # pipeline ("The type of argument `video` is not supported"); given as
    # the pipeline's input, it is named.
    path = str(tmp_path / 'missing.mp4')
    with pytest.raises(BadVideoError, match=re.escape(path) +
                       ': no such video file or frame folder'):
        inference_recognizer(
            demo_model,
            dict(filename=path, label=-1, start_index=0, modality='RGB'))
