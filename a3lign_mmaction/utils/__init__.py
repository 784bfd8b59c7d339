from .mmaction_tools import mmaction_tool_path, run_mmaction_tool
from .staging_folder import staging_folder

__all__ = ['mmaction_tool_path', 'run_mmaction_tool', 'staging_folder']
