# configs/a3lign_demo.py trained from stored frame embeddings
# (docs/feature_cache.md). Make the store once, then train:
#   python tools/extract_features.py configs/a3lign_demo.py \
#       --store data/features/demo_faces
#   python tools/train.py configs/a3lign_demo_cached.py
# The same changes as _base_/recipes/vit-l-14_cached.py, in fp32 (CPU).
_base_ = ['a3lign_demo.py']

feature_store = '{{$FEATURE_STORE:data/features/demo_faces}}'

model = dict(
    data_preprocessor=dict(type='EmbeddingDataPreprocessor'))
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadClipFeatures', store=feature_store),
        dict(type='PackActionInputs')
    ]))
val_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadClipFeatures', store=feature_store, test_mode=True),
        dict(type='PackActionInputs', meta_keys={{_base_.clip_meta_keys}})
    ]))
test_dataloader = val_dataloader
# Stops before training or testing on a store made by another image tower.
default_hooks = dict(
    feature_store=dict(type='FeatureStoreHook', store=feature_store))
