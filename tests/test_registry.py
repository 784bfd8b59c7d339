import subprocess
import sys
import textwrap

from tests.repository import CONFIG_DIR

PLUGIN_MODELS = ('CLIPRecognizer', 'CLIPVisionBackbone', 'MATHead',
                 'JASNeck', 'TemporalTransformer')


def run_python(code):
    result = subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                            capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_import_registers_into_mmaction_registries():
    out = run_python(f"""
        from mmaction.registry import MODELS
        before = [name not in MODELS.module_dict for name in {PLUGIN_MODELS!r}]
        import a3lign_mmaction
        after = [MODELS.get(name) is not None for name in {PLUGIN_MODELS!r}]
        print(all(before), all(after))
    """)
    assert out == ['True', 'True']


def test_config_custom_imports_register():
    out = run_python(f"""
        from mmengine.config import Config
        from mmaction.registry import MODELS
        Config.fromfile('{CONFIG_DIR}/_base_/default_runtime.py')
        print(all(MODELS.get(name) is not None for name in {PLUGIN_MODELS!r}))
    """)
    assert out == ['True']
