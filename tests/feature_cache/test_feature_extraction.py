import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.runner import Runner

from a3lign_mmaction.feature_cache import (ExtractionViews, FeatureStore,
                                           collect_clips, extract_features)
from a3lign_mmaction.testing import (THREE_STAGES, load_config,
                                     short_demo_config, tiny_clip_config)
from tests.datasets.fake_releases import make_dfew
from tests.repository import CONFIG_DIR

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
    extract(demo_config(demo_root), path, dtype='float32')
    return path


def logits(model, inputs):
    data = model.data_preprocessor(
        dict(inputs=[inputs], data_samples=None), False)
    with torch.no_grad():
        return model(data['inputs'], mode='tensor', stage='head')


def needed_views(cfg):
    """``(key, view)`` pairs the config's clips need, sorted."""
    _, _, splits = collect_clips(cfg)
    return sorted((key, view) for key, split in splits.items()
                  for view in range(VIEWS + 1)
                  if ('test' in split) == (view == 0) or (
                      'train' in split and view > 0))


def test_cached_and_end_to_end_give_the_same_logits(demo_root, store32):
    cfg = demo_config(demo_root)
    torch.manual_seed(0)  # the weights the store was made with
    model = MODELS.build(cfg.model).eval()
    model.set_stage(3)
    cached = MODELS.build(
        load_config('a3lign_demo_cached.py').model.data_preprocessor)
    _, infos, splits = collect_clips(cfg)
    train = sorted(k for k, s in splits.items() if s == {'train'})[:2]
    test = sorted(k for k, s in splits.items() if s == {'test'})[:2]
    items = [(k, v) for k in train for v in (1, 2)] + [(k, 0) for k in test]
    views = ExtractionViews(items, infos,
                            cfg.test_dataloader.dataset.pipeline,
                            cfg.train_dataloader.dataset.pipeline, 0)
    store = FeatureStore(store32)
    for key, view, frames in views:
        end_to_end = logits(model, frames)
        model.data_preprocessor, video = cached, model.data_preprocessor
        stored = torch.from_numpy(store.read(key, view))[None]
        from_store = logits(model, stored)
        model.data_preprocessor = video
        torch.testing.assert_close(from_store, end_to_end, atol=1e-4, rtol=0)
    # The training views differ (random crops and flips), the test view is
    # the pipeline's deterministic one.
    assert not np.allclose(store.read(train[0], 1), store.read(train[0], 2))
    test_inputs = Compose(cfg.test_dataloader.dataset.pipeline)(
        dict(infos[test[0]]))['inputs']
    assert torch.equal(views[4][2], test_inputs)
    # Test clips have no training views, training clips no test view.
    with pytest.raises(KeyError, match='view 1 of clip'):
        store.read(test[0], 1)
    with pytest.raises(KeyError, match='view 0 of clip'):
        store.read(train[0], 0)


def test_resumes_after_interruption(demo_root, store32, tmp_path,
                                    monkeypatch):
    cfg = demo_config(demo_root)
    needed = needed_views(cfg)
    write = FeatureStore.write
    calls = []

    def failing_write(self, items, embeddings):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(items)
        write(self, items, embeddings)

    monkeypatch.setattr(FeatureStore, 'write', failing_write)
    with pytest.raises(KeyboardInterrupt):
        extract(cfg, str(tmp_path), dtype='float32', batch_size=8)
    monkeypatch.setattr(FeatureStore, 'write', write)
    by_clip = {}
    for key, view in needed:
        by_clip.setdefault(key, []).append(view)
    left = FeatureStore(str(tmp_path)).missing(by_clip)
    assert len(left) == len(needed) - 16
    result = extract(cfg, str(tmp_path), dtype='float32', batch_size=8)
    assert result['views'] == len(needed)
    assert result['extracted'] == len(needed) - 16
    # Nothing left to do; the result equals an uninterrupted extraction.
    assert extract(cfg, str(tmp_path), dtype='float32')['extracted'] == 0
    resumed, whole = FeatureStore(str(tmp_path)), FeatureStore(store32)
    for key, view in needed:
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
    cfg = tiny_clip_config('a3lign_dfew.py', tiny_clip_arch)
    cfg.merge_from_dict({
        'model.clip.checkpoint': None,
        'randomness': dict(seed=0),  # the same random CLIP every time
        'train_dataloader.dataset.data_root': root,
        'test_dataloader.dataset.data_root': root,
    })
    store = str(tmp_path / 'store')
    # Fold 1: training views of clips 1-3, the test view of clip 4.
    result = extract(cfg, store, folds=[1])
    assert (result['clips'], result['extracted']) == (4, 3 * VIEWS + 1)
    assert result['frames'] == (3 * VIEWS + 1) * 16
    # Fold 2 adds the training views of clip 4 and the test view of 3.
    assert extract(cfg, store, folds=[2])['extracted'] == VIEWS + 1
    both = extract(cfg, store, folds=[1, 2])
    assert both['extracted'] == 0 and both['views'] == 4 * VIEWS + 2
    # All at once: the same views, extracted together.
    together = extract(cfg, str(tmp_path / 'together'), folds=[1, 2])
    assert together['extracted'] == 4 * VIEWS + 2
    one, two = FeatureStore(store), FeatureStore(str(tmp_path / 'together'))
    for key in one.clips:
        for view in range(VIEWS + 1):
            if one.is_done(key, view):
                np.testing.assert_array_equal(
                    one.read(key, view), two.read(key, view))


@pytest.mark.integration
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
