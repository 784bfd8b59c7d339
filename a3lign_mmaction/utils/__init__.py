from .config_loading import load_config
from .folder_lock import FolderBusyError, FolderLock
from .key_mismatch import describe_key_mismatch
from .mha_fastpath import without_mha_fastpath
from .mmaction_tools import mmaction_tool_path, run_mmaction_tool
from .model_cost import count_view_flops, trainable_parameters, view_shape
from .progress import progress_bar
from .run_metrics import latest_test_metrics, metrics_files
from .staging_folder import remove_staging_folders, staging_folder
from .text_table import format_table

__all__ = [
    'FolderBusyError', 'FolderLock', 'describe_key_mismatch', 'format_table',
    'load_config', 'mmaction_tool_path', 'remove_staging_folders',
    'run_mmaction_tool', 'staging_folder', 'without_mha_fastpath',
    'count_view_flops', 'metrics_files', 'latest_test_metrics', 'progress_bar',
    'trainable_parameters', 'view_shape'
]
