# Zero-shot CLIP ViT-L/14 (no training) on DFEW (docs/benchmark.md).
# Where the data and the weights are:
#   DFEW_ROOT=/data/DFEW CLIP_CHECKPOINT=/weights/ViT-L-14.pt FOLD=2 \
#   python tools/test.py configs/zeroshot-clip_dfew.py none
_base_ = ['_base_/recipes/zeroshot-clip.py', '_base_/datasets/dfew.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
