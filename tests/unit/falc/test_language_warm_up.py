"""A worker that starts loads the French language model in the background, so the first
easy-read check of the day does not wait seconds for it."""

import threading

from app.falc import language


def test_an_application_started_to_serve_warms_the_model_up(database_url):
    from app import create_app
    from config import Config, TestConfig

    assert Config.FALC_MODEL_WARM_UP is True
    assert TestConfig.FALC_MODEL_WARM_UP is False
    before = {t.ident for t in threading.enumerate()}
    create_app(TestConfig, DATABASE_URL=database_url, FALC_MODEL_WARM_UP=True)
    started = [
        t for t in threading.enumerate() if t.name == "falc-model-warm-up" and t.ident not in before
    ]
    for thread in started:
        thread.join()
    assert language.available()
