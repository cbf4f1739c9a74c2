"""Build and validate the Teams app package an admin uploads.

The package is a zip with `manifest.json`, `color.png` and `outline.png` at its root. The manifest
comes from `manifest.template.json` (all Dutch texts live there); `{{NAME}}` placeholders are named
after the environment variables the command line reads them from, so a reviewer sees where each
value comes from.

Validation uses Microsoft's official JSON schema for the chosen manifest version (vendored in
`schema/`, see its README) with a Draft-4 validator extended with `const`: the schema declares
draft-04 but pins `manifestVersion` with the draft-06 keyword `const`, which a plain Draft-4
validator would silently ignore. On top of the schema it checks what the schema cannot: icon sizes
and the outline icon's transparency, files missing from the package, and the app version's semver.
"""
from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, Draft6Validator, FormatChecker, validators

from manifests import icons

__all__ = [
    "SCHEMA_VERSION", "PACKAGE_FILES", "ManifestError", "render_manifest", "build_package",
    "validate_manifest", "validate_package", "default_package_name",
]

SCHEMA_VERSION = "1.30"
SCHEMA_FILE = f"MicrosoftTeams.v{SCHEMA_VERSION}.schema.json"
PACKAGE_FILES = ("manifest.json", "color.png", "outline.png")

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})+(:[0-9]{{1,5}})?$|^localhost(:[0-9]{{1,5}})?$")
_PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
# Fixed timestamp for the zip entries: the same settings give a byte-identical package.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
_DEVELOPER_NAME_MAX = 32  # schema: developer.name maxLength
_MAX_VALID_DOMAINS = 100  # schema: validDomains maxItems


class ManifestError(Exception):
    """A setting is missing or wrong, or the package cannot be built.

    `problems` holds (setting, message) pairs; `settings` the names of the settings at fault (the
    environment variables an operator sets). str() is one line, fit for a terminal.
    """

    def __init__(self, problems: Sequence[tuple[str | None, str]]):
        self.problems = list(problems)
        self.settings = tuple(s for s, _ in self.problems if s)
        super().__init__("; ".join(m for _, m in self.problems))


# --- settings -------------------------------------------------------------------------------------

def _check_settings(*, app_id, privacy_url, terms_url, website_url, developer_name, valid_domains,
                    version) -> tuple[list[tuple[str, str]], list[str]]:
    problems: list[tuple[str, str]] = []

    def bad(setting: str, message: str) -> None:
        problems.append((setting, f"{setting} {message}"))

    app_id = (app_id or "").strip()
    if not app_id:
        bad("MICROSOFT_APP_ID", "is missing: set the bot's app id "
            "(the GUID of its Entra app registration, e.g. 6f1c3c2a-8a52-4c1e-9a8e-2d1f3f0b7a11)")
    elif not _GUID.match(app_id):
        bad("MICROSOFT_APP_ID", f"is not a GUID ({app_id!r}): use the app id (client id) of the bot's "
            "Entra app registration, not its name or password")

    for setting, value, what in (
            ("MANIFEST_PRIVACY_URL", privacy_url, "the privacy statement"),
            ("MANIFEST_TERMS_URL", terms_url, "the terms of use"),
            ("MANIFEST_WEBSITE_URL", website_url, "the website or support page")):
        value = (value or "").strip()
        if not value:
            bad(setting, f"is missing: set the https address of {what}")
            continue
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        if parts is None or parts.scheme.lower() != "https" or not host or " " in value:
            bad(setting, f"must be a full https address (such as https://www.example.nl/privacy), "
                f"not {value!r}")
        elif len(value) > 2048:
            bad(setting, "is longer than 2048 characters")

    name = (developer_name or "").strip()
    if not name:
        bad("MANIFEST_DEVELOPER_NAME", "is missing: set the name of the organisation that offers the "
            "app (Teams shows it as 'Gemaakt door')")
    elif len(name) > _DEVELOPER_NAME_MAX:
        bad("MANIFEST_DEVELOPER_NAME", f"is {len(name)} characters long; Teams allows at most "
            f"{_DEVELOPER_NAME_MAX}")

    version = (version or "").strip()
    if not _SEMVER.match(version):
        bad("MANIFEST_VERSION", f"must be a version such as 1.0.0 (three numbers), not "
            f"{version!r}; raise it for every new upload")

    domains: list[str] = []
    if isinstance(valid_domains, str):
        valid_domains = valid_domains.split(",")
    for raw in valid_domains:
        d = raw.strip().lower()
        if not d:
            continue
        if not _DOMAIN.match(d):
            hint = " (without https:// and without a path)" if "/" in d else ""
            bad("MANIFEST_VALID_DOMAINS", f"holds {raw.strip()!r}, which is not a domain name{hint}; "
                "use e.g. servicedesk.example.nl or *.example.nl")
        elif d not in domains:
            domains.append(d)
    if len(domains) > _MAX_VALID_DOMAINS:
        bad("MANIFEST_VALID_DOMAINS", f"holds {len(domains)} domains; Teams allows at most "
            f"{_MAX_VALID_DOMAINS}")
    return problems, domains


def _template() -> dict:
    text = resources.files("manifests").joinpath("manifest.template.json").read_text("utf-8")
    return json.loads(text)


def _fill(node, values: Mapping[str, str]):
    if isinstance(node, dict):
        return {k: _fill(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, values) for v in node]
    if isinstance(node, str):
        def sub(m: re.Match) -> str:
            if m.group(1) not in values:
                raise ManifestError([(None, f"manifest.template.json: unknown placeholder {m.group(0)}")])
            return values[m.group(1)]
        return _PLACEHOLDER.sub(sub, node)
    return node


