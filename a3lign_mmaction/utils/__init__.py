from .config_loading import load_config
from .folder_lock import FolderBusyError, FolderLock
from .key_mismatch import describe_key_mismatch
from .mha_fastpath import without_mha_fastpath
from .mmaction_tools import mmaction_tool_path, run_mmaction_tool
from .model_cost import count_view_flops, trainable_parameters, view_shape
from .run_metrics import latest_test_metrics, metrics_files
from .staging_folder import remove_staging_folders, staging_folder
from .task_progress import Report, TaskProgress
from .text_table import format_table

__all__ = [
    'FolderBusyError', 'FolderLock', 'Report', 'TaskProgress',
    'count_view_flops', 'describe_key_mismatch', 'format_table',
    'latest_test_metrics', 'load_config', 'metrics_files',
    'mmaction_tool_path', 'remove_staging_folders', 'run_mmaction_tool',
    'staging_folder', 'trainable_parameters', 'view_shape',
    'without_mha_fastpath'
]
