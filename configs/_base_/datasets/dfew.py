# DFEW as released (tools/data/dfew/README.md); FOLD picks the fold, 1..5.
# DFEW_FRAMES names the frame folder under the root (e.g.
# Clip/clip_224x224_16f); unset (auto), the release's own is read.
data_root = '{{$DFEW_ROOT:data/DFEW}}'
# A FOLD that is not a number reaches the dataset, which names the folds.
fold = '{{$FOLD:1}}'
fold = int(fold) if fold.isdigit() else fold
frames = '{{$DFEW_FRAMES:auto}}'
num_classes = 7
dataset = dict(
    type='DFEWDataset',
    data_root=data_root,
    fold=fold,
    frame_root=None if frames == 'auto' else frames)
