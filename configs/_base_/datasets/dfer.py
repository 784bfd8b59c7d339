# Pipelines, data loaders and metric of the DFER datasets. The dataset
# itself (class, root, fold) comes from dfew.py, ferv39k.py or mafw.py: a
# config puts their `dataset` into its loaders.
# Pipelines: 16 frames, one from each of 16 equal segments (random in
# training, the middle one in testing; short clips repeat frames), face
# crops at `image_size` pixels; random resized crop and horizontal flip in
# training. The test pipeline is also what MMAction2's inference API and
# demos run (docs/mmaction_routes.md): VideoInit opens a video file or a
# folder of frames, VideoDecode reads the dataset's frame lists too, and
# FaceCrop cuts the face out of raw frames (the datasets' are crops).
image_size = 224
# FaceCrop's BlazeFace model (a .tflite file), from FACE_MODEL; by default
# the short-range model shipped with the plugin.
face_model = '{{$FACE_MODEL:shipped}}'
face_model = None if face_model == 'shipped' else face_model
# What a clip's data sample carries to the metric, for the predictions CSV
# of testing (UARWARMetric's save_predictions).
clip_meta_keys = ('img_shape', 'frame_dir', 'filename')
train_pipeline = [
    dict(type='SegmentSampleFrames', clip_len=16, num_clips=1),
    dict(type='FrameListDecode'),
    dict(type='RandomResizedCrop', area_range=(0.6, 1.0)),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
# Views in testing (MAE-DFER and S2D report several): TEST_CLIPS temporal
# clips, each taking its frames at its own offset within the 16 segments,
# times TEST_CROPS crops (ViewCrops: 1, the whole face; 3, left, centre and
# right; 10, corners and centre and their mirror images). The model
# averages the views' probabilities.
test_clips = '{{$TEST_CLIPS:1}}'
test_crops = '{{$TEST_CROPS:1}}'
assert test_clips.isdigit() and int(test_clips) > 0, (
    f'TEST_CLIPS must be a whole number of clips, 1 or more; got '
    f'{test_clips!r}')
assert test_crops in ('1', '3', '10'), (
    f'TEST_CROPS must be 1, 3 or 10; got {test_crops!r}')
test_clips, test_crops = int(test_clips), int(test_crops)
test_pipeline = [
    dict(type='VideoInit'),
    dict(
        type='SegmentSampleFrames',
        clip_len=16,
        num_clips=test_clips,
        test_mode=True),
    dict(type='VideoDecode'),
    dict(type='FaceCrop', detector=dict(model=face_model)),
    dict(type='ViewCrops', size=image_size, crops=test_crops),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', meta_keys=clip_meta_keys)
]

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
