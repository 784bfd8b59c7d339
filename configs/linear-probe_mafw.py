# A linear probe on the frozen CLIP ViT-L/14 on MAFW (docs/benchmark.md).
# Where the data and the weights are:
#   MAFW_ROOT=/data/MAFW CLIP_CHECKPOINT=/weights/ViT-L-14.pt FOLD=2 \
#   python tools/train.py configs/linear-probe_mafw.py
_base_ = ['_base_/recipes/linear-probe.py', '_base_/datasets/mafw.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
