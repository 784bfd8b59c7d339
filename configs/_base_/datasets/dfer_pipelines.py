# Pipelines of the DFER datasets (method.md §4): 16 frames, one from each of
# 16 equal segments (random in training, the middle one in testing; short
# clips repeat frames), face crops at `image_size` pixels; random resized
# crop and horizontal flip in training.
image_size = 224
train_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1),
    dict(type='FrameListDecode'),
    dict(type='RandomResizedCrop', area_range=(0.6, 1.0)),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1, test_mode=True),
    dict(type='FrameListDecode'),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
