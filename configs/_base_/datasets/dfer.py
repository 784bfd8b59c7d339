# Pipelines, data loaders and metric of the DFER datasets. The dataset
# itself (class, root, fold) comes from dfew.py, ferv39k.py or mafw.py: a
# config puts their `dataset` into its loaders.
# No base: `_base_` comes first only because MMEngine reads a config that
# starts with an import as a lazy-import config.
_base_ = []

from a3lign_mmaction.datasets import dfer_pipelines  # noqa: E402

# Pipelines: `clip_len` frames, one from each of as many equal segments,
# face crops at `image_size` pixels (dfer_pipelines says what each step
# does). The model takes its frame size and T from the same two values
# (_base_/recipes/a3lign.py); a config that changes the size calls
# dfer_pipelines again. CLIP_LEN sets T (and with it A³lign-DFER's S, the
# sentences per class) for a sweep.
image_size = 224
clip_len = '{{$CLIP_LEN:16}}'
assert clip_len.isdigit() and int(clip_len) > 0, (
    f'CLIP_LEN must be a whole number of frames, 1 or more; got '
    f'{clip_len!r}')
clip_len = int(clip_len)
# FaceCrop's BlazeFace model (a .tflite file), from FACE_MODEL; by default
# the short-range model shipped with the plugin.
face_model = '{{$FACE_MODEL:shipped}}'
face_model = None if face_model == 'shipped' else face_model
# Views in testing (MAE-DFER and S2D report several): TEST_CLIPS temporal
# clips times TEST_CROPS crops (1, 3 or 10). The model averages the views'
# probabilities.
test_clips = '{{$TEST_CLIPS:1}}'
test_crops = '{{$TEST_CROPS:1}}'
assert test_clips.isdigit() and int(test_clips) > 0, (
    f'TEST_CLIPS must be a whole number of clips, 1 or more; got '
    f'{test_clips!r}')
assert test_crops in ('1', '3', '10'), (
    f'TEST_CROPS must be 1, 3 or 10; got {test_crops!r}')
test_clips, test_crops = int(test_clips), int(test_crops)
train_pipeline, test_pipeline = dfer_pipelines(
    image_size, clip_len, test_clips, test_crops, face_model)

# TotalBatchSampler: 64 clips per step in total, split over the GPUs (the
# paper's batch on any number). packed_collate in training and validation:
# each batch leaves a worker in two shared-memory segments instead of two
# per clip (see its docstring). The test loader keeps MMEngine's default,
# since MMAction2Inferencer reads its collate_fn as a registry name, which
# the runner does not take. Training workers start with every epoch and
# seed_worker seeds them from the epoch's seed (EpochSeedHook), so a
# resumed run draws the augmentations an uninterrupted one would.
train_dataloader = dict(
    batch_size=64,
    batch_sampler=dict(type='TotalBatchSampler'),
    num_workers=8,
    persistent_workers=False,
    worker_init_fn=dict(type='seed_worker'),
    collate_fn=dict(type='packed_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(split='train', pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(split='test', pipeline=test_pipeline, test_mode=True))
val_dataloader = dict(test_dataloader, collate_fn=dict(type='packed_collate'))

# Validation after every epoch writes the confusion matrix as CSV only;
# testing draws it as a PNG too and writes every clip's prediction to
# predictions.csv.
val_evaluator = dict(type='UARWARMetric', plot_confusion_matrix=False)
test_evaluator = dict(type='UARWARMetric', save_predictions=True)
