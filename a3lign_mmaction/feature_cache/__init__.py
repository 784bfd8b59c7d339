"""The feature cache: the frozen image tower's frame embeddings, made once
per clip view (``tools/extract_features.py``) and trained on instead of
the frames (the ``*_cached`` configs, docs/feature_cache.md). Importing it
registers ``LoadClipFeatures`` (TRANSFORMS), ``FeatureStoreHook`` (HOOKS)
and ``EmbeddingDataPreprocessor`` (MODELS) with MMAction2.
"""
from .embedding_data_preprocessor import EmbeddingDataPreprocessor
from .embedding_recipe import embedding_recipe
from .extract_features import extract_features
from .extraction_plan import (ExtractionPlan, build_extraction_model,
                              collect_clips, plan_extraction)
from .extraction_views import ExtractionViews
from .feature_journal import FeatureJournal
from .feature_store import FeatureStore
from .feature_store_hook import FeatureStoreHook
from .load_clip_features import LoadClipFeatures

__all__ = [
    'EmbeddingDataPreprocessor', 'ExtractionPlan', 'ExtractionViews',
    'FeatureJournal', 'FeatureStore', 'FeatureStoreHook', 'LoadClipFeatures',
    'build_extraction_model', 'collect_clips', 'embedding_recipe',
    'extract_features', 'plan_extraction'
]
