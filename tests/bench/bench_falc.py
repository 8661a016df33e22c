"""Benchmark: how long the FALC analyser takes on a French text of about 2,000 words.

Run from the project root: ``.venv/bin/python tests/bench/bench_falc.py``. The target is a
median under 50 ms. The text mixes easy sentences and long administrative ones, with most of
the things the rules look for (initials, dates, numbers in words, negations, brackets...).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

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


def main(runs: int = 30) -> None:
    text = build_text()
    started = time.perf_counter()
    warm_up()
    cold = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    analyse(text)  # fills the word caches, as a running server would have them
    first = (time.perf_counter() - started) * 1000
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        report = analyse(text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"FALC analyser: {report.words} words, {len(report.sentences)} sentences, "
        f"{len(report.findings)} findings"
    )
    print(
        f"loading the word list once: {cold:.0f} ms; first analysis (empty caches): {first:.0f} ms"
    )
    print(
        f"median of {runs} runs: {statistics.median(wall):.1f} ms "
        f"(min {min(wall):.1f}, max {max(wall):.1f}; CPU time median "
        f"{statistics.median(cpu):.1f} ms; target < 50 ms)"
    )


if __name__ == "__main__":
    main()
