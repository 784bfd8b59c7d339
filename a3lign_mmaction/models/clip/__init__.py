from .arch_diagnosis import describe_clip_state_dict, guess_clip_arch
from .build import build_clip, clip_arch_config, uses_quick_gelu
from .clip_text_tower import CLIPTextTower
from .frozen_clip_weights import FrozenCLIPWeights
from .pretrained_names import (HF_HUB_PREFIX, download_clip_weights,
                               is_clip_weights_name)
from .weight_files import (KNOWN_SHA256, OPEN_CLIP_FILES,
                           clear_clip_checkpoint_cache, file_sha256,
                           load_clip_checkpoint, read_open_clip_config,
                           resolve_clip_checkpoint)

__all__ = [
    'build_clip', 'clip_arch_config', 'CLIPTextTower', 'FrozenCLIPWeights',
    'HF_HUB_PREFIX', 'KNOWN_SHA256', 'OPEN_CLIP_FILES',
    'clear_clip_checkpoint_cache', 'describe_clip_state_dict',
    'download_clip_weights', 'file_sha256', 'guess_clip_arch',
    'is_clip_weights_name', 'load_clip_checkpoint', 'read_open_clip_config',
    'resolve_clip_checkpoint', 'uses_quick_gelu'
]
