"""The Teams app manifest and package: official schema, Teams' icon rules, settings, command line."""
from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest

import app
from cli import manifest as cli_manifest
from manifests import icons
from manifests.build import (
    PACKAGE_FILES, SCHEMA_VERSION, ManifestError, build_package, render_manifest,
    validate_manifest, validate_package,
)

APP_ID = "6f1c3c2a-8a52-4c1e-9a8e-2d1f3f0b7a11"
SETTINGS = dict(
    app_id=APP_ID,
    privacy_url="https://www.example.nl/privacy",
    terms_url="https://www.example.nl/gebruiksvoorwaarden",
    website_url="https://www.example.nl/servicedesk",
    developer_name="Stichting Voorbeeld",
    valid_domains=["servicedesk.example.nl"],
    version="1.2.3",
)
ENV = {
    "MICROSOFT_APP_ID": APP_ID,
    "MANIFEST_PRIVACY_URL": "https://www.example.nl/privacy",
    "MANIFEST_TERMS_URL": "https://www.example.nl/gebruiksvoorwaarden",
    "MANIFEST_WEBSITE_URL": "https://www.example.nl",
    "MANIFEST_DEVELOPER_NAME": "Stichting Voorbeeld",
    "MANIFEST_VALID_DOMAINS": "servicedesk.example.nl, *.example.nl",
    "MANIFEST_VERSION": "2.0.1",
}
MANIFESTS_DIR = Path(__file__).resolve().parents[2] / "manifests"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return render_manifest(**SETTINGS)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return build_package(out_path=tmp_path_factory.mktemp("pkg") / "app.zip", **SETTINGS)


def icon_files() -> dict[str, bytes]:
    return {n: (MANIFESTS_DIR / n).read_bytes() for n in ("color.png", "outline.png")}


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


# --- the manifest as built -------------------------------------------------------------------------

def test_built_manifest_passes_the_official_schema(manifest):
    assert manifest["manifestVersion"] == SCHEMA_VERSION
    assert manifest["$schema"].endswith(f"/v{SCHEMA_VERSION}/MicrosoftTeams.schema.json")
    assert validate_manifest(manifest) == []
    assert validate_manifest(manifest, files=icon_files()) == []


def test_settings_are_filled_in(manifest):
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["version"] == "1.2.3"
    assert manifest["developer"] == {
        "name": "Stichting Voorbeeld",
        "websiteUrl": "https://www.example.nl/servicedesk",
        "privacyUrl": "https://www.example.nl/privacy",
        "termsOfUseUrl": "https://www.example.nl/gebruiksvoorwaarden",
    }
    assert manifest["validDomains"] == ["servicedesk.example.nl"]
    assert "{{" not in json.dumps(manifest)


def test_dutch_name_descriptions_and_bot(manifest):
    assert manifest["name"]["short"] == "Servicedesk"
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nl-nl"
    assert len(manifest["description"]["short"]) <= 80
    assert 80 < len(manifest["description"]["full"]) <= 4000
    assert "melding" in manifest["description"]["short"]
    [bot] = manifest["bots"]
    assert sorted(bot["scopes"]) == ["personal", "team"]
    assert bot["supportsFiles"] is False
    assert "webApplicationInfo" not in manifest


def test_dutch_command_lists(manifest):
    lists = {tuple(cl["scopes"]): cl["commands"] for cl in manifest["bots"][0]["commandLists"]}
    assert [c["title"] for c in lists[("personal",)]] == [
        "nieuwe melding", "mijn meldingen", "status", "help"]
    assert [c["title"] for c in lists[("team",)]] == ["koppel dit kanaal"]
    for commands in lists.values():
        for c in commands:
            assert c["description"].strip(), c
            assert not any(w in c["description"].lower() for w in (" the ", " your ", " show "))


def test_app_id_is_normalised_to_lower_case():
    m = render_manifest(**{**SETTINGS, "app_id": APP_ID.upper()})
    assert m["id"] == APP_ID


def test_valid_domains_are_trimmed_and_deduplicated():
    m = render_manifest(**{**SETTINGS, "valid_domains": [" A.example.nl ", "a.example.nl", "", "*.example.nl"]})
    assert m["validDomains"] == ["a.example.nl", "*.example.nl"]


