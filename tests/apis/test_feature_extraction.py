import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.runner import Runner

from a3lign_mmaction.apis import ClipViews, collect_clips, extract_features
from a3lign_mmaction.datasets import FeatureStore
from tests.conftest import (CONFIG_DIR, THREE_STAGES, load_config,
                            short_demo_config)
from tests.datasets.fake_releases import make_dfew

VIEWS = 2


def demo_config(demo_root):
    cfg = load_config('a3lign_demo.py')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = demo_root
    return cfg


def extract(cfg, store, **kwargs):
    return extract_features(
        cfg, store, views=VIEWS, num_workers=0, device='cpu', bf16=False,
        progress=False, **kwargs)


@pytest.fixture(scope='module')
def store32(demo_root, tmp_path_factory):
    """fp32 embeddings of the demo clips, test view + 2 training views."""
    path = str(tmp_path_factory.mktemp('store32'))
    torch.manual_seed(0)
    extract(demo_config(demo_root), path, dtype='float32')
    return path


def logits(model, inputs):
    data = model.data_preprocessor(
        dict(inputs=[inputs], data_samples=None), False)
    with torch.no_grad():
        return model(data['inputs'], mode='tensor', stage='head')


def test_cached_and_end_to_end_give_the_same_logits(demo_root, store32):
    cfg = demo_config(demo_root)
    torch.manual_seed(0)  # the weights the store was made with
    model = MODELS.build(cfg.model).eval()
    model.set_stage(3)
    cached = MODELS.build(dict(type='ActionDataPreprocessor'))
    root, infos = collect_clips(cfg)
    keys = sorted(infos)[:4]
    views = ClipViews(keys, infos, cfg.test_dataloader.dataset.pipeline,
                      cfg.train_dataloader.dataset.pipeline, VIEWS + 1, 0)
    store = FeatureStore(store32)
    compared = 0
    for key, frames in views:
        for view in range(VIEWS + 1):
            end_to_end = logits(model, frames[view:view + 1])
            model.data_preprocessor, video = cached, model.data_preprocessor
            stored = torch.from_numpy(store.read(key, view))[None]
            from_store = logits(model, stored)
            model.data_preprocessor = video
            torch.testing.assert_close(
                from_store, end_to_end, atol=1e-4, rtol=0)
            compared += 1
    assert compared == 12
    # The views differ (random crops and flips), the test view is the
    # pipeline's deterministic one.
    key = keys[0]
    assert not np.allclose(store.read(key, 1), store.read(key, 2))
    test_inputs = Compose(cfg.test_dataloader.dataset.pipeline)(
        dict(infos[key]))['inputs']
    assert torch.equal(views[0][1][0], test_inputs[0])


def test_resumes_after_interruption(demo_root, store32, tmp_path,
                                    monkeypatch):
    cfg = demo_config(demo_root)
    write = FeatureStore.write
    calls = []

    def failing_write(self, keys, embeddings):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(keys)
        write(self, keys, embeddings)

    monkeypatch.setattr(FeatureStore, 'write', failing_write)
    torch.manual_seed(0)
    with pytest.raises(KeyboardInterrupt):
        extract(cfg, str(tmp_path), dtype='float32', batch_size=8)
    monkeypatch.setattr(FeatureStore, 'write', write)
    assert len(FeatureStore(str(tmp_path)).missing(
        collect_clips(cfg)[1])) == 36 - 16
    torch.manual_seed(0)
    result = extract(cfg, str(tmp_path), dtype='float32', batch_size=8)
    assert result['clips'] == 36 and result['extracted'] == 20
    # Nothing left to do; the result equals an uninterrupted extraction.
    assert extract(cfg, str(tmp_path), dtype='float32')['extracted'] == 0
    resumed, whole = FeatureStore(str(tmp_path)), FeatureStore(store32)
    for key in resumed.clips:
        for view in range(VIEWS + 1):
            np.testing.assert_allclose(
                resumed.read(key, view), whole.read(key, view), atol=1e-5)


def test_folds_share_one_extraction(tmp_path, tiny_clip_arch):
    # Two folds that split the same four clips differently.
    root = make_dfew(
        str(tmp_path / 'DFEW'), {
            1: dict(train=[(1, 0, 3), (2, 1, 3), (3, 2, 3)],
                    test=[(4, 3, 3)]),
            2: dict(train=[(1, 0, 3), (2, 1, 3), (4, 3, 3)],
                    test=[(3, 2, 3)])
        })
    cfg = Config.fromfile(f'{CONFIG_DIR}/a3lign_dfew.py')
    cfg.merge_from_dict({
        'model.clip':
        dict(arch=dict(tiny_clip_arch, _delete_=True), checkpoint=None),
        'train_dataloader.dataset.data_root': root,
        'test_dataloader.dataset.data_root': root,
    })
    for loader in ('train_dataloader', 'test_dataloader'):
        for step in cfg[loader].dataset.pipeline:
            if step['type'] == 'Resize':
                step['scale'] = (32, 32)
    result = extract(cfg, str(tmp_path / 'store'), folds=[1, 2])
    assert result['clips'] == result['extracted'] == 4
    assert result['frames'] == 4 * (VIEWS + 1) * 16
    assert extract(cfg, str(tmp_path / 'store'),
                   folds=[2])['extracted'] == 0


@pytest.mark.slow
def test_cached_config_trains(demo_root, store32, tmp_path):
    cfg = short_demo_config(demo_root, tmp_path, THREE_STAGES)
    cached = Config.fromfile(f'{CONFIG_DIR}/a3lign_demo_cached.py')
    cfg.model.data_preprocessor = cached.model.data_preprocessor
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        pipeline = cached[loader].dataset.pipeline
        pipeline[0].store = store32
        cfg[loader].dataset.pipeline = pipeline
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    assert set(metrics) >= {'UAR', 'WAR'}
    batch = next(iter(runner.train_dataloader))
    assert batch['inputs'][0].shape == (1, 16, 64)
