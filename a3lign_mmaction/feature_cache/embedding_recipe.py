from typing import List, Optional, Sequence, Tuple

from ..datasets import PREDICTION_META_KEYS
from ..engine import add_custom_hook

__all__ = ['embedding_recipe']


def embedding_recipe(
    store: str,
    custom_hooks: Sequence[dict],
    amp: bool = True,
    checkpoint_interval: Optional[int] = 10
) -> Tuple[dict, dict, dict, dict, dict, dict, List[dict]]:
    """The config entries that train a frame config's model from stored
    frame embeddings (``docs/feature_cache.md``), merged into the frame
    config they inherit::

        _base_ = ['a3lign_dfew.py']
        from a3lign_mmaction.feature_cache import embedding_recipe
        (model, optim_wrapper, train_dataloader, val_dataloader,
         test_dataloader, default_hooks, custom_hooks) = embedding_recipe(
             '{{$FEATURE_STORE:data/features/dfew_vit-l-14}}',
             _base_.custom_hooks)

    One function for every ``*_cached.py`` config, since the store differs
    by dataset while the rest does not, and a base file cannot take a
    value from the dataset file beside it.

    Args:
        store (str): The feature store's folder.
        custom_hooks (sequence[dict]): The hooks the config inherits.
        amp (bool): Train under bf16 autocast (several times faster on a
            GPU in BAP stages 1 and 3, where the text tower runs forward
            and backward in every step; bf16 keeps fp32's exponent range,
            so there is no loss scaling). Defaults to True.
        checkpoint_interval (int, optional): Epochs between checkpoints (a
            cached epoch takes seconds; the best UAR is kept as well); None
            keeps the base's. Defaults to 10.

    Returns:
        tuple[dict]: ``model`` (the :class:`EmbeddingDataPreprocessor`),
        ``optim_wrapper``, ``train_dataloader``, ``val_dataloader``,
        ``test_dataloader`` (pipelines that read the store: a random
        augmented view in training, the test-time view otherwise),
        ``default_hooks`` (the checkpoint interval) and ``custom_hooks``
        (``custom_hooks`` with :class:`FeatureStoreHook` added, which stops
        before training or testing on a store of another image tower).
    """
    model = dict(data_preprocessor=dict(type='EmbeddingDataPreprocessor'))
    optim_wrapper = dict(
        type='AmpOptimWrapper', dtype='bfloat16',
        loss_scale=dict(enabled=False)) if amp else {}
    train_dataloader = dict(
        dataset=dict(pipeline=[
            dict(type='LoadClipFeatures', store=store),
            dict(type='PackActionInputs')
        ]))
    val_dataloader = dict(
        dataset=dict(pipeline=[
            dict(type='LoadClipFeatures', store=store, test_mode=True),
            dict(type='PackActionInputs', meta_keys=PREDICTION_META_KEYS)
        ]))
    default_hooks = dict(checkpoint=dict(
        interval=checkpoint_interval)) if checkpoint_interval else {}
    custom_hooks = add_custom_hook(
        custom_hooks, dict(type='FeatureStoreHook', store=store))
    return (model, optim_wrapper, train_dataloader, val_dataloader,
            val_dataloader, default_hooks, custom_hooks)
