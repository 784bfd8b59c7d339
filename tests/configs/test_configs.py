"""Every config builds: model (tiny CLIP in place of the real one) and
datasets (on generated release trees)."""
import glob
import json
import os.path as osp
import re

import cv2
import numpy as np
import pytest
import torch
from mmaction.registry import DATASETS, MODELS, TRANSFORMS
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate

from a3lign_mmaction.testing import short_demo_config
from a3lign_mmaction.video import FaceModelError, face_detector_settings
from tests.configs.merged import merged, runner_view
from tests.datasets.fake_releases import make_dfew, make_ferv39k, make_mafw
from tests.repository import CONFIG_DIR, REPO_ROOT

CONFIGS = sorted(glob.glob(osp.join(CONFIG_DIR, '*.py')))


@pytest.fixture(scope='module')
def releases(tmp_path_factory, demo_root):
    root = tmp_path_factory.mktemp('releases')
    fold = {
        f: dict(train=[(10 * f + i, i, 3) for i in range(7)],
                test=[(10 * f + 7, 0, 3)])
        for f in (1, 2)
    }
    return dict(
        DFEW_ROOT=make_dfew(str(root / 'DFEW'), fold),
        MAFW_ROOT=make_mafw(
            str(root / 'MAFW'), {
                f: dict(train=[(10 * f + i, i, 3) for i in range(11)],
                        test=[(10 * f + 11, 0, 3)])
                for f in (1, 2)
            }),
        FERV39K_ROOT=make_ferv39k(
            str(root / 'FERV39k'),
            dict(train=[('Action', i, i, 3) for i in range(7)],
                 test=[('Daily', 1, 1, 3)])),
        A3LIGN_DEMO_ROOT=demo_root)


@pytest.fixture
def load(releases, monkeypatch, tiny_clip_arch):
    """Load a config with the generated data and the tiny CLIP."""

    def load(path, **env):
        for name, value in {**releases, **env}.items():
            monkeypatch.setenv(name, str(value))
        cfg = Config.fromfile(path)
        clip = cfg.model.get('clip') or cfg.model.backbone.get('clip')
        if clip is not None:
            clip.arch = tiny_clip_arch
            clip.checkpoint = None
        return cfg

    return load


def datasets(cfg):
    return [
        DATASETS.build(cfg[loader].dataset)
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader') if loader in cfg
    ]


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, CONFIG_DIR) for p in CONFIGS])
def test_config_builds(path, load):
    cfg = load(path)
    model = MODELS.build(cfg.model)
    for dataset in datasets(cfg):
        assert len(dataset) > 0
        assert model.cls_head.num_classes == len(dataset.metainfo['classes'])
    if 'train_cfg' in cfg:
        assert cfg.default_scope == 'mmaction'
        assert 'a3lign_mmaction' in cfg.custom_imports.imports


def test_no_two_configs_train_the_same():
    seen = {}
    for path in CONFIGS:
        key = json.dumps(runner_view(merged(path, {})), sort_keys=True)
        assert key not in seen, (path, seen.get(key))
        seen[key] = path


def frame_settings(cfg):
    """Every frame size and every T a config states, by where: its
    pipelines, its loaders' pipelines and its model."""
    sizes, lengths = {}, {}
    pipelines = {key: cfg[key] for key in ('train_pipeline', 'test_pipeline')}
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        pipelines[loader] = cfg[loader].dataset.pipeline
    for where, pipeline in pipelines.items():
        for step in pipeline:
            if step.type == 'Resize':
                sizes[where] = tuple(step.scale)
            elif step.type == 'ViewCrops':
                sizes[where] = (step.size, step.size)
            elif step.type == 'SegmentSampleFrames':
                lengths[where] = step.clip_len
    image_size = cfg.model.get('clip', {}).get('image_size')
    if image_size:
        sizes['model.clip'] = (image_size, image_size)
    backbone = cfg.model.backbone
    if 'img_size' in backbone:
        sizes['model.backbone'] = (backbone.img_size, backbone.img_size)
    parts = dict(backbone=backbone, neck=cfg.model.get('neck') or {},
                 cls_head=cfg.model.cls_head)
    for part, keys in dict(
            backbone=['num_frames'], neck=['num_frames', 'num_sentences'],
            cls_head=['num_sentences']).items():
        for key in keys:
            if parts[part].get(key) is not None:
                lengths[f'model.{part}.{key}'] = parts[part][key]
    return sizes, lengths


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, CONFIG_DIR) for p in CONFIGS])
def test_frame_size_and_length_have_one_home(path):
    cfg = Config.fromfile(path)
    sizes, lengths = frame_settings(cfg)
    assert set(sizes.values()) == {(cfg.image_size, cfg.image_size)}
    assert 'model.clip' in sizes or 'clip' not in cfg.model
    assert set(lengths.values()) == {cfg.clip_len}


def docs_config(heading, tmp_path):
    """The config in the python block under ``heading`` of
    docs/training.md, with its base in configs/."""
    with open(osp.join(REPO_ROOT, 'docs', 'training.md')) as f:
        section = f.read().split(f'## {heading}\n')[1].split('\n## ')[0]
    code, = re.findall(r'```python\n(.*?)```', section, re.S)
    path = tmp_path / 'mine.py'
    path.write_text(code.replace("_base_ = ['",
                                 f"_base_ = ['{CONFIG_DIR}/"))
    return Config.fromfile(str(path))


