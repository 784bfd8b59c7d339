# Zero-shot CLIP ViT-L/14 (no training) on FERV39k (docs/benchmark.md).
# Where the data and the weights are:
#   FERV39K_ROOT=/data/FERV39k CLIP_CHECKPOINT=/weights/ViT-L-14.pt \
#   python tools/test.py configs/zeroshot-clip_ferv39k.py none
_base_ = ['_base_/recipes/zeroshot-clip.py', '_base_/datasets/ferv39k.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
