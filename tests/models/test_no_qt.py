"""The domain core imports no Qt: importing every module of desktop.models with PySide6 blocked works."""

import subprocess
import sys

CODE = """
import builtins, pkgutil, importlib, sys
real_import = builtins.__import__
def guarded(name, *args, **kwargs):
    if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):
        raise ImportError('Qt import blocked in desktop.models: ' + name)
    return real_import(name, *args, **kwargs)
builtins.__import__ = guarded
import desktop.models
names = [m.name for m in pkgutil.walk_packages(desktop.models.__path__, 'desktop.models.')
         if '.migrations' not in m.name]
for name in names:
    importlib.import_module(name)
assert not any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules)
print(len(names))
"""


def test_models_import_without_qt() -> None:
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 5
