"""The bare page the load benchmark compares Parole's pages with: Flask + Jinja, no database.

Served by the same gunicorn settings as Parole: ``gunicorn "tests.bench.hello_app:app"``.
"""

from __future__ import annotations

from flask import Flask, render_template_string

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></main></body></html>"""

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return render_template_string(PAGE, title="Bonjour", items=["un", "deux", "trois"])
