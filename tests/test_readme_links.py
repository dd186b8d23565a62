"""Every relative link in README.md leads to a file or folder that is in the repository."""

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.M)
HTML = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)


def links(markdown: str) -> list[str]:
    text = CODE_SPAN.sub("", FENCED.sub("", markdown))
    # a code span inside a link's text ([`main.py`](main.py)) is gone now; its target stays
    found = INLINE.findall(text) + REFERENCE.findall(text) + HTML.findall(text)
    return [link for link in found if not re.match(r"[a-z][a-z0-9+.-]*:|#|//", link, re.I)]


def test_links_are_found():
    sample = (
        "![shot](docs/a.png) and [`x.py`](x.py) and [site](https://example.org) "
        '[top](#install) <img src="docs/b.png"> `[not](a-link.md)`\n'
        "```\n[not](either.md)\n```\n[ref]: docs/c.md\n"
    )
    assert links(sample) == ["docs/a.png", "x.py", "docs/c.md", "docs/b.png"]


def test_every_relative_link_in_the_readme_exists():
    readme = ROOT / "README.md"
    found = links(readme.read_text(encoding="utf-8"))
    assert found, "no relative links found: the pattern is broken"
    missing = []
    for link in found:
        target = (ROOT / unquote(link.split("#")[0].split("?")[0])).resolve()
        inside = target == ROOT or ROOT in target.parents
        if not inside or not target.exists() or (link.endswith("/") and not target.is_dir()):
            missing.append(link)
    assert not missing, f"README.md links to files that are not in the repository: {missing}"


def test_the_readme_names_no_file_that_is_not_here():
    """Plain mentions count too: the README once sent developers to an ENGINEERING.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in re.findall(r"`([A-Za-z_]+\.md)`", text):
        assert (ROOT / name).exists(), f"README.md mentions {name}, which is not in the repository"