# --- deliberately broken manifests are rejected by the same helper ---------------------------------

def broken(manifest: dict, change) -> dict:
    m = copy.deepcopy(manifest)
    change(m)
    return m


@pytest.mark.parametrize("change, where", [
    (lambda m: m.pop("developer"), "/: 'developer' is a required property"),
    (lambda m: m.pop("icons"), "/: 'icons' is a required property"),
    (lambda m: m["name"].pop("short"), "/name: 'short' is a required property"),
    (lambda m: m.update(manifestVersion="1.29"), "/manifestVersion:"),
    (lambda m: m.update(manifestVersion="2.0"), "/manifestVersion:"),
    (lambda m: m.update(id="servicedesk"), "/id:"),
    (lambda m: m["bots"][0].update(scopes=["personal", "everywhere"]), "/bots/0/scopes/1:"),
    (lambda m: m["description"].update(short="x" * 81), "/description/short:"),
    (lambda m: m["developer"].update(privacyUrl="ftp://example.nl"), "/developer/privacyUrl:"),
    (lambda m: m.update(unknownField=True), "'unknownField' was unexpected"),
    (lambda m: m.update(version="1.0"), "/version:"),
])
def test_broken_manifest_is_rejected(manifest, change, where):
    errors = validate_manifest(broken(manifest, change))
    assert errors, "a broken manifest passed"
    assert any(where in e for e in errors), errors


def test_wrong_icon_sizes_are_rejected(manifest):
    small_colour = icons.write_png(96, 96, [(30, 90, 168, 255)] * 96 * 96)
    big_outline = icons.write_png(64, 64, [(255, 255, 255, 0)] * 64 * 63 + [(255, 255, 255, 255)] * 64)
    errors = validate_manifest(manifest, files={"color.png": small_colour, "outline.png": big_outline})
    assert any(e.startswith("/icons/color:") and "192x192" in e and "96x96" in e for e in errors), errors
    assert any(e.startswith("/icons/outline:") and "32x32" in e and "64x64" in e for e in errors), errors


@pytest.mark.parametrize("pixels, message", [
    ([(255, 255, 255, 255)] * 1024, "transparent background"),
    ([(0, 0, 0, 0)] * 1023 + [(255, 0, 0, 255)], "not white"),
    ([(0, 0, 0, 0)] * 1024, "fully transparent"),
])
def test_outline_icon_must_be_white_on_transparent(manifest, pixels, message):
    files = {**icon_files(), "outline.png": icons.write_png(32, 32, pixels)}
    errors = validate_manifest(manifest, files=files)
    assert any(e.startswith("/icons/outline:") and message in e for e in errors), errors


def test_icons_missing_from_the_package_are_reported(manifest):
    errors = validate_manifest(manifest, files={"color.png": icon_files()["color.png"]})
    assert errors == ["/icons/outline: 'outline.png' is not in the package"]


def test_non_png_icon_is_reported(manifest):
    errors = validate_manifest(manifest, files={**icon_files(), "color.png": b"GIF89a..."})
    assert any(e.startswith("/icons/color:") and "not a PNG" in e for e in errors), errors


# --- the committed icons ---------------------------------------------------------------------------

def test_committed_icons_have_teams_sizes():
    files = icon_files()
    assert icons.png_size(files["color.png"]) == (192, 192)
    assert icons.png_size(files["outline.png"]) == (32, 32)
    assert icons.check_color_icon(files["color.png"]) == []
    assert icons.check_outline_icon(files["outline.png"]) == []


def test_committed_icons_are_what_the_generator_draws():
    # The PNGs are generated (python -m manifests.icons); a hand edit would be lost on regeneration.
    files = icon_files()
    assert icons.read_png(files["color.png"]).pixels == icons.read_png(icons.draw_color()).pixels
    assert icons.read_png(files["outline.png"]).pixels == icons.read_png(icons.draw_outline()).pixels


