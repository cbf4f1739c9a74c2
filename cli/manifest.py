"""`manifest build`: write the Teams app package an admin uploads.

Wired into the main command line by `register(subparsers)`; settings come from environment
variables (see manifests/README.md).
"""
from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from cli.common import OperatorError
from manifests.build import ManifestError, build_package, default_package_name

ENV_VARS = (
    "MICROSOFT_APP_ID", "MANIFEST_PRIVACY_URL", "MANIFEST_TERMS_URL", "MANIFEST_WEBSITE_URL",
    "MANIFEST_DEVELOPER_NAME", "MANIFEST_VALID_DOMAINS", "MANIFEST_VERSION",
)
DEFAULT_OUT_DIR = Path("build")


def register(subparsers) -> argparse.ArgumentParser:
    """Add `manifest build [--out PATH]` to an argparse subparsers object."""
    manifest = subparsers.add_parser(
        "manifest", help="the Teams app package (manifest and icons)",
        description="The Teams app package an admin uploads.")
    sub = manifest.add_subparsers(dest="manifest_command", metavar="COMMAND")
    sub.required = True
    build = sub.add_parser(
        "build", help="write the app package (zip)",
        description="Fills in the manifest from the environment, checks it against Microsoft's "
                    "Teams schema and writes the zip (manifest.json, color.png, outline.png). "
                    "Settings: " + ", ".join(ENV_VARS) + ".")
    build.add_argument(
        "--out", type=Path, default=None, metavar="PATH",
        help="zip file or existing folder (default: build/" + default_package_name("VERSION") + ")")
    build.set_defaults(func=run_build)
    return manifest


def settings_from_env(environ: Mapping[str, str] | None = None) -> dict:
    """The keyword arguments for build_package (without out_path) from environment variables."""
    env = os.environ if environ is None else environ
    return {
        "app_id": env.get("MICROSOFT_APP_ID", ""),
        "privacy_url": env.get("MANIFEST_PRIVACY_URL", ""),
        "terms_url": env.get("MANIFEST_TERMS_URL", ""),
        "website_url": env.get("MANIFEST_WEBSITE_URL", ""),
        "developer_name": env.get("MANIFEST_DEVELOPER_NAME", ""),
        "valid_domains": [d for d in env.get("MANIFEST_VALID_DOMAINS", "").split(",") if d.strip()],
        "version": env.get("MANIFEST_VERSION", "").strip() or "1.0.0",
    }


def run_build(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    """Build the package; print its path. On a bad setting: one line on stderr, exit code 2."""
    settings = settings_from_env(environ)
    out = getattr(args, "out", None)
    if out is None:
        out = DEFAULT_OUT_DIR / default_package_name(settings["version"].strip())
    try:
        path = build_package(out_path=Path(out), **settings)
    except ManifestError as exc:
        raise OperatorError(f"manifest build: {exc}") from None
    print(path)
    return 0
