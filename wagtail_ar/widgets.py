"""Form widgets of the visitors' listings.

:class:`LanguageSelect` is the ``<select>`` of the listings' filters: an option whose label is
a :class:`TextInLanguage` in another language than the page (a working group not translated
yet, named in the default locale) carries ``lang`` and ``dir`` (WCAG 2.1, 3.1.2).
"""

from django import forms

from .locales import foreign_language_of_locale


class TextInLanguage(str):
    """A label and the language it is written in: ``language`` is ``(code, "ltr"|"rtl")``
    when it is another language than the active one, else ``None``. Kept as it is in a cache
    (it pickles)."""

    def __new__(cls, text, language=None):
        label = super().__new__(cls, text)
        label.language = language
        return label

    def __reduce__(self):
        return (type(self), (str(self), self.language))


def text_in_language(text, locale_id):
    """``text`` of an item of the locale ``locale_id``, as a :class:`TextInLanguage`."""
    return TextInLanguage(text, foreign_language_of_locale(locale_id))


def labels_in_language(targets, titled=True):
    """``(slug, label)`` of each of ``targets`` (a queryset), the label a
    :class:`TextInLanguage`: its ``title`` column when ``titled`` (only the columns needed are
    read), else ``str(target)``."""
    translatable = hasattr(targets.model, "locale_id")
    if titled:
        fields = ("slug", "title", "locale_id") if translatable else ("slug", "title")
        rows = targets.values_list(*fields)
    else:
        rows = (
            (target.slug, str(target), getattr(target, "locale_id", None)) for target in targets
        )
    for slug, label, *locale_id in rows:
        yield slug, text_in_language(label, locale_id[0] if locale_id else None)


class LanguageSelect(forms.Select):
    """A ``<select>`` whose options in another language say which (``lang``, ``dir``)."""

    def create_option(self, name, value, label, *args, **kwargs):
        option = super().create_option(name, value, label, *args, **kwargs)
        language = getattr(label, "language", None)
        if language:
            option["attrs"]["lang"], option["attrs"]["dir"] = language
        return option
