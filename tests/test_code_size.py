"""Files and functions a reader can take in at once: no package file over
300 lines, no function of the package, the tools or the demos over 80."""
import ast
import glob
import os.path as osp

from tests.repository import REPO_ROOT

PACKAGE = glob.glob(osp.join(REPO_ROOT, 'a3lign_mmaction', '**', '*.py'),
                    recursive=True)
SCRIPTS = (glob.glob(osp.join(REPO_ROOT, 'tools', '**', '*.py'),
                     recursive=True) +
           glob.glob(osp.join(REPO_ROOT, 'demo', '*.py')))


def test_no_package_file_over_300_lines():
    long = {
        osp.relpath(path, REPO_ROOT): n
        for path in PACKAGE
        if (n := len(open(path, encoding='utf-8').read().splitlines())) > 300
    }
    assert not long


def test_no_function_over_80_lines():
    long = []
    for path in PACKAGE + SCRIPTS:
        tree = ast.parse(open(path, encoding='utf-8').read())
        long += [
            f'{osp.relpath(path, REPO_ROOT)}:{node.name} '
            f'({node.end_lineno - node.lineno + 1} lines)'
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > 80
        ]
    assert not long
