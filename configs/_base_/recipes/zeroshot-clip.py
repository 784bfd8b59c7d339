# Zero-shot CLIP: no training. Each class is the mean of its hand-written
# texts (a3lign_mmaction/models/heads/class_text_files/*_zero_shot.txt)
# through CLIP's text tower; a clip is the mean of its frame embeddings.
# Score it without a checkpoint:
#   python tools/test.py configs/zeroshot-clip_dfew.py none
_base_ = ['vit-l-14.py']

model = dict(
    neck=dict(_delete_=True, type='TemporalMeanNeck'),
    cls_head=dict(
        _delete_=True,
        type='PromptHead',
        num_classes=7,
        class_texts='dfer7_zero_shot',
        num_tokens=0))
custom_hooks = [h for h in _base_.custom_hooks if h.type != 'BAPHook']
# tools/test.py CONFIG none: nothing to load but CLIP's weights.
runner_type = 'ZeroShotRunner'
