# DFER-CLIP (Zhao and Patras, BMVC 2023), as released in
# github.com/zengqunzhao/DFER-CLIP (train_*.sh, main.py), on this plugin's
# pipelines, sampler and metric:
# - CLIP ViT-B/32, its image tower fine-tuned at learning rate 1e-5;
# - a temporal transformer on the raw frame embeddings (depth 1, 8 heads,
#   MLP 2x, no final LayerNorm, a CLS token; learned time embedding), 1e-2;
# - 8 context tokens per class before a description of the class, 1e-3,
#   through the frozen text tower; logits cosine / 0.01;
# - SGD, momentum 0.9, weight decay 1e-4, 50 epochs, the learning rates x0.1
#   at epochs 30 and 40, batch 48, the last smaller batch dropped.
# The descriptions are this plugin's own (class_text_files/
# dfer7_descriptions.txt); the authors' are a file away:
#   --cfg-options model.cls_head.class_texts=/path/to/descriptions.txt
# The weights: CLIP_CHECKPOINT=/path/to/ViT-B-32.pt.
_base_ = ['a3lign.py']

model = dict(
    clip=dict(
        arch='ViT-B-32',
        checkpoint='{{$CLIP_CHECKPOINT:checkpoints/clip/ViT-B-32.pt}}'),
    backbone=dict(trainable_blocks=-1),
    neck=dict(
        num_sentences=None,
        normalize_inputs=False,
        encoder=dict(type='TemporalTransformer', mlp_ratio=2,
                     final_norm=False)),
    cls_head=dict(
        _delete_=True,
        type='PromptHead',
        num_classes=7,
        class_texts='dfer7_descriptions',
        num_tokens=8,
        class_specific=True))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
train_dataloader = dict(
    batch_size=48, batch_sampler=dict(drop_last=True))
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=1e-3)}))
train_cfg = dict(max_epochs=50)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[30, 40], gamma=0.1, by_epoch=True)
]
