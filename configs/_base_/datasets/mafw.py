# MAFW as released (tools/data/mafw/README.md); FOLD picks the fold, 1..5.
# MAFW_FRAMES names the frame folder under the root (data/faces or
# data/frames); unset (auto), data/faces where it exists, else data/frames.
data_root = '{{$MAFW_ROOT:data/MAFW}}'
# A FOLD that is not a number reaches the dataset, which names the folds.
fold = '{{$FOLD:1}}'
fold = int(fold) if fold.isdigit() else fold
frames = '{{$MAFW_FRAMES:auto}}'
num_classes = 11
dataset = dict(
    type='MAFWDataset',
    data_root=data_root,
    fold=fold,
    frame_root=None if frames == 'auto' else frames)
