from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from .feature_store import FeatureStore

__all__ = ['FeatureStoreHook']


@HOOKS.register_module()
class FeatureStoreHook(Hook):
    """Check that a feature store was made by the model's own image tower.

    A model trained or tested from stored frame embeddings (the
    ``*_cached`` configs) never runs its image tower, so nothing else
    would notice a store written by other CLIP weights, or by another draw
    of a random-init tower: the run would train on embeddings its tower
    does not make. Before training, validation and testing (after a
    checkpoint is loaded), the hook compares the tower fingerprint that
    ``tools/extract_features.py`` recorded in the store with the model's
    (:meth:`CLIPVisionBackbone.fingerprint`) and stops on a difference.
    It checks once per run: the tower of a cached config is frozen.

    Args:
        store (str): Folder of the feature store the data pipelines read.
    """

    priority = 'VERY_HIGH'

    def __init__(self, store: str) -> None:
        self.store = store
        self._checked = False

    def _check(self, runner) -> None:
        if self._checked:
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        fingerprint = model.backbone.fingerprint()
        store = FeatureStore(self.store)
        if not len(store):
            raise FileNotFoundError(
                f'no feature store at {self.store}; make it with '
                'tools/extract_features.py')
        recorded = store.meta['tower']
        if recorded != fingerprint:
            raise ValueError(
                f'the feature store {self.store} was made by another image '
                f'tower (fingerprint {recorded[:12]}... recorded, '
                f'{fingerprint[:12]}... in this model; the store says '
                f'arch={store.meta.get("arch")}, '
                f'checkpoint={store.meta.get("checkpoint")}, '
                f'seed={store.meta.get("model_seed")}). Train with the CLIP '
                'weights (model.clip.checkpoint) or, for a random-init '
                'tower, the randomness.seed the store was made with, or '
                'extract a store for this model into a new folder.')
        print_log(
            f'Feature store {self.store}: made by this model\'s image tower '
            f'({fingerprint[:12]}...).',
            logger='current')
        self._checked = True

    def before_train(self, runner) -> None:
        self._check(runner)

    def before_val(self, runner) -> None:
        self._check(runner)

    def before_test(self, runner) -> None:
        self._check(runner)
