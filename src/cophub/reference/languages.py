"""The platform's six interface languages (the official languages of ITU), in ITU order."""

UI_LANGUAGE_CODES: tuple[str, ...] = ("ar", "zh-hans", "en", "fr", "ru", "es")
RTL_LANGUAGE_CODES: frozenset[str] = frozenset({"ar"})
