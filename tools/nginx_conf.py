"""Fill in deploy/nginx.conf's placeholders; wrap it in a whole nginx.conf for local checks.

Production (prints the site file for /etc/nginx/sites-available/waypoint):

    python tools/nginx_conf.py --server-name waypoint.example --app-root /srv/waypoint \\
        --app 10.0.0.11:8000 --app 10.0.0.12:8000

`render_test_config()` is what the tests and `make scale-check` use: the same site file, with a
throwaway self-signed certificate, inside a minimal main config under a temporary prefix.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")
PLACEHOLDER = re.compile(r"__[A-Z0-9_]+__")


def render(
    *,
    server_name: str,
    app_root: Path | str,
    app_servers: list[str],
    http_listen: str = "80",
    https_listen: str = "443",
    tls_cert: str | None = None,
    tls_key: str | None = None,
    log_dir: str = "/var/log/nginx",
    template: str | None = None,
) -> str:
    """deploy/nginx.conf with every placeholder filled in (comments are left as they are);
    the __APP_SERVER__ line is repeated for each address in `app_servers`."""
    live = f"/etc/letsencrypt/live/{server_name}"
    values = {
        "__SERVER_NAME__": server_name,
        "__APP_ROOT__": str(app_root).rstrip("/"),
        "__HTTP_LISTEN__": http_listen,
        "__HTTPS_LISTEN__": https_listen,
        "__TLS_CERT__": tls_cert or f"{live}/fullchain.pem",
        "__TLS_KEY__": tls_key or f"{live}/privkey.pem",
        "__LOG_DIR__": log_dir,
    }
    text = TEMPLATE.read_text() if template is None else template
    lines = []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("#"):
            lines.append(line)
            continue
        for placeholder, value in values.items():
            line = line.replace(placeholder, value)
        if "__APP_SERVER__" in line:
            lines.extend(line.replace("__APP_SERVER__", server) for server in app_servers)
            continue
        if unknown := PLACEHOLDER.search(line):
            raise ValueError(f"deploy/nginx.conf: unknown placeholder {unknown.group()}")
        lines.append(line)
    return "".join(lines)


def self_signed_certificate(directory: Path, name: str = "localhost") -> tuple[Path, Path]:
    """A throwaway certificate and key (openssl), for `nginx -t` and local checks only."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", f"/CN={name}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def render_test_config(
    prefix: Path,
    *,
    server_name: str,
    app_root: Path | str,
    app_servers: list[str],
    http_port: int,
    https_port: int,
) -> Path:
    """A whole nginx.conf under `prefix` that includes the rendered site file, listening on
    127.0.0.1 only, logging and keeping its temporary files under `prefix`. Returns its path:
    `nginx -c <it> -p <prefix>` (add `-t` to only test it)."""
    for sub in ["logs", "tmp", "tls"]:
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    # nginx's workers (nobody, when the master runs as root) write request bodies here.
    os.chmod(prefix, 0o755)
    os.chmod(prefix / "tmp", 0o1777)
    cert, key = self_signed_certificate(prefix / "tls", server_name)
    site = prefix / "waypoint.conf"
    site.write_text(
        render(
            server_name=server_name,
            app_root=app_root,
            app_servers=app_servers,
            http_listen=f"127.0.0.1:{http_port}",
            https_listen=f"127.0.0.1:{https_port}",
            tls_cert=str(cert),
            tls_key=str(key),
            log_dir=str(prefix / "logs"),
        )
    )
    temp = prefix / "tmp"
    main = prefix / "nginx.conf"
    main.write_text(
        f"""# Generated for a local check; the site file is {site.name}, from deploy/nginx.conf.
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} warn;
daemon off;
events {{
    worker_connections 256;
}}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    include {site};
}}
"""
    )
    return main


def main() -> None:
    parser = argparse.ArgumentParser(description="Print deploy/nginx.conf filled in.")
    parser.add_argument("--server-name", required=True, help="public host name")
    parser.add_argument("--app-root", required=True, help="the checkout, e.g. /srv/waypoint")
    parser.add_argument(
        "--app", action="append", required=True, help="a gunicorn instance host:port (repeat)"
    )
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--tls-cert", help="default: Let's Encrypt's fullchain.pem for the name")
    parser.add_argument("--tls-key", help="default: Let's Encrypt's privkey.pem for the name")
    parser.add_argument("--log-dir", default="/var/log/nginx")
    args = parser.parse_args()
    print(
        render(
            server_name=args.server_name,
            app_root=args.app_root,
            app_servers=args.app,
            http_listen=args.http_listen,
            https_listen=args.https_listen,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            log_dir=args.log_dir,
        ),
        end="",
    )


if __name__ == "__main__":
    main()
