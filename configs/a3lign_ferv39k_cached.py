# configs/a3lign_ferv39k.py trained from stored frame embeddings, bf16
# (docs/feature_cache.md). Make the store once, then train:
#   python tools/extract_features.py configs/a3lign_ferv39k.py \
#       --store data/features/ferv39k_vit-l-14
#   python tools/train.py configs/a3lign_ferv39k_cached.py
# FEATURE_STORE=/path/to/store reads another store.
_base_ = ['a3lign_ferv39k.py']

from a3lign_mmaction.feature_cache import embedding_recipe  # noqa: E402

(model, optim_wrapper, train_dataloader, val_dataloader, test_dataloader,
 default_hooks, custom_hooks) = embedding_recipe(
     '{{$FEATURE_STORE:data/features/ferv39k_vit-l-14}}',
     _base_.custom_hooks)
