"""scripts/serve.py's nginx config (deploy/nginx.conf.template): every placeholder filled, nginx
accepts it (`nginx -t`, skipped without nginx), and it keeps a browser on one replica by a cookie
nginx sets, proxying websockets. The replicas themselves are tested in test_browser_replicas.py."""

import subprocess
import sys
from pathlib import Path

import pytest
from browser import nginx_missing_reason

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import serve  # noqa: E402


def test_the_config_names_every_replica_and_keeps_browsers_on_one(tmp_path):
    conf = serve.nginx_config("127.0.0.1:8080", [40001, 40002, 40003], tmp_path)
    assert "{{" not in conf and "listen 127.0.0.1:8080;" in conf
    assert [line.split()[1] for line in conf.splitlines() if line.strip().startswith("server 127.")] == [
        "127.0.0.1:40001", "127.0.0.1:40002", "127.0.0.1:40003"]  # fmt: skip
    assert "hash $replica_key consistent;" in conf  # by cookie, not by address (ip_hash)
    assert f"map $cookie_{serve.COOKIE} $replica_key" in conf and "add_header Set-Cookie $replica_cookie" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf and "proxy_read_timeout 1h;" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf  # nothing outside its folder


def test_a_placeholder_without_a_value_is_an_error():
    with pytest.raises(ValueError, match="{{port}}"):
        serve.render("listen {{port}};")


def test_nginx_accepts_the_config(tmp_path):
    reason = nginx_missing_reason()
    if reason:
        pytest.skip(reason)
    tmp_path.chmod(0o755)
    conf = tmp_path / "nginx.conf"
    conf.write_text(serve.nginx_config("127.0.0.1:1", [40001, 40002], tmp_path))
    out = subprocess.run([serve.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
                         capture_output=True, text=True, timeout=30)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "syntax is ok" in out.stderr
