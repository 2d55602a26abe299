"""A real varnishd running deploy/varnish/newsroom.vcl in front of app servers on loopback, for
tests (and helpers of other tests: the multi-server integration test may use it too).

Debian's varnishd drops its rights to run the cache as its own user, so its working folder and
the VCL go in a world-readable temporary folder, not in pytest's private one. Varnish looks for
an include beside the including file first, so newsroom.vcl is copied next to the generated
backends.vcl.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.servers import BASE_DIR

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = BASE_DIR / "deploy" / "varnish"


def varnishd_missing_reason() -> str | None:
    """Why no Varnish test can run here (None: it can): varnishd or vmod xkey missing."""
    if not os.path.exists(VARNISHD):
        return "varnishd is not installed (apt-get install varnish varnish-modules)"
    if not any(Path(p).exists() for p in ("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so",
                                          "/usr/lib/aarch64-linux-gnu/varnish/vmods/libvmod_xkey.so",
                                          "/usr/share/doc/varnish-modules")):  # fmt: skip
        return "vmod xkey is not installed (apt-get install varnish-modules)"
    return None


def backends_vcl(app_ports: list[int], purgers: tuple[str, ...] = ("127.0.0.1", "::1")) -> str:
    """A backends.vcl for app servers on 127.0.0.1 at `app_ports`, round robin."""
    lines = ["import directors;", ""]
    for n, port in enumerate(app_ports, 1):
        lines += [f'backend app{n} {{ .host = "127.0.0.1"; .port = "{port}"; .connect_timeout = 2s; }}']
    lines += ["", "sub vcl_init {", "    new app = directors.round_robin();"]
    lines += [f"    app.add_backend(app{n});" for n in range(1, len(app_ports) + 1)]
    lines += ["}", "", "acl purgers {", *(f'    "{address}";' for address in purgers), "}", ""]
    lines += ["sub newsroom_backend {", "    set req.backend_hint = app.backend();", "}", ""]
    return "\n".join(lines)


def start_varnish(port: int, app_ports: list[int], *, storage: str = "malloc,32m", **options) -> dict:
    """varnishd on 127.0.0.1:`port` in front of `app_ports` (`storage`: its -s argument);
    {"pid", "workdir"} for stop_varnish."""
    workdir = tempfile.mkdtemp(prefix="varnish-test-")
    os.chmod(workdir, 0o755)
    vcl_dir = Path(workdir, "vcl")
    vcl_dir.mkdir(mode=0o755)
    (vcl_dir / "backends.vcl").write_text(backends_vcl(app_ports, **options))
    shutil.copy(VCL / "newsroom.vcl", vcl_dir / "newsroom.vcl")
    started = subprocess.run(
        [
            VARNISHD,
            "-n", str(Path(workdir, "run")),
            "-a", f"127.0.0.1:{port}",
            "-p", f"vcl_path={vcl_dir}:/usr/share/varnish/vcl",
            "-f", str(vcl_dir / "newsroom.vcl"),
            "-s", storage,
            "-P", str(Path(workdir, "varnishd.pid")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    if started.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        raise RuntimeError(f"varnishd did not start: {started.stderr}")
    return {"pid": int(Path(workdir, "varnishd.pid").read_text()), "workdir": workdir}


def stop_varnish(varnish: dict) -> None:
    try:
        os.kill(varnish["pid"], signal.SIGTERM)
        for _ in range(50):
            os.kill(varnish["pid"], 0)
            time.sleep(0.1)
    except ProcessLookupError:
        pass
    shutil.rmtree(varnish["workdir"], ignore_errors=True)
