import socket

import pytest

from tests.helpers.network_guard import NetworkUsedError


def test_opening_a_network_socket_fails_the_test() -> None:
    with pytest.raises(NetworkUsedError):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkUsedError):
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM)


def test_unix_sockets_stay_allowed() -> None:
    left, right = socket.socketpair(socket.AF_UNIX)
    left.close()
    right.close()
