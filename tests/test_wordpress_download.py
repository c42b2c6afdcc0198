"""--download: uploads fetched over HTTPS from the old site itself (a local HTTPS server here)."""

from __future__ import annotations

import functools
import os
import shutil
import ssl
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import PROJECT, TinySite
from wordpress_export import export, item


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def certificate(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate for the local HTTPS server")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def test_download_fetches_uploads_over_https_from_the_old_site_and_reports_failures(tiny: TinySite, tmp_path: Path) -> None:
    served = tmp_path / "old-site"
    (served / "wp-content/uploads/2010/04").mkdir(parents=True)
    (served / "wp-content/uploads/2010/04/room.jpg").write_bytes(b"room bytes")
    cert, key = certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"https://127.0.0.1:{server.server_address[1]}"
    body = (f'<img src="{site}/wp-content/uploads/2010/04/room-300x200.jpg" alt="A room" />\n\n'
            f'<a href="{site}/wp-content/uploads/2010/04/gone.pdf">Gone</a>')
    (tmp_path / "export.xml").write_text(export(item(1, "Forum", body, name="forum"), site=site), encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, str(PROJECT / "build.py"), "import-wordpress", str(tmp_path / "export.xml"),
                               "--download", "--root", str(tiny.root)], capture_output=True, text=True,
                              env={**os.environ, "SSL_CERT_FILE": str(cert)})
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr
    assert (tiny.root / "content/images/2010/04/room.jpg").read_bytes() == b"room bytes"
    text = (tiny.root / "content/posts/2010-04-23-forum.md").read_text()
    assert "![A room](../images/2010/04/room.jpg)" in text and f"[Gone]({site}/wp-content/uploads/2010/04/gone.pdf)" in text
    assert f"  {site}/wp-content/uploads/2010/04/gone.pdf: the server answered 404" in done.stdout


def test_download_refuses_hosts_that_are_not_the_old_site() -> None:
    from placepress.importers.wordpress.media import Downloader

    downloader = Downloader(frozenset({"old.example.org"}))
    assert downloader.allowed("https://old.example.org/wp-content/uploads/a.jpg")
    assert downloader.allowed("https://oldblog.files.wordpress.com/2010/04/a.jpg")
    assert not downloader.allowed("https://tracker.example.net/a.jpg")
    assert downloader.get("https://tracker.example.net/a.jpg") == (None, "tracker.example.net is not the old site or a known media host")