def render_manifest(*, app_id: str, privacy_url: str, terms_url: str, website_url: str,
                    developer_name: str, valid_domains: Sequence[str] = (),
                    version: str = "1.0.0") -> dict:
    """The manifest as a dict, with the settings checked and filled in. Raises ManifestError."""
    problems, domains = _check_settings(
        app_id=app_id, privacy_url=privacy_url, terms_url=terms_url, website_url=website_url,
        developer_name=developer_name, valid_domains=valid_domains, version=version)
    if problems:
        raise ManifestError(problems)
    values = {
        "MICROSOFT_APP_ID": app_id.strip().lower(),
        "MANIFEST_PRIVACY_URL": privacy_url.strip(),
        "MANIFEST_TERMS_URL": terms_url.strip(),
        "MANIFEST_WEBSITE_URL": website_url.strip(),
        "MANIFEST_DEVELOPER_NAME": developer_name.strip(),
        "MANIFEST_VERSION": version.strip(),
    }
    manifest = _fill(_template(), values)
    manifest["validDomains"] = domains
    return manifest


def default_package_name(version: str = "1.0.0") -> str:
    return f"servicedesk-teams-app-{version}.zip"


def _icon_files() -> dict[str, bytes]:
    pkg = resources.files("manifests")
    return {name: pkg.joinpath(name).read_bytes() for name in ("color.png", "outline.png")}


def build_package(*, app_id: str, out_path: Path, privacy_url: str, terms_url: str,
                  website_url: str, developer_name: str, valid_domains: Sequence[str] = (),
                  version: str = "1.0.0") -> Path:
    """Write the app package (zip) and return its path.

    out_path is the zip to write, or an existing directory to write `default_package_name()` into;
    missing parent directories are created. The manifest is validated against the official schema
    before anything is written, so a package that exists is a package that validates.
    """
    manifest = render_manifest(
        app_id=app_id, privacy_url=privacy_url, terms_url=terms_url, website_url=website_url,
        developer_name=developer_name, valid_domains=valid_domains, version=version)
    files = _icon_files()
    errors = validate_manifest(manifest, files=files)
    if errors:  # a template or icon bug, not an operator mistake
        raise ManifestError([(None, "the manifest does not pass the Teams schema v"
                              f"{SCHEMA_VERSION}: " + " | ".join(errors))])
    files = {"manifest.json": (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(),
             **files}

    out_path = Path(out_path)
    if out_path.is_dir():
        out_path = out_path / default_package_name(version.strip())
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".zip", dir=out_path.parent)
        try:
            with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
                for name in PACKAGE_FILES:
                    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    zf.writestr(info, files[name])
            os.replace(tmp, out_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ManifestError([("--out", f"--out: cannot write the package to {out_path}: "
                              f"{exc.strerror or exc}")]) from exc
    return out_path


# --- validation -----------------------------------------------------------------------------------

_Draft4WithConst = validators.extend(Draft4Validator, {"const": Draft6Validator.VALIDATORS["const"]})


@lru_cache(maxsize=1)
def _validator():
    text = resources.files("manifests").joinpath("schema", SCHEMA_FILE).read_text("utf-8")
    return _Draft4WithConst(json.loads(text), format_checker=FormatChecker())


def _where(path) -> str:
    return "/" + "/".join(str(p) for p in path)


def validate_manifest(manifest: dict, *, files: Mapping[str, bytes] | None = None) -> list[str]:
    """Problems with a manifest, as "/json/path: message" strings; an empty list means valid.

    Checks the official Teams schema v1.30 (so another manifestVersion is an error too) and the app
    version's semver. With `files` (name -> bytes of the package's other files) it also checks that
    the icons are there, the colour icon is 192x192 and the outline icon 32x32 white on transparent.
    """
    errors = [f"{_where(e.absolute_path)}: {_short(e.message)}"
              for e in sorted(_validator().iter_errors(manifest), key=lambda e: list(map(str, e.absolute_path)))]
    if not isinstance(manifest, dict):
        return errors
    version = manifest.get("version")
    if isinstance(version, str) and not _SEMVER.match(version):
        errors.append(f"/version: {version!r} is not a semantic version such as 1.0.0")
    if files is not None:
        icon_refs = manifest.get("icons") if isinstance(manifest.get("icons"), dict) else {}
        for key, check in (("color", icons.check_color_icon), ("outline", icons.check_outline_icon)):
            ref = icon_refs.get(key)
            if not isinstance(ref, str):
                continue  # the schema has reported it
            if ref not in files:
                errors.append(f"/icons/{key}: {ref!r} is not in the package")
            else:
                errors.extend(f"/{e}" for e in check(files[ref], key))
    return errors


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[:limit] + "…"


def validate_package(package: Path | str | bytes) -> list[str]:
    """Problems with an app package (a zip path or its bytes); an empty list means valid."""
    try:
        data = package if isinstance(package, bytes) else Path(package).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            files = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"package: cannot read the zip: {exc}"]
    if "manifest.json" not in files:
        nested = [n for n in files if n.endswith("/manifest.json")]
        hint = f" (found {nested[0]}: the files must be at the zip's root)" if nested else ""
        return [f"package: manifest.json is missing{hint}"]
    try:
        manifest = json.loads(files.pop("manifest.json").decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"manifest.json: not valid JSON: {exc}"]
    return validate_manifest(manifest, files=files)
