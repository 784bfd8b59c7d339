from .build import build_clip, clip_arch_config, uses_quick_gelu
from .checkpoint import (KNOWN_SHA256, OPEN_CLIP_FILES,
                         clear_clip_checkpoint_cache, describe_clip_state_dict,
                         file_sha256, guess_clip_arch, load_clip_checkpoint,
                         read_open_clip_config, resolve_clip_checkpoint)
from .clip_text_tower import CLIPTextTower
from .frozen_clip_weights import FrozenCLIPWeights

__all__ = [
    'build_clip', 'clip_arch_config', 'CLIPTextTower', 'FrozenCLIPWeights',
    'KNOWN_SHA256',
    'OPEN_CLIP_FILES', 'clear_clip_checkpoint_cache',
    'describe_clip_state_dict', 'file_sha256', 'guess_clip_arch',
    'load_clip_checkpoint', 'read_open_clip_config',
    'resolve_clip_checkpoint', 'uses_quick_gelu'
]
