import os.path as osp
from typing import Dict, Optional

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .feature_store import FeatureStore

__all__ = ['LoadClipFeatures']


@TRANSFORMS.register_module()
class LoadClipFeatures(BaseTransform):
    """Load a clip's frame embeddings from a :class:`FeatureStore`, in
    place of sampling, decoding and augmenting its frames.

    In training each call picks one of the store's augmented views at
    random (so every epoch sees a random view); in testing it loads the
    test-time view (view 0). The embeddings go to ``imgs`` as a
    ``(1, frames, dim)`` array, which ``PackActionInputs`` packs and
    :class:`CLIPVisionBackbone` passes through.

    Required keys: ``frame_dir``. Added keys: ``imgs``, ``feature_view``.

    Args:
        store (str): Folder of the feature store.
        data_root (str, optional): The dataset's root; clips are keyed by
            their frame folder relative to it. Defaults to None (the root
            recorded at extraction; set it when the dataset has moved).
        test_mode (bool): Load the test-time view. Defaults to False.
        num_views (int, optional): Use only the first ``num_views``
            training views. Defaults to None (all).
    """

    def __init__(self,
                 store: str,
                 data_root: Optional[str] = None,
                 test_mode: bool = False,
                 num_views: Optional[int] = None) -> None:
        self.store_root = store
        self.data_root = data_root
        self.test_mode = test_mode
        self.num_views = num_views
        self._store: Optional[FeatureStore] = None

    @property
    def store(self) -> FeatureStore:
        # Opened on first use, so that every data loader worker maps the
        # files itself.
        if self._store is None:
            self._store = FeatureStore(self.store_root)
            if not len(self._store):
                raise FileNotFoundError(
                    f'no feature store at {self.store_root}; make it with '
                    'tools/extract_features.py')
        return self._store

    def transform(self, results: Dict) -> Dict:
        """Load the embeddings of one view."""
        if 'frame_dir' not in results:
            raise KeyError(
                'LoadClipFeatures loads the stored embeddings of a dataset '
                "clip, by its 'frame_dir', and this input has none (e.g. a "
                'video given to MMAction2Inferencer, which runs the test '
                "loader's pipeline). To score videos with a *_cached "
                "config's checkpoint, use inference_recognizer or "
                "MMAction2's demos, which run the config's test_pipeline, "
                'or give MMAction2Inferencer the frame config the cached one '
                'extends (e.g. configs/a3lign_dfew.py).')
        root = self.data_root or self.store.meta['data_root']
        key = osp.relpath(results['frame_dir'], root)
        train_views = self.store.num_views - 1
        if self.num_views is not None:
            train_views = min(train_views, self.num_views)
        view = 0 if self.test_mode else int(np.random.randint(train_views)) + 1
        results['imgs'] = self.store.read(key, view)[None]
        results['feature_view'] = view
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(store={self.store_root!r}, '
                f'test_mode={self.test_mode})')
