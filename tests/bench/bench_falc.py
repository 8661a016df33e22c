"""Benchmark: how long the FALC analyser takes on a French text of about 2,000 words.

Run from the project root: ``.venv/bin/python tests/bench/bench_falc.py`` (``make bench``).
It reports the French language model's load time and the memory it adds (resident memory
before and after), the live check of a 150-word text (target under 300 ms), passages per
second with the model, and the 2,000-word text with the model and with the pure Python rules
only (target under 50 ms for those). The text mixes easy sentences and long administrative
ones, with most of the things the rules look for (initials, dates, numbers in words,
negations, brackets...).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.falc import language  # noqa: E402
from app.falc.analyser import analyse, warm_up  # noqa: E402

PARAGRAPHS = (
    "Vous pouvez venir à la réunion. La réunion est le 3 mars, à 14 heures. "
    "Nous payons le train et le repas. Vous pouvez venir avec une personne de confiance.",
    "Le Haut conseil du travail social (HCTS) adresse aux acteurs du travail social sept "
    "recommandations pour une réelle participation des personnes accompagnées, lorsque les "
    "instances de prise de décision les concernent et que les formations des professionnels "
    "le permettent.",
    "La personne concernée doit se sentir libre dans la détermination de son statut et de sa "
    "rémunération. Il faut veiller à ne jamais mettre la personne en difficulté financière (ex : "
    "perte du statut de demandeurs d'emploi ou du RSA, perte ou diminution de revenus sociaux).",
    "Le dossier est étudié par la commission le 12/03/2024. Vingt-trois personnes sont inscrites "
    "et 25 % des places restent libres. Les salarié·es du CCAS répondent aux questions.",
    "Au XXe siècle, les droits des usagers n'étaient pas connus. ATTENTION : NE PAS OUBLIER "
    "VOTRE CARTE. La CAF verse l'allocation aux adultes handicapés (AAH) chaque mois.",
    "Simplifier les circuits administratifs et adopter un langage facile à lire et à comprendre "
    "pour obtenir le remboursement des frais inhérents à la participation (déplacements, garde "
    "d'enfant, repas, etc.) et/ou pour éviter l'avance de frais.",
)


def build_text(target_words: int = 2000) -> str:
    """Repeat the paragraphs, one per line, until the text has about ``target_words`` words."""
    lines: list[str] = []
    words = 0
    while words < target_words:
        for paragraph in PARAGRAPHS:
            lines.append(paragraph)
            words += len(paragraph.split())
            if words >= target_words:
                break
    return "\n".join(lines)


def _rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _median_ms(run, runs: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main(runs: int = 30) -> None:
    text = build_text()
    started = time.perf_counter()
    warm_up()
    cold = (time.perf_counter() - started) * 1000

    rss_before = _rss_mb()
    started = time.perf_counter()
    model = language.nlp()
    load = time.perf_counter() - started
    rss_after = _rss_mb()
    if model is None:
        print("French language model: NOT AVAILABLE (pure Python rules only)")
    else:
        print(
            f"French language model ({language.MODEL_NAME}, {', '.join(model.pipe_names)}): "
            f"loaded in {load:.2f} s, memory {rss_before:.0f} MB -> {rss_after:.0f} MB "
            f"(+{rss_after - rss_before:.0f} MB)"
        )

    live = " ".join(text.split()[:150])
    analyse(live)  # first call: caches filled, as a running server would have them
    live_ms, live_cpu = _median_ms(lambda: analyse(live), runs)
    print(
        f"live check of 150 words: median {live_ms:.0f} ms (CPU {live_cpu:.0f} ms; target < 300 ms)"
    )

    passages = list(PARAGRAPHS) * 5
    started, started_cpu = time.perf_counter(), time.process_time()
    for passage in passages:
        analyse(passage)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - started_cpu
    words = sum(len(p.split()) for p in passages)
    print(
        f"passages of about {words // len(passages)} words: "
        f"{len(passages) / seconds:.0f} per second with the model "
        f"({len(passages) / cpu_seconds:.0f} per CPU second)"
    )

    report = analyse(text)
    model_ms, _ = _median_ms(lambda: analyse(text), max(3, runs // 6))
    pure_ms, pure_cpu = _median_ms(lambda: analyse(text, use_model=False), runs)
    print(
        f"FALC analyser: {report.words} words, {len(report.sentences)} sentences, "
        f"{len(report.findings)} findings, score {report.score} ({report.band})"
    )
    print(f"loading the word list once: {cold:.0f} ms")
    print(
        f"2,000 words: median {model_ms:.0f} ms with the model; pure Python rules "
        f"{pure_ms:.1f} ms (CPU {pure_cpu:.1f} ms; target < 50 ms)"
    )


if __name__ == "__main__":
    main()