def test_documented_frame_size_change(tmp_path):
    cfg = docs_config('Frame size and clip length', tmp_path)
    sizes, lengths = frame_settings(cfg)
    assert set(sizes.values()) == {(112, 112)}
    assert set(lengths.values()) == {16}
    assert cfg.test_dataloader.dataset.type == 'DFEWDataset'


def test_documented_bap_stages(tmp_path):
    cfg = docs_config('BAP stages', tmp_path)
    assert cfg.train_cfg.max_epochs == 50
    assert [h.type for h in cfg.custom_hooks] == [
        'EpochSeedHook', 'ResumeSettingsHook', 'BAPHook'
    ]


@pytest.mark.parametrize('name', ['a3lign_dfew.py', 'a3lign_mafw.py'])
def test_fold_from_the_command_line(name, load):
    path = osp.join(CONFIG_DIR, name)
    default = [d.split_file for d in datasets(load(path))]
    assert all('set_1' in f for f in default)
    # An environment variable ...
    by_env = [d.split_file for d in datasets(load(path, FOLD=2))]
    assert by_env == [f.replace('set_1', 'set_2') for f in default]
    # ... or --cfg-options on the datasets.
    cfg = load(path)
    cfg.merge_from_dict({
        f'{loader}.dataset.fold': 2
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader')
    })
    assert [d.split_file for d in datasets(cfg)] == by_env


@pytest.mark.integration
@pytest.mark.parametrize('name,stages', [
    ('a3lign_demo_x3d-s.py', [dict(epochs=1, stage=3)]),
    ('a3lign_demo_i3d-head.py', None),
])
def test_mixed_configs_train_an_epoch(name, stages, demo_root, tmp_path):
    from mmengine.runner import Runner
    cfg = short_demo_config(demo_root, tmp_path, stages, name)
    cfg.train_cfg.val_interval = 1
    runner = Runner.from_cfg(cfg)
    before = {n: p.detach().clone() for n, p in
              runner.model.named_parameters()}
    runner.train()
    after = dict(runner.model.named_parameters())
    moved = {n for n in before if not torch.equal(before[n], after[n])}
    assert any(n.startswith('backbone.') for n in moved) == (stages
                                                             is not None)
    assert any(n.startswith('neck.video_encoder.') for n in moved)
    assert 'val/UAR' in runner.message_hub.log_scalars


@pytest.mark.parametrize('name,clips,crops,size', [
    ('a3lign_dfew.py', 2, 3, 224),
    pytest.param('a3lign_dfew.py', 1, 10, 224, marks=pytest.mark.integration),
    ('a3lign_demo.py', 2, 10, 32),
])
def test_several_test_views(name, clips, crops, size, monkeypatch, tmp_path,
                            build_tiny_model):
    """TEST_CLIPS x TEST_CROPS views of a clip, in the recipes and the
    demo; the model averages their probabilities."""
    monkeypatch.setenv('TEST_CLIPS', str(clips))
    monkeypatch.setenv('TEST_CROPS', str(crops))
    pipeline = Config.fromfile(osp.join(CONFIG_DIR, name)).test_pipeline
    rng = np.random.default_rng(0)
    for index in range(64):
        cv2.imwrite(str(tmp_path / f'{index}.png'),
                    rng.integers(0, 256, (size, size, 3), np.uint8))
    clip = Compose(pipeline)(
        dict(filename=str(tmp_path), face_cropped=True, label=0,
             start_index=0, modality='RGB'))
    views = clips * crops
    assert clip['inputs'].shape == (views, 3, 16, size, size)
    # No two views are the same (crop by crop, each with every clip).
    flat = clip['inputs'].flatten(1).float()
    assert (torch.cdist(flat, flat) > 0).sum() == views * (views - 1)
    torch.manual_seed(0)
    model = build_tiny_model(clip=dict(image_size=size)).eval()
    with torch.no_grad():
        averaged = model.test_step(pseudo_collate([clip]))[0].pred_score
        each = [
            model.test_step(
                pseudo_collate([dict(clip, inputs=clip['inputs'][[v]])
                                ]))[0].pred_score for v in range(views)
        ]
    torch.testing.assert_close(averaged, torch.stack(each).mean(0))


@pytest.mark.parametrize('name', ['a3lign_dfew.py', 'a3lign_demo.py'])
def test_face_model_of_the_test_pipeline(name, monkeypatch, tmp_path):
    """FACE_MODEL reaches FaceCrop's detector in the test pipeline, which
    MMAction2's inference API and the demos run on raw video."""
    pipeline = Config.fromfile(osp.join(CONFIG_DIR, name)).test_pipeline
    assert face_detector_settings(pipeline) == dict(model=None)
    model = str(tmp_path / 'blaze_face_full_range.tflite')
    monkeypatch.setenv('FACE_MODEL', model)
    pipeline = Config.fromfile(osp.join(CONFIG_DIR, name)).test_pipeline
    step, = [TRANSFORMS.build(s) for s in pipeline if s['type'] == 'FaceCrop']
    with pytest.raises(FaceModelError, match=re.escape(model)):
        step(dict(imgs=[np.zeros((64, 64, 3), np.uint8)]))