def _paeth(a: int, b: int, c: int) -> int:
    """The PNG specification's Paeth predictor, for the test's own encoder."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


@pytest.mark.parametrize("ctype, channels", [(0, 1), (2, 3), (4, 2), (6, 4)])
@pytest.mark.parametrize("filter_type", [0, 1, 2, 3, 4])
def test_png_reader_undoes_every_filter(ctype, channels, filter_type):
    # Icons from image editors use filters and colour types our writer does not; build such a PNG
    # with an independent encoder (the filter formulas from the PNG spec) and read it back.
    import struct
    import zlib
    w, h = 5, 4
    rows = [bytes((x * 40 + y * 17 + c * 60) % 256 for x in range(w) for c in range(channels))
            for y in range(h)]
    raw, prev = bytearray(), bytes(w * channels)
    for line in rows:
        out = bytearray()
        for i, v in enumerate(line):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            pred = [0, a, b, (a + b) // 2, _paeth(a, b, c)][filter_type]
            out.append((v - pred) & 0xFF)
        raw += bytes([filter_type]) + out
        prev = line
    chunk = lambda k, d: struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))
    png = icons.read_png(data)
    assert (png.width, png.height) == (w, h)
    for y, line in enumerate(rows):
        for x in range(w):
            s = line[x * channels:(x + 1) * channels]
            expected = {0: lambda: (s[0], s[0], s[0], 255), 2: lambda: (*s, 255),
                        4: lambda: (s[0], s[0], s[0], s[1]), 6: lambda: tuple(s)}[ctype]()
            assert png.pixels[y * w + x] == expected


# --- the package -----------------------------------------------------------------------------------

def test_package_holds_exactly_the_three_files_at_its_root(package):
    assert sorted(unzip(package)) == sorted(PACKAGE_FILES)


def test_package_passes_the_official_schema(package):
    assert validate_package(package) == []
    files = unzip(package)
    m = json.loads(files["manifest.json"].decode("utf-8"))
    assert not files["manifest.json"].startswith(b"\xef\xbb\xbf")
    assert validate_manifest(m, files=files) == []
    assert m["id"] == APP_ID and m["version"] == "1.2.3"


def test_package_icons_have_teams_sizes(package):
    files = unzip(package)
    assert icons.png_size(files["color.png"]) == (192, 192)
    assert icons.png_size(files["outline.png"]) == (32, 32)
    assert files["color.png"] == (MANIFESTS_DIR / "color.png").read_bytes()


def test_build_is_reproducible(tmp_path):
    a = build_package(out_path=tmp_path / "a.zip", **SETTINGS)
    b = build_package(out_path=tmp_path / "b.zip", **SETTINGS)
    assert a.read_bytes() == b.read_bytes()


def test_out_path_may_be_a_directory_and_parents_are_created(tmp_path):
    p = build_package(out_path=tmp_path, **SETTINGS)
    assert p == tmp_path / "servicedesk-teams-app-1.2.3.zip" and p.is_file()
    q = build_package(out_path=tmp_path / "nieuw" / "dieper" / "app.zip", **SETTINGS)
    assert q.is_file()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_broken_packages_are_rejected(package, manifest):
    files = unzip(package)
    nested = zip_of({f"app/{n}": d for n, d in files.items()})
    assert "the files must be at the zip's root" in validate_package(nested)[0]
    bad = broken(manifest, lambda m: m.update(manifestVersion="1.16"))
    assert any(e.startswith("/manifestVersion:")
               for e in validate_package(zip_of({**files, "manifest.json": json.dumps(bad).encode()})))
    no_outline = {k: v for k, v in files.items() if k != "outline.png"}
    assert validate_package(zip_of(no_outline)) == ["/icons/outline: 'outline.png' is not in the package"]
    assert validate_package(b"not a zip")[0].startswith("package: cannot read the zip")


# --- bad or missing settings -----------------------------------------------------------------------

@pytest.mark.parametrize("field, value, setting", [
    ("app_id", "", "MICROSOFT_APP_ID"),
    ("app_id", "servicedesk-bot", "MICROSOFT_APP_ID"),
    ("app_id", "6f1c3c2a-8a52-4c1e-9a8e-2d1f3f0b7a1", "MICROSOFT_APP_ID"),
    ("privacy_url", "", "MANIFEST_PRIVACY_URL"),
    ("privacy_url", "http://www.example.nl/privacy", "MANIFEST_PRIVACY_URL"),
    ("terms_url", "www.example.nl/voorwaarden", "MANIFEST_TERMS_URL"),
    ("website_url", "https://", "MANIFEST_WEBSITE_URL"),
    ("developer_name", "  ", "MANIFEST_DEVELOPER_NAME"),
    ("developer_name", "x" * 33, "MANIFEST_DEVELOPER_NAME"),
    ("valid_domains", ["https://servicedesk.example.nl/"], "MANIFEST_VALID_DOMAINS"),
    ("valid_domains", ["bad domain"], "MANIFEST_VALID_DOMAINS"),
    ("version", "1.0", "MANIFEST_VERSION"),
    ("version", "v1.0.0", "MANIFEST_VERSION"),
])
def test_bad_setting_raises_naming_it(tmp_path, field, value, setting):
    with pytest.raises(ManifestError) as exc:
        build_package(out_path=tmp_path / "app.zip", **{**SETTINGS, field: value})
    assert exc.value.settings == (setting,)
    assert str(exc.value).startswith(setting)
    assert "\n" not in str(exc.value)
    assert not (tmp_path / "app.zip").exists()


def test_every_bad_setting_is_named_at_once():
    with pytest.raises(ManifestError) as exc:
        render_manifest(app_id="", privacy_url="", terms_url="", website_url="", developer_name="")
    assert set(exc.value.settings) == {
        "MICROSOFT_APP_ID", "MANIFEST_PRIVACY_URL", "MANIFEST_TERMS_URL", "MANIFEST_WEBSITE_URL",
        "MANIFEST_DEVELOPER_NAME"}


# --- command line ----------------------------------------------------------------------------------

def run(argv: list[str], env: dict[str, str], monkeypatch) -> int:
    for name in cli_manifest.ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return app.main(argv)


def test_cli_builds_the_package_and_prints_its_path(tmp_path, monkeypatch, capsys):
    out = tmp_path / "teams.zip"
    assert run(["manifest", "build", "--out", str(out)], ENV, monkeypatch) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert captured.err == ""
    assert validate_package(out) == []
    m = json.loads(unzip(out)["manifest.json"])
    assert m["version"] == "2.0.1"
    assert m["validDomains"] == ["servicedesk.example.nl", "*.example.nl"]
    assert m["developer"]["websiteUrl"] == "https://www.example.nl"


def test_cli_default_out_path_and_version(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in ENV.items() if k not in ("MANIFEST_VERSION", "MANIFEST_VALID_DOMAINS")}
    assert run(["manifest", "build"], env, monkeypatch) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == Path("build") / "servicedesk-teams-app-1.0.0.zip"
    m = json.loads(unzip(tmp_path / path)["manifest.json"])
    assert m["version"] == "1.0.0" and m["validDomains"] == []


@pytest.mark.parametrize("name, value", [
    ("MICROSOFT_APP_ID", None),
    ("MICROSOFT_APP_ID", "not-a-guid"),
    ("MANIFEST_PRIVACY_URL", None),
    ("MANIFEST_PRIVACY_URL", "http://www.example.nl/privacy"),
    ("MANIFEST_TERMS_URL", ""),
    ("MANIFEST_WEBSITE_URL", "example.nl"),
    ("MANIFEST_DEVELOPER_NAME", None),
    ("MANIFEST_VALID_DOMAINS", "ok.example.nl,https://x.example.nl/pad"),
    ("MANIFEST_VERSION", "1"),
])
def test_cli_bad_or_missing_setting_exits_2_naming_it(tmp_path, monkeypatch, capsys, name, value):
    env = dict(ENV)
    if value is None:
        del env[name]
    else:
        env[name] = value
    out = tmp_path / "teams.zip"
    assert run(["manifest", "build", "--out", str(out)], env, monkeypatch) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and name in lines[0], captured.err
    assert not out.exists()


def test_cli_unwritable_out_exits_2(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run(["manifest", "build", "--out", str(blocker / "sub" / "app.zip")], ENV, monkeypatch) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--out" in err


def test_cli_needs_a_subcommand(monkeypatch):
    with pytest.raises(SystemExit) as exc:
        app.build_parser().parse_args(["manifest"])
    assert exc.value.code == 2
