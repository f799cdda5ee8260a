"""A pytest plugin that swaps one domain-core module for a mutant of it (used by ``mutate.py``).

``JIXIAO_MUTANT`` names ``module:index``; when this plugin is loaded (``-p tests.benchmarks.mutant_plugin``,
before any test module imports the project) the module is compiled from its source with mutation
number ``index`` applied and put in ``sys.modules``, so every later import sees the mutant.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

from tests.benchmarks.mutations import mutated_source

_spec = os.environ.get("JIXIAO_MUTANT", "")
if _spec:
    _name, _, _index = _spec.partition(":")
    _parent_name, _, _leaf = _name.rpartition(".")
    _parent = importlib.import_module(_parent_name)
    _path = os.path.join(os.path.dirname(_parent.__file__ or ""), f"{_leaf}.py")
    _code = compile(mutated_source(_path, int(_index)), _path, "exec")
    _module = types.ModuleType(_name)
    _module.__file__ = _path
    _module.__package__ = _parent_name
    sys.modules[_name] = _module
    setattr(_parent, _leaf, _module)
    exec(_code, _module.__dict__)
