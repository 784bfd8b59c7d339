# The paper's recipe trained from stored frame embeddings
# (docs/feature_cache.md): the frozen CLIP image tower runs once, in
# tools/extract_features.py, instead of in every step. Each training step
# reads one of the stored augmented views of a clip at random; validation
# and test read the test-time view. One store holds one dataset (all its
# folds): FEATURE_STORE=/path/to/store picks it.
_base_ = ['vit-l-14.py']

feature_store = '{{$FEATURE_STORE:data/features/vit-l-14}}'

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

# bf16 autocast: the step is several times faster on a GPU in BAP stages 1
# and 3, where the text tower runs forward and backward in every step
# (docs/benchmarks.md). bf16 keeps fp32's exponent range, so there is no
# loss scaling (and no overflow check with a GPU sync in every step). A
# config for fp32 sets optim_wrapper with _delete_=True, as in
# _base_/schedules/sgd.py.
optim_wrapper = dict(
    type='AmpOptimWrapper', dtype='bfloat16', loss_scale=dict(enabled=False))
# FeatureStoreHook stops before training or testing on a store made by
# another image tower. An epoch takes seconds: save every 10 epochs (and
# the best UAR).
default_hooks = dict(
    feature_store=dict(type='FeatureStoreHook', store=feature_store),
    checkpoint=dict(interval=10))
