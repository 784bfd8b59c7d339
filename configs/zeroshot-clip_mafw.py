# Zero-shot CLIP ViT-L/14 (no training) on MAFW (docs/benchmark.md).
# Where the data and the weights are:
#   MAFW_ROOT=/data/MAFW CLIP_CHECKPOINT=/weights/ViT-L-14.pt FOLD=2 \
#   python tools/test.py configs/zeroshot-clip_mafw.py none
_base_ = ['_base_/recipes/zeroshot-clip.py', '_base_/datasets/mafw.py']

train_dataloader = dict(dataset={{_base_.dataset}})
val_dataloader = dict(dataset={{_base_.dataset}})
test_dataloader = val_dataloader
model = dict(
    cls_head=dict(
        num_classes={{_base_.num_classes}},
        class_texts='mafw11_zero_shot'))
