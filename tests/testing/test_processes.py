import os
import sys

import pytest

from a3lign_mmaction.testing import run_command, run_script

SCRIPT = '''
import os
import sys
import helper

print('args', sys.argv[1:], 'cwd', os.getcwd(), 'var', os.environ['VAR'])
print('to stderr', file=sys.stderr)
if sys.argv[1] == 'raise':
    raise ValueError('bad input')
if sys.argv[1] == 'exit':
    sys.exit(int(sys.argv[2]))
'''


@pytest.fixture
def script(tmp_path):
    (tmp_path / 'helper.py').write_text('')
    path = tmp_path / 'tool.py'
    path.write_text(SCRIPT)
    return str(path)


def test_script_runs_as_python_would(script, tmp_path):
    before = (list(sys.argv), list(sys.path), os.getcwd(), dict(os.environ))
    output = run_script([script, 'ok', 1], tmp_path, env=dict(VAR='x'))
    assert f"args ['ok', '1'] cwd {tmp_path} var x" in output
    assert 'to stderr' in output
    assert (list(sys.argv), list(sys.path), os.getcwd(),
            dict(os.environ)) == before
    assert run_command([sys.executable, script, 'ok', '1'], tmp_path,
                       env=dict(VAR='x')).splitlines() == output.splitlines()


@pytest.mark.parametrize('args,code,message', [
    (['raise'], 1, 'ValueError: bad input'),
    (['exit', '2'], 2, 'args'),
])
def test_exit_codes_and_errors(args, code, message, script, tmp_path):
    for runner, command in ((run_script, [script, *args]),
                            (run_command, [sys.executable, script, *args])):
        output = runner(command, tmp_path, expect=code, env=dict(VAR='x'))
        assert message in output
        with pytest.raises(AssertionError, match=f'exited with {code}'):
            runner(command, tmp_path, env=dict(VAR='x'))
