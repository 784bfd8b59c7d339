from typing import Optional, Sequence, Tuple

__all__ = ['embedding_recipe']


def embedding_recipe(
    store: str,
    meta_keys: Sequence[str],
    amp: bool = True,
    checkpoint_interval: Optional[int] = 10
) -> Tuple[dict, dict, dict, dict, dict, dict]:
    """The config entries that train a frame config's model from stored
    frame embeddings (``docs/feature_cache.md``), merged into the frame
    config they inherit::

        _base_ = ['a3lign_dfew.py']
        from a3lign_mmaction.feature_cache import embedding_recipe
        (model, optim_wrapper, train_dataloader, val_dataloader,
         test_dataloader, default_hooks) = embedding_recipe(
             '{{$FEATURE_STORE:data/features/dfew_vit-l-14}}',
             {{_base_.clip_meta_keys}})

    One function for every ``*_cached.py`` config, since the store differs
    by dataset while the rest does not, and a base file cannot take a
    value from the dataset file beside it.

    Args:
        store (str): The feature store's folder.
        meta_keys (sequence[str]): What a clip's data sample carries to the
            metric in validation and testing.
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
        augmented view in training, the test-time view otherwise) and
        ``default_hooks`` (:class:`FeatureStoreHook`, which stops before
        training or testing on a store of another image tower).
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
            dict(type='PackActionInputs', meta_keys=meta_keys)
        ]))
    default_hooks = dict(
        feature_store=dict(type='FeatureStoreHook', store=store))
    if checkpoint_interval:
        default_hooks['checkpoint'] = dict(interval=checkpoint_interval)
    return (model, optim_wrapper, train_dataloader, val_dataloader,
            val_dataloader, default_hooks)
