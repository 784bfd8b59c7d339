# A³lign-DFER with CLIP ViT-B-32: frozen CLIP, MAT head, JAS neck.
# Path to your CLIP ViT-B-32 weights: OpenAI's released archive
# (ViT-B-32.pt, written by `clip.load` to ~/.cache/clip) or an open_clip
# .bin / .safetensors checkpoint. None builds a random-init CLIP. From the
# command line: --cfg-options model.clip.checkpoint=/path/to/ViT-B-32.pt
clip_checkpoint = None

model = dict(
    type='CLIPRecognizer',
    clip=dict(arch='ViT-B-32', checkpoint=clip_checkpoint),
    backbone=dict(type='CLIPVisionBackbone'),
    neck=dict(type='JASNeck', num_frames=16, num_sentences=16),
    cls_head=dict(
        type='MATHead', num_classes=7, num_sentences=16, num_tokens=64),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[122.771, 116.746, 104.093],
        std=[68.500, 66.632, 70.323],
        format_shape='NCTHW'))
