"""The window's start says in Chinese why it cannot open: no screen, or a missing system library."""

from pathlib import Path

from desktop.display_check import WINDOW_PACKAGES, _package_of, display_problem


def test_no_display_is_said_plainly_not_blamed_on_xcb_cursor() -> None:
    message = display_problem({}, "linux")
    assert message is not None
    assert "DISPLAY" in message and "图形界面" in message
    assert "xcb" not in message


def test_a_chosen_platform_or_wayland_or_windows_is_left_to_qt() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None


def test_a_plugin_that_cannot_load_names_the_library_and_the_packages(tmp_path: Path) -> None:
    broken = tmp_path / "libqxcb.so"
    broken.write_bytes(b"not a shared object")
    message = display_problem({"DISPLAY": ":0"}, "linux", plugin=broken)
    assert message is not None
    assert "缺少系统库" in message
    assert "apt-get install" in message and "libxcb-cursor0" in message


def test_sonames_map_to_debian_packages() -> None:
    assert _package_of("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert _package_of("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert _package_of("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert _package_of("libnothing.so.3") is None
    assert len(set(WINDOW_PACKAGES)) == len(WINDOW_PACKAGES)
