"""`manifest build`: write the Teams app package an admin uploads.

Wired into the main command line by `register(subparsers)`; settings come from environment
variables (see manifests/README.md).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from manifests.build import ManifestError, build_package, default_package_name

ENV_VARS = (
    "MICROSOFT_APP_ID", "MANIFEST_PRIVACY_URL", "MANIFEST_TERMS_URL", "MANIFEST_WEBSITE_URL",
    "MANIFEST_DEVELOPER_NAME", "MANIFEST_VALID_DOMAINS", "MANIFEST_VERSION",
)
DEFAULT_OUT_DIR = Path("build")


def register(subparsers) -> argparse.ArgumentParser:
    """Add `manifest build [--out PATH]` to an argparse subparsers object."""
    manifest = subparsers.add_parser(
        "manifest", help="Teams-app-pakket (manifest en iconen)",
        description="Het Teams-app-pakket dat een beheerder uploadt.")
    sub = manifest.add_subparsers(dest="manifest_command", metavar="COMMAND")
    sub.required = True
    build = sub.add_parser(
        "build", help="schrijf het app-pakket (zip)",
        description="Vult het manifest in met de instellingen uit de omgeving, controleert het "
                    "tegen het officiële Teams-schema en schrijft de zip (manifest.json, color.png, "
                    "outline.png). Instellingen: " + ", ".join(ENV_VARS) + ".")
    build.add_argument(
        "--out", type=Path, default=None, metavar="PATH",
        help="zip-bestand of bestaande map (standaard: build/" + default_package_name("VERSIE") + ")")
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
        print(f"manifest build: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0
