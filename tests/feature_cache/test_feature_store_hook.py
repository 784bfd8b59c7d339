from types import SimpleNamespace

import numpy as np
import pytest

from a3lign_mmaction.feature_cache import FeatureStore, FeatureStoreHook


def runner_with_tower(fingerprint):
    backbone = SimpleNamespace(fingerprint=lambda: fingerprint)
    return SimpleNamespace(model=SimpleNamespace(backbone=backbone))


def store_with(path, **info):
    store = FeatureStore(str(path))
    store.add(['a'], views=1, frames=1, dim=1, info=info)
    store.write([('a', 0)], np.ones((1, 1, 1)))


def test_store_of_the_models_tower_passes(tmp_path):
    store_with(tmp_path, tower='abc')
    hook = FeatureStoreHook(str(tmp_path))
    hook.before_train(runner_with_tower('abc'))
    hook.before_test(runner_with_tower('other'))  # checked once per run


def test_store_of_another_tower_stops_the_run(tmp_path):
    store_with(tmp_path, tower='abc', model_seed=0)
    with pytest.raises(ValueError, match=r'made by another image tower '
                       r'\(fingerprint abc... recorded, def... in this '
                       r'model; .*seed=0\)'):
        FeatureStoreHook(str(tmp_path)).before_val(runner_with_tower('def'))


def test_missing_store(tmp_path):
    with pytest.raises(FileNotFoundError, match='extract_features.py'):
        FeatureStoreHook(str(tmp_path)).before_test(runner_with_tower('a'))
