# configs/a3lign_demo.py trained from stored frame embeddings: the frozen
# CLIP image tower runs once, before training, instead of in every step.
# Make the store first (rerunning resumes; with --folds one store serves
# every fold):
#   python tools/extract_features.py configs/a3lign_demo.py \
#       --store data/features/demo_faces
# then train as usual:
#   python tools/train.py configs/a3lign_demo_cached.py
# Each training step reads one of the stored augmented views of a clip at
# random; validation and test read the test-time view.
_base_ = ['a3lign_demo.py']

feature_store = '{{$FEATURE_STORE:data/features/demo_faces}}'

model = dict(
    data_preprocessor=dict(_delete_=True, type='EmbeddingDataPreprocessor'))
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadClipFeatures', store=feature_store),
        dict(type='PackActionInputs')
    ]))
val_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadClipFeatures', store=feature_store, test_mode=True),
        dict(type='PackActionInputs')
    ]))
test_dataloader = val_dataloader
