"""Helpers for the plugin's tests and for tests of code built on it, as
MMAction2 keeps ``mmaction/testing``: the plugin's configs cut to seconds
of training, the tiny CLIP, and commands run as a user runs them. Nothing
here imports pytest."""
from .configs import config_dir, load_config, tiny_clip_config
from .demo_runs import (DEMO_SPLITS, THREE_STAGES, logged_validation,
                        set_bap_stages, short_demo_config)
from .log_recorder import LogRecorder
from .processes import child_processes, run_command, run_script

__all__ = [
    'DEMO_SPLITS', 'LogRecorder', 'THREE_STAGES', 'child_processes',
    'config_dir', 'load_config', 'logged_validation',
    'run_command', 'run_script', 'set_bap_stages', 'short_demo_config',
    'tiny_clip_config'
]
