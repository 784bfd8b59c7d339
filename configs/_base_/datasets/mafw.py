# MAFW as released (tools/data/mafw/README.md); FOLD picks the fold, 1..5.
# MAFW_FRAMES names the frame folder under the root (data/faces or
# data/frames); unset (auto), data/faces where it exists, else data/frames.
data_root = '{{$MAFW_ROOT:data/MAFW}}'
fold = int('{{$FOLD:1}}')
frames = '{{$MAFW_FRAMES:auto}}'
num_classes = 11
dataset = dict(
    type='MAFWDataset',
    data_root=data_root,
    fold=fold,
    frame_root=None if frames == 'auto' else frames)
