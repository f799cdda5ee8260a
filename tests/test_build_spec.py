"""build.spec's filter of collected files, run on the names a Windows and a Linux PySide6 wheel carry.

The spec itself only runs under PyInstaller; its constant tables and ``keep_binary`` are taken out of
it (not copied) and run here, so no build is needed to see what a Windows build would drop.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SPEC = Path(__file__).resolve().parents[1] / "build.spec"


def _spec_filter() -> Callable[[str], bool]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    wanted: list[ast.stmt] = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name == "keep_binary")
        or (
            isinstance(node, ast.Assign)
            and all(isinstance(t, ast.Name) and t.id.startswith("DROP_") for t in node.targets)
        )
    ]
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    keep = namespace["keep_binary"]
    assert callable(keep)
    return keep  # type: ignore[no-any-return]


keep_binary = _spec_filter()


@pytest.mark.parametrize(
    "name",
    [
        "PySide6/opengl32sw.dll",  # 20 MB of software OpenGL a widgets program never loads
        "PySide6\\opengl32sw.dll",
        "PySide6/d3dcompiler_47.dll",
        "PySide6/libEGL.dll",
        "PySide6/libGLESv2.dll",
        "PySide6/plugins/platforms/qdirect2d.dll",
        "PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll",
        "PySide6/plugins/imageformats/qjpeg.dll",
        "PySide6/plugins/imageformats/qtiff.dll",
        "PySide6/Qt/plugins/imageformats/libqwebp.so",
        "PySide6/plugins/tls/qschannelbackend.dll",
        "PySide6/plugins/generic/qtuiotouchplugin.dll",
        "PySide6/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtbase_zh_TW.qm",
    ],
)
def test_dropped(name: str) -> None:
    assert not keep_binary(name)


@pytest.mark.parametrize(
    "name",
    [
        "PySide6/Qt6Gui.dll",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",  # the Windows 11 look
        "PySide6/plugins/imageformats/qico.dll",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/platforminputcontexts/libfcitx5platforminputcontextplugin.so",
        "PySide6/translations/qtbase_zh_CN.qm",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "PySide6/Qt/lib/libQt6OpenGL.so.6",  # QtGui links it on Linux
        "PySide6/msvcp140.dll",
    ],
)
def test_kept(name: str) -> None:
    assert keep_binary(name)
