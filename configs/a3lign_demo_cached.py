# configs/a3lign_demo.py trained from stored frame embeddings
# (docs/feature_cache.md). Make the store once, then train:
#   python tools/extract_features.py configs/a3lign_demo.py \
#       --store data/features/demo_faces
#   python tools/train.py configs/a3lign_demo_cached.py
# In fp32 (CPU), checkpoints as often as the demo's.
_base_ = ['a3lign_demo.py']

from a3lign_mmaction.feature_cache import embedding_recipe  # noqa: E402

(model, optim_wrapper, train_dataloader, val_dataloader, test_dataloader,
 default_hooks, custom_hooks) = embedding_recipe(
     '{{$FEATURE_STORE:data/features/demo_faces}}',
     _base_.custom_hooks,
     amp=False,
     checkpoint_interval=None)
