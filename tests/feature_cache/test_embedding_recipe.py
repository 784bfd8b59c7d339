import pytest

from a3lign_mmaction.datasets import PREDICTION_META_KEYS
from a3lign_mmaction.feature_cache import embedding_recipe
from a3lign_mmaction.testing import load_config


@pytest.mark.parametrize('dataset', ['dfew', 'ferv39k', 'mafw'])
def test_each_dataset_has_its_own_store(dataset, monkeypatch):
    monkeypatch.delenv('FEATURE_STORE', raising=False)
    cfg = load_config(f'a3lign_{dataset}_cached.py')
    store = f'data/features/{dataset}_vit-l-14'
    assert [h.type for h in cfg.custom_hooks] == [
        'EpochSeedHook', 'ResumeSettingsHook', 'BAPHook', 'FeatureStoreHook'
    ]
    assert cfg.custom_hooks[-1].store == store
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset_cfg = cfg[loader].dataset
        # The frame config's dataset, with the store's pipeline.
        assert dataset_cfg.type == load_config(
            f'a3lign_{dataset}.py')[loader].dataset.type
        assert dataset_cfg.pipeline[0].store == store
    assert cfg.model.data_preprocessor.type == 'EmbeddingDataPreprocessor'
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.default_hooks.checkpoint.interval == 10
    monkeypatch.setenv('FEATURE_STORE', '/stores/mine')
    cfg = load_config(f'a3lign_{dataset}_cached.py')
    assert cfg.val_dataloader.dataset.pipeline[0].store == '/stores/mine'


def test_demo_store_trains_in_fp32():
    cfg = load_config('a3lign_demo_cached.py')
    assert cfg.optim_wrapper.optimizer.type == 'AdamW'
    assert 'type' not in cfg.optim_wrapper
    assert cfg.default_hooks.checkpoint.interval == 5


def test_entries():
    inherited = [dict(type='EpochSeedHook')]
    model, optim, train, val, test, hooks, custom = embedding_recipe(
        'store', inherited, amp=False, checkpoint_interval=None)
    assert optim == {} and hooks == {}
    assert custom == [
        dict(type='EpochSeedHook'),
        dict(type='FeatureStoreHook', store='store')
    ]
    assert val is test
    assert [step['type'] for step in train['dataset']['pipeline']] == [
        'LoadClipFeatures', 'PackActionInputs'
    ]
    assert val['dataset']['pipeline'][0] == dict(
        type='LoadClipFeatures', store='store', test_mode=True)
    assert val['dataset']['pipeline'][1]['meta_keys'] == PREDICTION_META_KEYS
